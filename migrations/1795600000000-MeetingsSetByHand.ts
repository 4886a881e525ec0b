import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * A meeting a person moved or cancelled remembers it (`set_by_hand_at`, when they did), so a
 * calendar change leaves it alone. Before, the planner inferred it — no calendar change and a
 * start off the rule's — and so took a meeting moved back onto the rule's own time (after the
 * calendar had moved it) for one the rule placed, and moved it again. Meetings already moved by
 * hand are marked from that same inference: on the rule's time they cannot be told apart.
 */
export class MeetingsSetByHand1795600000000 implements MigrationInterface {
  name = 'MeetingsSetByHand1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('meetings', new TableColumn({ name: 'set_by_hand_at', type: instantTypeFor(queryRunner.connection.driver.options.type), isNullable: true }));
    await queryRunner.query(
      `UPDATE meetings SET set_by_hand_at = updated_at WHERE calendar_change IS NULL AND status <> 'cancelled' AND starts_at <> occurrence_start`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropped in place, as CalendarDates and MeetingOpenDays do (SQLite ≥ 3.35).
    await queryRunner.query('ALTER TABLE meetings DROP COLUMN set_by_hand_at');
  }
}
