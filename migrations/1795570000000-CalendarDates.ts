import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Dated hours (issue 12): a calendar's `dates`, the working hours of single dates (a working
 * Saturday, a short day, a closed weekday), stored as JSON text like `hours` and `breaks`.
 * Calendars written before have none: `{}`.
 */
export class CalendarDates1795570000000 implements MigrationInterface {
  name = 'CalendarDates1795570000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('calendars', new TableColumn({ name: 'dates', type: 'text', isNullable: false, default: "'{}'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not queryRunner.dropColumn: on SQLite it rebuilds the table, and dropping the old one fails
    // while departments point at its rows. Both databases drop a column in place (SQLite ≥ 3.35).
    await queryRunner.query('ALTER TABLE calendars DROP COLUMN dates');
  }
}
