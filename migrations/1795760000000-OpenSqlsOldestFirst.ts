import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The never-worked SQLs of a funnel report are listed oldest first, twenty per group: an index on
 * `open_sqls (stage_id, entered_at, subject)` lets the report read them in that order and stop
 * once every group has its twenty, instead of reading and sorting every open SQL of the cohort.
 */
export class OpenSqlsOldestFirst1795760000000 implements MigrationInterface {
  name = 'OpenSqlsOldestFirst1795760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('open_sqls', new TableIndex({ name: 'IDX_open_sqls_oldest', columnNames: ['stage_id', 'entered_at', 'subject'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('open_sqls', 'IDX_open_sqls_oldest');
  }
}
