import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An agreement's first version may measure history: from `measure_from` (before its approval)
 * instead of from the approval itself. Kept per version, since each version is signed as written.
 */
export class MeasureFrom1795550000000 implements MigrationInterface {
  name = 'MeasureFrom1795550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.addColumn('agreement_versions', new TableColumn({ name: 'measure_from', type: instantType, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('agreement_versions', 'measure_from');
  }
}
