import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { rollupSnapshot } from '../../test/support/rollup-snapshot.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { openTestDataSource } from '../../test/support/test-database.js';
import { ClockRepository } from './clock.repository.js';
import type { ComplianceFigures } from './domain/compliance.js';
import { HISTOGRAM_RELATIVE_ERROR } from './domain/duration-histogram.js';
import { ResponseCompliance, type ResponseWindow } from './response-compliance.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupsService } from './rollups.service.js';
import { SlaClock } from './sla-clock.entity.js';

/**
 * The rollups on a real database (in-memory SQLite, or PostgreSQL when DATABASE_URL is set):
 * after any seeded sequence of clock writes — new clocks, rewrites that move a clock to another
 * part, hour, version or target, voids, sweeps and warnings — they equal a rebuild from the
 * clocks, and figures read from them equal figures recomputed from every clock.
 */
describe(`compliance rollups on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let clocks: ClockRepository;
  let rebuilds: RollupsService;
  let compliance: ResponseCompliance;
  let sequence = 0;

  beforeAll(async () => {
    database = await openTestDataSource();
    const rollups = new RollupRepository();
    clocks = new ClockRepository(database.dataSource, rollups);
    rebuilds = new RollupsService(database.dataSource, rollups);
    compliance = new ResponseCompliance(rollups);
  });
  afterAll(async () => database?.close());

  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  /** Around the turn of October to November 2026, so clocks fall in two months. */
  const FIRST = Date.parse('2026-10-30T00:00:00Z');
  const SPREAD = 4 * 86_400_000;
  const STATES: [SlaClock['state'], SlaClock['outcome']][] = [
    ['running', 'pending'],
    ['paused', 'pending'],
    ['running', 'breached'],
    ['paused', 'breached'],
    ['stopped', 'met'],
    ['stopped', 'breached'],
    ['cancelled', 'cancelled'],
    ['cancelled', 'breached'],
    ['void', 'pending'],
  ];

  /** What a write can change in a clock, drawn from the seeded random source. */
  type Shape = { state: number; version: number; target: number; elapsed: number; started: number; due: number };
  const shape = fc.record({
    state: fc.nat(STATES.length - 1),
    version: fc.nat(1),
    target: fc.nat(3),
    elapsed: fc.oneof(fc.nat(200), fc.nat(200_000)),
    started: fc.nat(SPREAD - 1),
    due: fc.integer({ min: -SPREAD, max: SPREAD }),
  });

  function clockOf(agreementId: string, s: Shape, id?: string): SlaClock {
    sequence += 1;
    const [state, outcome] = STATES[s.state];
    const startedAt = FIRST + s.started;
    const open = state === 'running' || state === 'paused';
    return Object.assign(new SlaClock(), {
      id: id ?? uuid(sequence),
      agreementId,
      versionId: uuid(900_000 + s.version),
      subject: `lead-${sequence}`,
      startEventId: uuid(800_000 + sequence),
      cycle: 1,
      targetIndex: s.target,
      targetName: ['hot', 'warm', 'default', 'retired'][s.target],
      targetSeconds: 3600,
      state,
      outcome,
      startedAt: new Date(startedAt),
      stoppedAt: open ? null : new Date(startedAt + s.elapsed * 1000),
      dueAt: state === 'void' ? null : new Date(startedAt + SPREAD / 2 + s.due),
      warnAt: open && outcome === 'pending' ? new Date(startedAt + s.due) : null,
      warnedAt: null,
      breachedAt: outcome === 'breached' ? new Date(startedAt + 3600_000) : null,
      elapsedSeconds: s.elapsed,
      pausedSeconds: 0,
      calendarVersion: 1,
      steps: [],
      updatedAt: new Date(startedAt),
    });
  }

  const operation = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), shapes: fc.array(shape, { minLength: 1, maxLength: 40 }) }),
    fc.record({ kind: fc.constant('rewrite' as const), picks: fc.array(fc.tuple(fc.nat(), shape), { minLength: 1, maxLength: 15 }), lookup: fc.boolean() }),
    fc.record({ kind: fc.constant('sweep' as const), at: fc.nat(SPREAD * 2) }),
    fc.record({ kind: fc.constant('warn' as const), at: fc.nat(SPREAD * 2) }),
  );

  const byTargetName = (figures: ComplianceFigures) => ({ ...figures, targets: [...figures.targets].sort((a, b) => a.name.localeCompare(b.name)) });

  it('equal a rebuild from the clocks, and read the figures a recomputation gives, after any sequence of writes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 3, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(SPREAD), fc.nat(SPREAD), fc.nat(SPREAD * 2)), { minLength: 4, maxLength: 4 }),
        async (operations, windows) => {
          run += 1;
          const agreementId = uuid(700_000 + run);
          const stored = async () => clocks.load(database.dataSource.manager, [agreementId], (await database.dataSource.query(`SELECT DISTINCT subject FROM clocks WHERE agreement_id = '${agreementId}'`)).map((row: { subject: string }) => row.subject));
          for (const op of operations) {
            if (op.kind === 'insert') {
              await database.dataSource.transaction((manager) => clocks.save(manager, op.shapes.map((s) => clockOf(agreementId, s)), new Map()));
            } else if (op.kind === 'rewrite') {
              await database.dataSource.transaction(async (manager) => {
                const current = await stored();
                if (current.length === 0) return;
                const rewritten = new Map<string, SlaClock>();
                for (const [pick, s] of op.picks) {
                  const previous = current[pick % current.length];
                  rewritten.set(previous.id, Object.assign(clockOf(agreementId, s, previous.id), { subject: previous.subject, startEventId: previous.startEventId }));
                }
                const byId = new Map(current.map((clock) => [clock.id, clock]));
                await clocks.save(manager, [...rewritten.values()], op.lookup ? undefined : byId);
              });
            } else if (op.kind === 'sweep') {
              await database.dataSource.transaction((manager) => clocks.claimOverdue(manager, new Date(FIRST + op.at)));
            } else {
              await database.dataSource.transaction((manager) => clocks.claimAtRisk(manager, new Date(FIRST + op.at)));
            }
          }

          const kept = await rollupSnapshot(database.dataSource);
          for (const [start, length, now] of windows) {
            const window: ResponseWindow = {
              agreementId,
              from: FIRST - 3_600_000 + start + (start % 997),
              to: FIRST - 3_600_000 + start + length + 1,
              now: FIRST + now,
              goalPercent: 90,
              targetNames: ['hot', 'warm', 'default'],
            };
            const recomputed = byTargetName(await compliance.fromClocks(database.dataSource.manager, window));
            expect(byTargetName(await compliance.fromRollups(database.dataSource.manager, window))).toEqual(recomputed);

            // From the histograms however few clocks stopped: the counts stay exact, the percentiles close.
            const estimated = byTargetName(await compliance.fromRollups(database.dataSource.manager, { ...window, exactPercentilesUpTo: 0 }));
            const withoutPercentiles = ({ medianSeconds, p90Seconds, ...counts }: { medianSeconds: number | null; p90Seconds: number | null }) => counts;
            expect({ ...withoutPercentiles(estimated), targets: estimated.targets.map(withoutPercentiles) }).toEqual({
              ...withoutPercentiles(recomputed),
              targets: recomputed.targets.map(withoutPercentiles),
            });
            for (const [exact, close] of [recomputed, ...recomputed.targets].map((figures, i) => [figures, [estimated, ...estimated.targets][i]])) {
              for (const field of ['medianSeconds', 'p90Seconds'] as const) {
                if (exact[field] === null) expect(close[field]).toBeNull();
                else expect(Math.abs((close[field] as number) - exact[field])).toBeLessThanOrEqual(exact[field] * HISTOGRAM_RELATIVE_ERROR + 1);
              }
            }
          }

          await rebuilds.rebuild();
          expect(kept).toEqual(await rollupSnapshot(database.dataSource));
        },
      ),
      { seed: 14, numRuns: 12 },
    );
  });

  it('rebuilds rollups lost or damaged, and removes those of clocks that are gone', async () => {
    const agreementId = uuid(600_001);
    const shapes: Shape[] = Array.from({ length: 30 }, (_, i) => ({ state: i % STATES.length, version: i % 2, target: i % 3, elapsed: 37 * i * i, started: i * 3_000_000, due: 0 }));
    await database.dataSource.transaction((manager) => clocks.save(manager, shapes.map((s) => clockOf(agreementId, s)), new Map()));
    const right = await rollupSnapshot(database.dataSource);

    await database.dataSource.query(`UPDATE compliance_rollups SET met = met + 5 WHERE agreement_id = '${agreementId}' AND span = 'day'`);
    await database.dataSource.query(`DELETE FROM compliance_rollups WHERE agreement_id = '${agreementId}' AND span = 'hour'`);
    const dialect = SqlDialect.of(database.dataSource);
    await database.dataSource.query(
      `INSERT INTO compliance_rollups (agreement_id, span, bucket_start, version_id, target_name, met) VALUES (${dialect.params(1, 6)})`,
      [uuid(600_002), 'month', dialect.instant(Date.parse('2026-01-01T00:00:00Z')), 'v', 'hot', 3],
    );
    expect(await rollupSnapshot(database.dataSource)).not.toEqual(right);

    const progress = await rebuilds.rebuild();
    expect(await rollupSnapshot(database.dataSource)).toEqual(right);
    expect(progress.clocks).toBe(Number((await database.dataSource.query('SELECT COUNT(*) AS n FROM clocks'))[0].n));
  });
});
