import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * The names an organisation gives event types, per language (issue 15): "lead.handed_over" read
 * as "Лид передан в продажи" by a Russian reader. One row per type and language; a type or
 * language without a row reads as the catalogue's default name (or the raw type).
 */
export class EventTypeNames1795722000000 implements MigrationInterface {
  name = 'EventTypeNames1795722000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'event_type_names',
        columns: [
          { name: 'type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'locale', type: 'varchar', length: '8', isPrimary: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'updated_at', type: instantTypeFor(queryRunner.connection.driver.options.type) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event_type_names');
  }
}
