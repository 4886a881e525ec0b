import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Departments, people, API tokens, the audit log and business calendars.
 * Written with TypeORM's Table API so the same migration runs on SQLite and PostgreSQL; the only
 * type that differs is the instant, `timestamptz` on PostgreSQL and UTC `datetime` on SQLite.
 */
export class Foundation1795515153590 implements MigrationInterface {
  name = 'Foundation1795515153590';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const ref = (name: string, isNullable: boolean): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable,
    });
    const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: instantType, isNullable });
    const json = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });

    await queryRunner.createTable(
      new Table({
        name: 'calendars',
        columns: [
          id,
          text('name', 120),
          text('timezone', 64),
          json('hours'),
          json('holidays'),
          text('holiday_preset', 20, true),
          json('breaks'),
          { name: 'version', type: 'integer' },
          instant('created_at'),
          instant('updated_at'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'departments',
        columns: [
          id,
          text('name', 120),
          text('slug', 60),
          text('timezone', 64),
          ref('calendar_id', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [{ name: 'UQ_departments_slug', columnNames: ['slug'], isUnique: true }],
        foreignKeys: [
          {
            name: 'FK_departments_calendar',
            columnNames: ['calendar_id'],
            referencedTableName: 'calendars',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'people',
        columns: [
          id,
          text('name', 120),
          text('email', 254),
          ref('department_id', true),
          text('role', 16),
          text('timezone', 64),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_people_email', columnNames: ['email'], isUnique: true },
          { name: 'IDX_people_department', columnNames: ['department_id'] },
        ],
        foreignKeys: [
          {
            name: 'FK_people_department',
            columnNames: ['department_id'],
            referencedTableName: 'departments',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          ref('person_id', false),
          text('name', 100),
          text('scope', 32),
          text('token_hash', 64),
          text('prefix', 16),
          instant('created_at'),
          instant('last_used_at', true),
          instant('revoked_at', true),
        ],
        indices: [
          { name: 'UQ_api_tokens_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'IDX_api_tokens_person', columnNames: ['person_id'] },
        ],
        foreignKeys: [
          {
            name: 'FK_api_tokens_person',
            columnNames: ['person_id'],
            referencedTableName: 'people',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id,
          instant('at'),
          ref('actor_id', true),
          text('actor_email', 254, true),
          text('action', 32),
          text('entity_type', 40),
          ref('entity_id', false),
          json('before', true),
          json('after', true),
        ],
        indices: [
          { name: 'IDX_audit_log_at', columnNames: ['at'] },
          { name: 'IDX_audit_log_entity', columnNames: ['entity_type', 'entity_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    await queryRunner.dropTable('api_tokens');
    await queryRunner.dropTable('people');
    await queryRunner.dropTable('departments');
    await queryRunner.dropTable('calendars');
  }
}
