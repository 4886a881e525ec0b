import { StageEntryAttributes1795650000000 } from '../../migrations/1795650000000-StageEntryAttributes.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { StageEntry } from '../../src/tracking/stage-entry.entity.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/** Entries stored before the funnel report get their event's attributes from the events table. */
describe(`the stage-entry attributes migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it("copies each entry's event attributes, and drops them again going down", async () => {
    const before = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(StageEntryAttributes1795650000000)));
    const postgres = before.options.type === 'postgres';
    const at = postgres ? new Date('2026-11-02T09:00:00Z') : '2026-11-02 09:00:00.000';
    const { values } = before;
    const [mql] = await before.query(`SELECT id FROM funnel_stages WHERE name = ${postgres ? '$1' : '?'}`, ['MQL']);
    const events = [
      ['00000000-0000-7000-8000-000000000001', 'TS-1', JSON.stringify({ source: 'trade-show', score: 'hot' })],
      ['00000000-0000-7000-8000-000000000002', 'WB-1', JSON.stringify({})],
    ];
    for (const [id, subject, attributes] of events) {
      await before.query(
        `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id, connection_id) VALUES (${values(10)})`,
        [id, `k:${id}`, id, 'lead.mql', subject, at, at, attributes, null, null],
      );
      await before.query(`INSERT INTO stage_entries (stage_id, subject, entered_at, event_id) VALUES (${values(4)})`, [mql.id, subject, at, id]);
    }
    await before.destroy();

    const after = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(StageEntryAttributes1795650000000) + 1));
    try {
      const entries = await after.getRepository(StageEntry).find({ order: { subject: 'ASC' } });
      expect(entries.map((entry) => [entry.subject, entry.attributes])).toEqual([
        ['TS-1', { source: 'trade-show', score: 'hot' }],
        ['WB-1', {}],
      ]);
      await after.undoLastMigration({ transaction: 'each' });
      expect(Number((await after.query('SELECT COUNT(*) AS n FROM stage_entries'))[0].n)).toBe(2);
    } finally {
      await after.destroy();
    }
  });
});
