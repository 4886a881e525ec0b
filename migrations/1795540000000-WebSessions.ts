import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** Sign-in for the pages: browser sessions and single-use sign-in links sent by email. */
export class WebSessions1795540000000 implements MigrationInterface {
  name = 'WebSessions1795540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: instantType, isNullable });
    const person = { columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'], onDelete: 'CASCADE' };

    await queryRunner.createTable(
      new Table({
        name: 'web_sessions',
        columns: [id, text('secret_hash', 64), text('person_id', 36), text('token_id', 36, true), text('csrf_token', 64), instant('created_at'), instant('expires_at'), instant('ended_at', true)],
        indices: [
          { name: 'UQ_web_sessions_secret', columnNames: ['secret_hash'], isUnique: true },
          { name: 'IDX_web_sessions_person', columnNames: ['person_id'] },
          { name: 'IDX_web_sessions_token', columnNames: ['token_id'] },
        ],
        foreignKeys: [
          { ...person, name: 'FK_web_sessions_person' },
          { name: 'FK_web_sessions_token', columnNames: ['token_id'], referencedTableName: 'api_tokens', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sign_in_links',
        columns: [id, text('secret_hash', 64), text('person_id', 36), instant('created_at'), instant('expires_at'), instant('used_at', true)],
        indices: [
          { name: 'UQ_sign_in_links_secret', columnNames: ['secret_hash'], isUnique: true },
          { name: 'IDX_sign_in_links_person', columnNames: ['person_id'] },
        ],
        foreignKeys: [{ ...person, name: 'FK_sign_in_links_person' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sign_in_links');
    await queryRunner.dropTable('web_sessions');
  }
}
