import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * CRM connections (issue 13): the connections with their rules and encrypted secret, the log of
 * deliveries they received (raw, kept for replay), the last known properties of each CRM object
 * (HubSpot sends no previous value), and on each event the connection it came through.
 * No foreign keys: deleting a connection removes its deliveries and properties in the service,
 * and its events stay (the log is append-only), naming a connection that is gone.
 */
export class CrmConnections1795590000000 implements MigrationInterface {
  name = 'CrmConnections1795590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantTypeFor(queryRunner.connection.driver.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const varchar = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...extra });
    await queryRunner.createTable(
      new Table({
        name: 'connections',
        columns: [
          id,
          varchar('name', 120),
          varchar('kind', 20),
          varchar('department_id', 36, { isNullable: true }),
          varchar('subject_prefix', 60),
          { name: 'rules', type: 'text' },
          { name: 'attributes', type: 'text' },
          { name: 'settings', type: 'text' },
          { name: 'secret_cipher', type: 'text' },
          { name: 'created_at', type: instant },
          { name: 'updated_at', type: instant },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'connection_deliveries',
        columns: [
          id,
          varchar('connection_id', 36),
          { name: 'received_at', type: instant },
          varchar('method', 10),
          varchar('url', 2000),
          { name: 'headers', type: 'text' },
          { name: 'body', type: 'text' },
          varchar('body_encoding', 6),
          varchar('outcome', 10),
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'event_ids', type: 'text' },
          { name: 'processed_at', type: instant, isNullable: true },
        ],
        indices: [
          { name: 'IDX_connection_deliveries_received', columnNames: ['connection_id', 'received_at'] },
          { name: 'IDX_connection_deliveries_age', columnNames: ['received_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'connection_object_properties',
        columns: [
          varchar('connection_id', 36, { isPrimary: true }),
          varchar('object_type', 50, { isPrimary: true }),
          varchar('object_id', 100, { isPrimary: true }),
          varchar('property', 100, { isPrimary: true }),
          { name: 'value', type: 'text', isNullable: true },
          { name: 'changed_at', type: instant },
        ],
      }),
    );
    await queryRunner.addColumn('events', new TableColumn({ name: 'connection_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex('events', new TableIndex({ name: 'IDX_events_connection', columnNames: ['connection_id', 'occurred_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'IDX_events_connection');
    await queryRunner.query('ALTER TABLE events DROP COLUMN connection_id');
    await queryRunner.dropTable('connection_object_properties');
    await queryRunner.dropTable('connection_deliveries');
    await queryRunner.dropTable('connections');
  }
}
