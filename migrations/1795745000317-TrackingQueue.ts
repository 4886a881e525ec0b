import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * Tracking behind the events (issue 16): a delivery stores its events and one row here in the
 * same transaction; a worker applies tracking to a row's events and deletes the row in one
 * transaction, so every stored event is tracked once, across restarts and instances. `seq` gives
 * the order rows were queued in; `event_ids` is the JSON array of the batch's event ids.
 */
export class TrackingQueue1795745000317 implements MigrationInterface {
  name = 'TrackingQueue1795745000317';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tracking_queue',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_ids', type: 'text' },
          { name: 'event_count', type: 'integer' },
          { name: 'queued_at', type: instantTypeFor(queryRunner.connection.driver.options.type) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tracking_queue');
  }
}
