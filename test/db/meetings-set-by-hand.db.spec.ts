import { Meeting } from '../../src/meetings/meeting.entity.js';
import { MeetingsSetByHand1795600000000 } from '../../migrations/1795600000000-MeetingsSetByHand.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/**
 * Meetings stored before the hand decision was kept get it from what the planner used to infer:
 * off the rule's time with no calendar change, and not cancelled, is a person's move.
 */
describe(`the meetings set-by-hand migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it('marks the meetings a person moved, and only those, as set by hand', async () => {
    const before = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(MeetingsSetByHand1795600000000)));
    const postgres = before.options.type === 'postgres';
    const instant = (iso: string) => (postgres ? new Date(iso) : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''));
    const { values } = before;
    const rule = '2027-02-01T07:00:00Z';
    const updated = '2026-12-02T10:00:00Z';
    const rows: [string, string, string, string | null][] = [
      ['byhand', '2027-02-03T07:00:00Z', 'scheduled', null],
      ['bycalendar', '2027-02-02T07:00:00Z', 'scheduled', 'moved'],
      ['onrule', rule, 'scheduled', null],
      ['cancelled', rule, 'cancelled', null],
    ];
    for (const [index, [name, startsAt, status, change]] of rows.entries()) {
      await before.query(
        `INSERT INTO meetings (id, series_id, occurrence_start, starts_at, ends_at, status, calendar_change, quorum_met, minutes_status, minutes_revision, created_at, updated_at) VALUES (${values(12)})`,
        [`00000000-0000-4000-8000-00000000000${index}`, `series-${name}`, instant(rule), instant(startsAt), instant(startsAt), status, change, null, 'none', 0, instant(updated), instant(updated)],
      );
    }
    await before.destroy();

    const after = await openMigrated(database);
    try {
      const meetings = await after.getRepository(Meeting).find({ order: { seriesId: 'ASC' } });
      expect(Object.fromEntries(meetings.map((meeting) => [meeting.seriesId, meeting.setByHandAt?.toISOString() ?? null]))).toEqual({
        'series-byhand': '2026-12-02T10:00:00.000Z',
        'series-bycalendar': null,
        'series-onrule': null,
        'series-cancelled': null,
      });
      await after.undoLastMigration({ transaction: 'each' });
      expect(Number((await after.query('SELECT COUNT(*) AS n FROM meetings'))[0].n)).toBe(4);
    } finally {
      await after.destroy();
    }
  });
});
