import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { NEVER_WORKED_LISTED } from './domain/funnel.js';
import { FunnelReportRepository, type FunnelQuery } from './funnel-report.repository.js';

const DAY = 86_400_000;
const NOVEMBER = Date.UTC(2026, 10, 1);

/**
 * The funnel report's SQL on a real database (in-memory SQLite, or PostgreSQL when DATABASE_URL is
 * set), on entries written directly: the same groups, medians and never-worked leads on both.
 */
describe(`the funnel report's queries on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let funnels: FunnelReportRepository;
  let stage: Record<string, string>;
  let events = 0;

  /** Writes entries: [stage name, subject, days after 1 November, attributes]. */
  async function enter(...entries: [string, string, number, Record<string, unknown>?][]): Promise<void> {
    const dialect = SqlDialect.of(database.dataSource);
    for (const [name, subject, days, attributes] of entries) {
      events += 1;
      await database.dataSource.query(`INSERT INTO stage_entries (stage_id, subject, entered_at, event_id, attributes) VALUES (${dialect.params(1, 5)})`, [
        stage[name],
        subject,
        dialect.instant(NOVEMBER + days * DAY),
        `00000000-0000-7000-8000-${String(events).padStart(12, '0')}`,
        JSON.stringify(attributes ?? {}),
      ]);
    }
  }

  const query = (overrides: Partial<FunnelQuery> = {}): FunnelQuery => ({
    cohortStageId: stage.MQL,
    stageIds: [stage.MQL, stage.SQL, stage.Won, stage.Lost],
    from: NOVEMBER,
    to: NOVEMBER + 30 * DAY,
    by: 'source',
    sqlStageId: stage.SQL,
    outcomeStageIds: [stage.Won, stage.Lost],
    neverWorkedBefore: NOVEMBER + 40 * DAY,
    now: NOVEMBER + 54 * DAY,
    ...overrides,
  });

  beforeAll(async () => {
    database = await openTestDataSource();
    funnels = new FunnelReportRepository(database.dataSource);
    const rows: { id: string; name: string }[] = await database.dataSource.query('SELECT id, name FROM funnel_stages');
    stage = Object.fromEntries(rows.map((row) => [row.name, row.id]));
    await enter(
      ['MQL', 'A-1', 1, { source: 'ads', vip: true, reason: 'form' }],
      ['MQL', 'A-2', 2, { source: 'ads', vip: false }],
      ['MQL', 'A-3', 3, { source: 'ads', vip: 3 }],
      ['MQL', 'A-4', 4, { source: 'ads' }],
      ['MQL', 'N-1', 5, { region: 'EU' }],
      // Before the window: not in the cohort, whatever it did later.
      ['MQL', 'OLD', -5, { source: 'ads' }],
      ['SQL', 'OLD', 2, {}],
      // SQLs one, two, three and four days after their MQL; A-4's was recorded before its MQL.
      ['SQL', 'A-1', 2, {}],
      ['SQL', 'A-2', 4, {}],
      ['SQL', 'A-3', 6, {}],
      ['SQL', 'A-4', 3, {}],
      ['Won', 'A-1', 10, { amount: 1000 }],
      ['Lost', 'A-2', 11, { reason: 'price', competitor: 'Acme' }],
    );
  });
  afterAll(async () => database?.close());

  it('counts the cohort per group and stage, with the median time from the cohort entry', async () => {
    const { stages } = await funnels.funnel(query());
    const byKey = Object.fromEntries(stages.map((row) => [`${row.group} ${Object.keys(stage).find((name) => stage[name] === row.stageId)}`, [row.entered, row.medianSeconds]]));
    expect(byKey).toEqual({
      'ads MQL': [4, null],
      'null MQL': [1, null],
      // A-1 +1 d, A-2 +2 d, A-3 +3 d, A-4 -1 d: the middle two are 1 and 2 days.
      'ads SQL': [4, 1.5 * 86400],
      'ads Won': [1, 9 * 86400],
      'ads Lost': [1, 9 * 86400],
    });
  });

  it('reads an attribute as text alike on both databases: booleans, numbers, absent', async () => {
    const { stages } = await funnels.funnel(query({ by: 'vip' }));
    const groups = stages.filter((row) => row.stageId === stage.MQL).map((row): [string | null, number] => [row.group, row.entered]);
    expect(groups.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['3', 1],
      ['false', 1],
      [null, 2],
      ['true', 1],
    ]);
  });

  it("takes reasons and competitors from every stage's entering events, the cohort's own too", async () => {
    const { reasons } = await funnels.funnel(query());
    expect(reasons.map((row) => [row.group, row.stageId === stage.MQL ? 'MQL' : 'Lost', row.reason, row.competitor, row.count]).sort()).toEqual([
      ['ads', 'Lost', 'price', 'Acme', 1],
      ['ads', 'MQL', 'form', null, 1],
    ]);
  });

  it('finds the SQLs old enough without an outcome, counted in full and listed up to the cap', async () => {
    const { neverWorked } = await funnels.funnel(query());
    expect(neverWorked.map((row) => [row.group, row.subject, row.total])).toEqual([
      ['ads', 'A-4', 2],
      ['ads', 'A-3', 2],
    ]);
    // An SQL entered after the cut-off is not late yet.
    expect((await funnels.funnel(query({ neverWorkedBefore: NOVEMBER + 5 * DAY }))).neverWorked.map((row) => row.subject)).toEqual(['A-4']);
    // Without outcome stages, every old SQL counts.
    expect((await funnels.funnel(query({ outcomeStageIds: [] }))).neverWorked.map((row) => row.subject)).toEqual(['A-1', 'A-4', 'A-2', 'A-3']);
    const many = Array.from({ length: NEVER_WORKED_LISTED + 3 }, (_, i): [string, string, number, Record<string, unknown>] => ['SAL', `S-${String(i).padStart(2, '0')}`, 20 + i / 100, { source: 'fair' }]);
    await enter(...many);
    const asCohort = await funnels.funnel(query({ cohortStageId: stage.SAL, stageIds: [stage.SAL], sqlStageId: stage.SAL, outcomeStageIds: [] }));
    expect(asCohort.neverWorked).toHaveLength(NEVER_WORKED_LISTED);
    expect(asCohort.neverWorked[0]).toMatchObject({ group: 'fair', subject: 'S-00', total: NEVER_WORKED_LISTED + 3 });
    expect(asCohort.stages).toEqual([{ group: 'fair', stageId: stage.SAL, entered: NEVER_WORKED_LISTED + 3, medianSeconds: null }]);
  });

  it('groups nothing without by, and finds nothing in an empty window', async () => {
    const all = await funnels.funnel(query({ by: null }));
    expect(all.stages.filter((row) => row.stageId === stage.MQL)).toEqual([{ group: 'all', stageId: stage.MQL, entered: 5, medianSeconds: null }]);
    const empty = await funnels.funnel(query({ from: NOVEMBER + 100 * DAY, to: NOVEMBER + 130 * DAY }));
    expect(empty).toEqual({ stages: [], reasons: [], neverWorked: [] });
    expect(await funnels.compliance(query())).toEqual([]);
  });
});
