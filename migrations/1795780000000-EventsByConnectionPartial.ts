import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `events (connection_id, occurred_at)` keeps only the events that came through a CRM connection:
 * those sent to the API or raised by Concord itself (most of them) have no connection, are never
 * looked up by it, yet each wrote an entry under NULL. The listing by connection
 * (`connection_id = ?`) implies `IS NOT NULL`, so both databases still use the index for it.
 */
export class EventsByConnectionPartial1795780000000 implements MigrationInterface {
  name = 'EventsByConnectionPartial1795780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'IDX_events_connection');
    await queryRunner.createIndex(
      'events',
      new TableIndex({ name: 'IDX_events_connection', columnNames: ['connection_id', 'occurred_at'], where: 'connection_id IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'IDX_events_connection');
    await queryRunner.createIndex('events', new TableIndex({ name: 'IDX_events_connection', columnNames: ['connection_id', 'occurred_at'] }));
  }
}
