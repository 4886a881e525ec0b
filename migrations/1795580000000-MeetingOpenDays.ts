import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Meetings on open days (issue 12): a series may be planned on a business calendar
 * (`calendar_id`), saying what happens to an occurrence the calendar closes (`on_closed_day`:
 * keep, next-open-day or skip), and remembers the calendar version it was last planned on
 * (`calendar_version`), so a change another instance made, or a re-planning that failed, is
 * caught up. An occurrence remembers what the calendar did to it (`calendar_change`: moved or
 * skipped), so it can be re-planned when the calendar changes, unlike one a person moved.
 * Series and meetings written before have no calendar: `keep`, and nothing changed.
 */
export class MeetingOpenDays1795580000000 implements MigrationInterface {
  name = 'MeetingOpenDays1795580000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('meeting_series', [
      new TableColumn({ name: 'calendar_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'on_closed_day', type: 'varchar', length: '14', isNullable: false, default: "'keep'" }),
      new TableColumn({ name: 'calendar_version', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.addColumn('meetings', new TableColumn({ name: 'calendar_change', type: 'varchar', length: '10', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropped in place, as CalendarDates does (SQLite ≥ 3.35), rather than rebuilding the tables.
    await queryRunner.query('ALTER TABLE meetings DROP COLUMN calendar_change');
    for (const column of ['calendar_version', 'on_closed_day', 'calendar_id']) await queryRunner.query(`ALTER TABLE meeting_series DROP COLUMN ${column}`);
  }
}
