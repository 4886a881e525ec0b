import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { NEVER_WORKED_LISTED } from './domain/funnel.js';
import { FunnelReportRepository, type FunnelQuery } from './funnel-report.repository.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOVEMBER = Date.UTC(2026, 10, 1);

interface Open {
  subject: string;
  stage: 'SQL' | 'SAL';
  enteredAt: number;
  cohortEnteredAt: number;
  attributes: Record<string, unknown>;
}

/**
 * The never-worked SQLs as the report reads them from `open_sqls` (rollups path): counted in full
 * per group, the oldest NEVER_WORKED_LISTED of each listed — read oldest first a page at a time, so
 * these cases cross pages: a group whose oldest fill more than a page at one instant (a tie at the
 * page's end), and a rare group whose oldest come after every other group's.
 */
describe(`the never-worked SQLs read from open_sqls on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let funnels: FunnelReportRepository;
  let stage: Record<string, string>;
  const rows: Open[] = [];

  const query = (overrides: Partial<FunnelQuery> = {}): FunnelQuery => ({
    cohortStageId: stage.MQL,
    stageIds: [stage.MQL, stage.SAL, stage.SQL, stage.Won, stage.Lost],
    from: NOVEMBER,
    to: NOVEMBER + 30 * DAY,
    by: 'source',
    sqlStageId: stage.SQL,
    outcomeStageIds: [stage.Won, stage.Lost],
    neverWorkedBefore: NOVEMBER + 40 * DAY,
    now: NOVEMBER + 54 * DAY,
    ...overrides,
  });

  /** What the report must list, worked out from the rows written: every group's count, its oldest by instant then subject. */
  function expected(q: FunnelQuery): { group: string | null; subject: string; enteredAt: number; total: number }[] {
    const groups = new Map<string | null, Open[]>();
    for (const row of rows) {
      if (stage[row.stage] !== q.sqlStageId || row.cohortEnteredAt < q.from || row.cohortEnteredAt >= q.to || row.enteredAt > q.neverWorkedBefore) continue;
      const value = q.by === null ? 'all' : row.attributes[q.by];
      const key = value === undefined || value === null ? null : String(value);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups.entries()]
      .flatMap(([group, members]) =>
        [...members]
          .sort((a, b) => a.enteredAt - b.enteredAt || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
          .slice(0, NEVER_WORKED_LISTED)
          .map((row) => ({ group, subject: row.subject, enteredAt: row.enteredAt, total: members.length })),
      )
      .sort((a, b) => a.enteredAt - b.enteredAt || a.subject.localeCompare(b.subject));
  }

  beforeAll(async () => {
    database = await openTestDataSource();
    funnels = new FunnelReportRepository(database.dataSource);
    const stages: { id: string; name: string }[] = await database.dataSource.query('SELECT id, name FROM funnel_stages');
    stage = Object.fromEntries(stages.map((row) => [row.name, row.id]));
    const add = (subject: string, enteredAt: number, attributes: Record<string, unknown>, extra: Partial<Open> = {}) =>
      rows.push({ subject, stage: 'SQL', enteredAt, cohortEnteredAt: NOVEMBER + DAY, attributes, ...extra });
    // "fair": 700 SQLs at one instant (past the first page, a tie across its end), in shuffled subject order, then 600 later ones.
    const tied = Array.from({ length: 700 }, (_, i) => `F-${String((i * 389) % 700).padStart(4, '0')}`);
    for (const subject of tied) add(subject, NOVEMBER + 10 * DAY, { source: 'fair' });
    for (let i = 0; i < 600; i++) add(`G-${String(i).padStart(4, '0')}`, NOVEMBER + 11 * DAY + i * MINUTE, { source: 'fair' });
    // "ads": 25 SQLs, every one after all of fair's; two share an instant.
    for (let i = 0; i < 25; i++) add(`A-${String(i).padStart(2, '0')}`, NOVEMBER + 12 * DAY + Math.min(i, 24 - 1) * MINUTE, { source: 'ads', score: i % 2 === 0 });
    // No source, a number for a source, and rows the query must leave out.
    add('N-1', NOVEMBER + 3 * DAY, { region: 'EU' });
    add('N-2', NOVEMBER + 12 * DAY + 30 * DAY, {}); // too recent to be never worked
    add('X-1', NOVEMBER + 2 * DAY, { source: 7 });
    add('O-1', NOVEMBER + 2 * DAY, { source: 'fair' }, { cohortEnteredAt: NOVEMBER - DAY }); // cohort before the window
    add('O-2', NOVEMBER + 2 * DAY, { source: 'fair' }, { cohortEnteredAt: NOVEMBER + 30 * DAY }); // cohort at its end
    add('S-1', NOVEMBER + 2 * DAY, { source: 'fair' }, { stage: 'SAL' }); // open in another stage
    const dialect = SqlDialect.of(database.dataSource);
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await database.dataSource.query(
        `INSERT INTO open_sqls (subject, stage_id, entered_at, cohort_entered_at, attributes) VALUES ${chunk.map((_, j) => `(${dialect.params(j * 5 + 1, 5)})`).join(', ')}`,
        chunk.flatMap((row) => [row.subject, stage[row.stage], dialect.instant(row.enteredAt), dialect.instant(row.cohortEnteredAt), JSON.stringify(row.attributes)]),
      );
    }
  });
  afterAll(async () => database?.close());

  it('lists the oldest of each group across pages, ties at a page end included, and counts every one', async () => {
    const listed = await funnels.neverWorked(query());
    const want = expected(query());
    expect(listed).toEqual(want);
    // Read as written: the tie's smallest subjects, the rare group's oldest, a number as text, no attribute as null.
    const fair = listed.filter((row) => row.group === 'fair');
    expect(fair.map((row) => row.subject)).toEqual(Array.from({ length: NEVER_WORKED_LISTED }, (_, i) => `F-${String(i).padStart(4, '0')}`));
    expect(fair[0].total).toBe(1300);
    expect(listed.filter((row) => row.group === 'ads').map((row) => [row.subject, row.total])).toEqual(
      Array.from({ length: NEVER_WORKED_LISTED }, (_, i) => [`A-${String(i).padStart(2, '0')}`, 25]),
    );
    expect(listed.filter((row) => row.group === '7' || row.group === null).map((row) => [row.group, row.subject, row.total])).toEqual([
      ['7', 'X-1', 1],
      [null, 'N-1', 1],
    ]);
  });

  it('never lists more of a group than it counted: an SQL written between the count and the list is left out', async () => {
    const dialect = SqlDialect.of(database.dataSource);
    const rows = SqlDialect.rows.bind(SqlDialect);
    let calls = 0;
    const spy = jest.spyOn(SqlDialect, 'rows').mockImplementation(async (manager, sql, parameters) => {
      const answer = await rows(manager, sql, parameters);
      // Right after the count: a new never-worked SQL of a group of one, older than every listed one.
      if (++calls === 1) {
        await database.dataSource.query(`INSERT INTO open_sqls (subject, stage_id, entered_at, cohort_entered_at, attributes) VALUES (${dialect.params(1, 5)})`, [
          'X-2',
          stage.SQL,
          dialect.instant(NOVEMBER + DAY),
          dialect.instant(NOVEMBER + DAY),
          JSON.stringify({ source: 7 }),
        ]);
      }
      return answer as never;
    });
    try {
      const listed = await funnels.neverWorked(query());
      // Counted: X-1 alone; listed: one of the group, the oldest the list read (X-2), never two.
      expect(listed.filter((row) => row.group === '7').map((row) => [row.subject, row.total])).toEqual([['X-2', 1]]);
    } finally {
      spy.mockRestore();
      await database.dataSource.query(`DELETE FROM open_sqls WHERE subject = ${dialect.param(1)}`, ['X-2']);
    }
  });

  it('reads alike grouped by another attribute, by nothing, with an earlier cut-off, and in an empty window', async () => {
    for (const overrides of [
      { by: 'score' },
      { by: null },
      { neverWorkedBefore: NOVEMBER + 10 * DAY },
      { neverWorkedBefore: NOVEMBER + 11 * DAY + 99 * MINUTE },
      { from: NOVEMBER + 60 * DAY, to: NOVEMBER + 90 * DAY },
      { sqlStageId: stage.SAL, stageIds: [stage.MQL, stage.SAL] },
    ] satisfies Partial<FunnelQuery>[]) {
      expect(await funnels.neverWorked(query(overrides))).toEqual(expected(query(overrides)));
    }
    expect(await funnels.neverWorked(query({ from: NOVEMBER + 60 * DAY, to: NOVEMBER + 90 * DAY }))).toEqual([]);
    expect((await funnels.neverWorked(query({ by: null }))).every((row) => row.group === 'all' && row.total === 1327)).toBe(true);
  });
});
