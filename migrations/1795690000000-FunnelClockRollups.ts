import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * The rest of the funnel report in milliseconds (issue 14):
 * - `funnel_clock_rollups`: per cohort stage, UTC hour / day / month / year of the cohort entry,
 *   grouping (as funnel_rollups), agreement and target, how many of the cohort's response clocks
 *   were met and breached — kept by the clock repository with the clocks, and by the funnel
 *   rollups when a cohort entry moves;
 * - `open_sqls`: the subjects that entered the SQL stage (the first entered by lead.sql) and none
 *   of the outcome stages yet, with when they entered SQL and their cohort entry (when, and its
 *   event's attributes, to group by) — the never-worked leads are read from these alone, not
 *   from every SQL of the cohort.
 * Empty here: the service builds both with the funnel rollups at start.
 */
export class FunnelClockRollups1795690000000 implements MigrationInterface {
  name = 'FunnelClockRollups1795690000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantTypeFor(queryRunner.connection.driver.options.type);
    await queryRunner.createTable(
      new Table({
        name: 'funnel_clock_rollups',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'cohort_stage_id', type: 'varchar', length: '36' },
          { name: 'span', type: 'varchar', length: '5' },
          { name: 'bucket_start', type: instant },
          { name: 'attribute', type: 'varchar', length: '100' },
          { name: 'value', type: 'text' },
          { name: 'agreement_id', type: 'varchar', length: '36' },
          { name: 'target_name', type: 'varchar', length: '60' },
          { name: 'row_key', type: 'varchar', length: '64' },
          { name: 'met', type: 'integer', default: 0 },
          { name: 'breached', type: 'integer', default: 0 },
        ],
        indices: [
          { name: 'UQ_funnel_clock_rollups_key', columnNames: ['cohort_stage_id', 'span', 'bucket_start', 'row_key'], isUnique: true },
          { name: 'IDX_funnel_clock_rollups_read', columnNames: ['cohort_stage_id', 'attribute', 'span', 'bucket_start'] },
        ],
        foreignKeys: [
          { name: 'FK_funnel_clock_rollups_cohort_stage', columnNames: ['cohort_stage_id'], referencedTableName: 'funnel_stages', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'open_sqls',
        columns: [
          { name: 'subject', type: 'varchar', length: '200', isPrimary: true },
          { name: 'stage_id', type: 'varchar', length: '36' },
          { name: 'entered_at', type: instant },
          { name: 'cohort_entered_at', type: instant },
          { name: 'attributes', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'IDX_open_sqls_cohort', columnNames: ['cohort_entered_at'] }],
        foreignKeys: [{ name: 'FK_open_sqls_stage', columnNames: ['stage_id'], referencedTableName: 'funnel_stages', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('open_sqls');
    await queryRunner.dropTable('funnel_clock_rollups');
  }
}
