import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The (subject, occurred_at, id) index of events gains `type`: a replay walks the log subject by
 * subject along it and keeps only its agreement's event types; with the type in the index the
 * events of other types, and the start events' attributes aside every column a replay reads of
 * the others, come from the index alone (SQLite defers the table look-up until a column outside
 * the index is read). On a year of 1,000,000 events: 5.35 s -> 2.65 s for that walk.
 */
export class EventsBySubjectWithType1795770000000 implements MigrationInterface {
  name = 'EventsBySubjectWithType1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('events', new TableIndex({ name: 'IDX_events_subject_type', columnNames: ['subject', 'occurred_at', 'id', 'type'] }));
    await queryRunner.dropIndex('events', 'IDX_events_subject');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('events', new TableIndex({ name: 'IDX_events_subject', columnNames: ['subject', 'occurred_at', 'id'] }));
    await queryRunner.dropIndex('events', 'IDX_events_subject_type');
  }
}
