import { Calendar } from '../../src/calendars/calendar.entity.js';
import { CalendarDates1795570000000 } from '../../migrations/1795570000000-CalendarDates.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/**
 * Calendars stored before dated hours existed get none (`{}`), and keep everything else: on SQLite
 * adding the column rebuilds the table, which departments point at.
 */
describe(`the calendar dates migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it('gives existing calendars no dated hours and keeps the departments that use them', async () => {
    const before = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(CalendarDates1795570000000)));
    const postgres = before.options.type === 'postgres';
    const at = postgres ? new Date('2026-11-02T08:00:00Z') : '2026-11-02 08:00:00';
    const { values } = before;
    const calendarId = '00000000-0000-4000-8000-0000000000c1';
    await before.query(
      `INSERT INTO calendars (id, name, timezone, hours, holidays, holiday_preset, breaks, version, created_at, updated_at) VALUES (${values(10)})`,
      [calendarId, 'Moscow office', 'Europe/Moscow', '{"mon":[["09:00","18:00"]]}', '["2026-12-31"]', 'RU', '{}', 3, at, at],
    );
    await before.query(`INSERT INTO departments (id, name, slug, timezone, calendar_id, created_at, updated_at) VALUES (${values(7)})`, [
      '00000000-0000-4000-8000-0000000000d1',
      'Sales',
      'sales',
      'Europe/Moscow',
      calendarId,
      at,
      at,
    ]);
    await before.destroy();

    const after = await openMigrated(database);
    try {
      const calendar = await after.getRepository(Calendar).findOneByOrFail({ id: calendarId });
      expect(calendar).toMatchObject({ name: 'Moscow office', hours: { mon: [['09:00', '18:00']] }, holidays: ['2026-12-31'], holidayPreset: 'RU', version: 3, dates: {} });
      expect(await after.query('SELECT calendar_id FROM departments')).toEqual([{ calendar_id: calendarId }]);
      await after.undoLastMigration({ transaction: 'each' });
      expect(await after.query('SELECT name FROM calendars')).toEqual([{ name: 'Moscow office' }]);
    } finally {
      await after.destroy();
    }
  });
});
