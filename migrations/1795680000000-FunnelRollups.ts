import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * Funnel rollups (issue 14): per cohort stage (the funnel's first counted stage), UTC hour / day /
 * month / year of a subject's entry into it, and grouping (none, or an attribute of the entering
 * event with its value), how many of those subjects entered each stage with a histogram of the
 * seconds since their cohort entry (`kind` 'stage'), and how many were entered with each reason
 * and competitor (`kind` 'reason', `first_at` the earliest). `row_key` is a SHA-256 of what tells
 * rows of one bucket apart, so values up to the events' 1,000 characters stay under PostgreSQL's
 * index entry limit. Empty here: the service builds them at start when the funnel has entries and
 * they are missing (src/tracking/funnel-rollups.service.ts), then keeps them in the transactions
 * that write stage entries; `npm run rollups:rebuild` builds them again.
 */
export class FunnelRollups1795680000000 implements MigrationInterface {
  name = 'FunnelRollups1795680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantTypeFor(queryRunner.connection.driver.options.type);
    await queryRunner.createTable(
      new Table({
        name: 'funnel_rollups',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'cohort_stage_id', type: 'varchar', length: '36' },
          { name: 'span', type: 'varchar', length: '5' },
          { name: 'bucket_start', type: instant },
          { name: 'attribute', type: 'varchar', length: '100' },
          { name: 'value', type: 'text' },
          { name: 'stage_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '6' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'competitor', type: 'text', isNullable: true },
          { name: 'row_key', type: 'varchar', length: '64' },
          { name: 'entered', type: 'integer', default: 0 },
          { name: 'durations', type: 'text', default: "''" },
          { name: 'first_at', type: instant, isNullable: true },
        ],
        indices: [
          { name: 'UQ_funnel_rollups_key', columnNames: ['cohort_stage_id', 'span', 'bucket_start', 'row_key'], isUnique: true },
          { name: 'IDX_funnel_rollups_read', columnNames: ['cohort_stage_id', 'attribute', 'span', 'bucket_start'] },
          { name: 'IDX_funnel_rollups_stage', columnNames: ['stage_id'] },
        ],
        foreignKeys: [
          { name: 'FK_funnel_rollups_cohort_stage', columnNames: ['cohort_stage_id'], referencedTableName: 'funnel_stages', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { name: 'FK_funnel_rollups_stage', columnNames: ['stage_id'], referencedTableName: 'funnel_stages', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('funnel_rollups');
  }
}
