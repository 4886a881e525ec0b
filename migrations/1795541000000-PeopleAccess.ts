import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A person can be deactivated: with email sign-in, revoking tokens no longer cuts anyone off, and
 * someone with a history (breaches owned, minutes signed) cannot be deleted.
 */
export class PeopleAccess1795541000000 implements MigrationInterface {
  name = 'PeopleAccess1795541000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.addColumn('people', new TableColumn({ name: 'deactivated_at', type: instantType, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('people', 'deactivated_at');
  }
}
