import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A department's breaches by explanation, withdrawal and due time (issue 14, the dashboard of a
 * head): "waiting for an explanation, latest first" and their count become one index range,
 * instead of every breach the department ever had read and sorted for a page of ten.
 */
export class BreachesWaiting1795700000000 implements MigrationInterface {
  name = 'BreachesWaiting1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('breaches', new TableIndex({ name: 'IDX_breaches_waiting', columnNames: ['department_id', 'explained_at', 'withdrawn_at', 'due_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('breaches', 'IDX_breaches_waiting');
  }
}
