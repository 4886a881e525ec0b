import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * A delivery whose CRM could not be read (a Bitrix24 portal down or slow) is retried by the due
 * work: `attempts` counts the times it was processed, `retry_at` is when it is due again (null:
 * not to be retried). Deliveries already stored have been processed once, and are not retried.
 */
export class DeliveryRetries1795610000000 implements MigrationInterface {
  name = 'DeliveryRetries1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('connection_deliveries', new TableColumn({ name: 'attempts', type: 'integer', default: 0 }));
    await queryRunner.addColumn('connection_deliveries', new TableColumn({ name: 'retry_at', type: instantTypeFor(queryRunner.connection.driver.options.type), isNullable: true }));
    await queryRunner.query(`UPDATE connection_deliveries SET attempts = 1 WHERE outcome <> 'pending'`);
    await queryRunner.createIndex('connection_deliveries', new TableIndex({ name: 'IDX_connection_deliveries_retry', columnNames: ['retry_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('connection_deliveries', 'IDX_connection_deliveries_retry');
    // Dropped in place, as MeetingsSetByHand does (SQLite ≥ 3.35).
    await queryRunner.query('ALTER TABLE connection_deliveries DROP COLUMN retry_at');
    await queryRunner.query('ALTER TABLE connection_deliveries DROP COLUMN attempts');
  }
}
