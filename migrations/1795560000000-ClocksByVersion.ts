import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The sweep's stale-calendar check joins `clocks` to `agreement_versions` on `version_id`
 * (SweepService.recomputeStaleCalendars): without an index every check of a changed calendar
 * reads every clock.
 */
export class ClocksByVersion1795560000000 implements MigrationInterface {
  name = 'ClocksByVersion1795560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('clocks', new TableIndex({ name: 'IDX_clocks_version', columnNames: ['version_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('clocks', 'IDX_clocks_version');
  }
}
