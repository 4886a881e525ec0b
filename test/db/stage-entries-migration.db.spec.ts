import { StageEntries1795620000000 } from '../../migrations/1795620000000-StageEntries.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/**
 * The default funnel's stages are entered by the conventional event types from this migration on,
 * and the events stored before it enter them: per stage and subject, the first event by
 * occurred-at, then id. A renamed stage is left as its owners made it.
 */
describe(`the stage entries migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it('enters the stored events into the default stages, the first event of each subject', async () => {
    const upTo = MIGRATIONS.indexOf(StageEntries1795620000000);
    const before = await openMigrated(database, MIGRATIONS.slice(0, upTo));
    const postgres = before.options.type === 'postgres';
    const instant = (iso: string) => (postgres ? new Date(iso) : iso.replace('T', ' ').replace(/Z$/, ''));
    const { values } = before;
    await before.query(`UPDATE funnel_stages SET name = ${postgres ? '$1' : '?'} WHERE name = ${postgres ? '$2' : '?'}`, ['Customer', 'Won']);
    const events: [string, string, string, string][] = [
      ['00000000-0000-4000-8000-000000000003', 'lead.mql', 'L-1', '2026-11-03T09:00:00.000Z'],
      ['00000000-0000-4000-8000-000000000001', 'lead.mql', 'L-1', '2026-11-02T09:00:00.000Z'],
      ['00000000-0000-4000-8000-000000000002', 'lead.mql', 'L-2', '2026-11-02T09:00:00.000Z'],
      ['00000000-0000-4000-8000-000000000004', 'lead.sql', 'L-1', '2026-11-04T09:00:00.000Z'],
      ['00000000-0000-4000-8000-000000000005', 'lead.won', 'L-1', '2026-11-05T09:00:00.000Z'],
      ['00000000-0000-4000-8000-000000000006', 'lead.handed_over', 'L-2', '2026-11-05T09:00:00.000Z'],
    ];
    for (const [id, type, subject, at] of events) {
      await before.query(
        `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id) VALUES (${values(9)})`,
        [id, `k:${id}`, null, type, subject, instant(at), instant(at), '{}', null],
      );
    }
    await before.destroy();

    const after = await openMigrated(database, MIGRATIONS.slice(0, upTo + 1));
    try {
      const rows: { name: string; subject: string; entered_at: unknown; event_id: string }[] = await after.query(
        'SELECT s.name, e.subject, e.entered_at, e.event_id FROM stage_entries e JOIN funnel_stages s ON s.id = e.stage_id ORDER BY s.name, e.subject',
      );
      const read = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(`${String(value).replace(' ', 'T')}Z`).toISOString());
      expect(rows.map((row) => [row.name, row.subject, read(row.entered_at), row.event_id])).toEqual([
        ['MQL', 'L-1', '2026-11-02T09:00:00.000Z', '00000000-0000-4000-8000-000000000001'],
        ['MQL', 'L-2', '2026-11-02T09:00:00.000Z', '00000000-0000-4000-8000-000000000002'],
        ['SQL', 'L-1', '2026-11-04T09:00:00.000Z', '00000000-0000-4000-8000-000000000004'],
      ]);
      const filters: { name: string; entered_on: string | null }[] = await after.query('SELECT name, entered_on FROM funnel_stages ORDER BY position');
      expect(Object.fromEntries(filters.map((row) => [row.name, row.entered_on && JSON.parse(row.entered_on).type]))).toEqual({
        Lead: null,
        MQL: 'lead.mql',
        SAL: 'lead.accepted',
        SQL: 'lead.sql',
        Opportunity: null,
        Customer: null,
        Lost: 'lead.lost',
        Recycled: 'lead.recycled',
      });
      await after.undoLastMigration({ transaction: 'each' });
      expect(Number((await after.query('SELECT COUNT(*) AS n FROM funnel_stages'))[0].n)).toBe(8);
    } finally {
      await after.destroy();
    }
  });
});
