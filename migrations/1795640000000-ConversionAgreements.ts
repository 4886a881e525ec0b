import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/**
 * Shared KPIs as agreements (issue 14): an agreement version may carry conversion terms (of the
 * subjects entering one stage in a period, the share entering another within a business-time
 * window), measured per period in `conversion_periods` from the stage entries; a missed period is
 * a breach row of kind 'conversion', unique per period like a quota period's.
 */
export class ConversionAgreements1795640000000 implements MigrationInterface {
  name = 'ConversionAgreements1795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantTypeFor(queryRunner.connection.driver.options.type);
    await queryRunner.addColumn('agreement_versions', new TableColumn({ name: 'conversion', type: 'text', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'conversion_periods',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'agreement_id', type: 'varchar', length: '36' },
          { name: 'version_id', type: 'varchar', length: '36' },
          { name: 'label', type: 'varchar', length: '16' },
          { name: 'period_start', type: instant },
          { name: 'period_end', type: instant },
          { name: 'cohort', type: 'integer' },
          { name: 'converted', type: 'integer' },
          { name: 'status', type: 'varchar', length: '8' },
          { name: 'closes_at', type: instant },
          { name: 'closed_at', type: instant, isNullable: true },
          { name: 'updated_at', type: instant },
        ],
        indices: [
          { name: 'UQ_conversion_periods_start', columnNames: ['agreement_id', 'period_start'], isUnique: true },
          { name: 'IDX_conversion_periods_closing', columnNames: ['status', 'closes_at'] },
        ],
      }),
    );
    await queryRunner.addColumn('breaches', new TableColumn({ name: 'conversion_period_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex('breaches', new TableIndex({ name: 'UQ_breaches_conversion_period', columnNames: ['conversion_period_id'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('breaches', 'UQ_breaches_conversion_period');
    await queryRunner.dropColumn('breaches', 'conversion_period_id');
    await queryRunner.dropTable('conversion_periods');
    await queryRunner.dropColumn('agreement_versions', 'conversion');
  }
}
