import { ComplianceRollups1795667000000 } from '../../migrations/1795667000000-ComplianceRollups.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { RollupRepository } from '../../src/tracking/rollup.repository.js';
import { RollupsService } from '../../src/tracking/rollups.service.js';
import { rollupSnapshot } from '../support/rollup-snapshot.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/**
 * Clocks stored before the rollups existed get theirs from the migration, in set-based SQL whose
 * histogram buckets must be those durationBucket gives: the migration's rollups equal a rebuild.
 */
describe(`the compliance rollups migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it('rolls up the clocks already stored exactly as a rebuild does, durations at every power of two included', async () => {
    const before = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(ComplianceRollups1795667000000)));
    const postgres = before.options.type === 'postgres';
    const instant = (ms: number) => (postgres ? new Date(ms) : new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));
    const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const elapsed = [0, 1, 127, 128, 129, 130, 255, 256, 257, 3599, 3600, 86_399, 86_400];
    for (let exponent = 9; exponent <= 31; exponent++) elapsed.push(2 ** exponent - 1, ...(exponent < 31 ? [2 ** exponent, 2 ** exponent + 1] : []));
    const states = [
      ['stopped', 'met'],
      ['stopped', 'breached'],
      ['running', 'pending'],
      ['paused', 'pending'],
      ['running', 'breached'],
      ['paused', 'breached'],
      ['cancelled', 'cancelled'],
      ['cancelled', 'breached'],
      ['void', 'pending'],
    ];
    // Around the turn of a month, to the millisecond, so hours, days and months all split them.
    const first = Date.parse('2026-10-31T21:59:59.999Z');
    const rows: unknown[][] = [];
    // Every duration once stopped (met or breached), then every state in turn.
    for (let i = 0; i < 3 * elapsed.length; i++) {
      const [state, outcome] = i < elapsed.length ? states[i % 2] : states[i % states.length];
      const started = first + i * 1_799_999;
      rows.push([
        uuid(i + 1), uuid(900_000 + (i % 2)), uuid(910_000 + (i % 3)), `lead-${i}`, uuid(800_000 + i), 1, i % 3, ['hot', 'warm', 'default'][i % 3], 3600,
        state, outcome, instant(started), null, instant(started + 3_600_000), null, null, null, elapsed[i % elapsed.length], 0, 1, '[]', instant(started),
      ]);
    }
    for (const row of rows) {
      await before.query(
        `INSERT INTO clocks (id, agreement_id, version_id, subject, start_event_id, cycle, target_index, target_name, target_seconds, state, outcome,
           started_at, stopped_at, due_at, warn_at, warned_at, breached_at, elapsed_seconds, paused_seconds, calendar_version, steps, updated_at)
         VALUES (${before.values(22)})`,
        row,
      );
    }
    await before.destroy();

    const after = await openMigrated(database);
    try {
      const migrated = await rollupSnapshot(after);
      const stopped = rows.filter((row) => row[9] === 'stopped').length;
      const months = migrated.filter((rollup) => rollup.span === 'month');
      expect(months.reduce((sum, rollup) => sum + rollup.counts.stopped, 0)).toBe(stopped);
      expect(months.reduce((sum, rollup) => sum + rollup.durations.reduce((n, [, count]) => n + count, 0), 0)).toBe(stopped);
      expect(months.reduce((sum, rollup) => sum + rollup.counts.met + rollup.counts.breached + rollup.counts.running + rollup.counts.paused + rollup.counts.cancelled, 0)).toBe(
        rows.filter((row) => row[9] !== 'void').length,
      );

      await new RollupsService(after, new RollupRepository()).rebuild();
      expect(migrated).toEqual(await rollupSnapshot(after));

      // Undone back to before it: the migrations landed after it first.
      const runner = after.createQueryRunner();
      for (let undone = 0; (await runner.hasTable('compliance_rollups')) && undone < 10; undone++) await after.undoLastMigration({ transaction: 'each' });
      expect(Number((await after.query('SELECT COUNT(*) AS n FROM clocks'))[0].n)).toBe(rows.length);
      try {
        expect(await runner.hasTable('compliance_rollups')).toBe(false);
        expect(await runner.hasTable('compliance_rollup_fill')).toBe(false);
      } finally {
        await runner.release();
      }
    } finally {
      await after.destroy();
    }
  });
});
