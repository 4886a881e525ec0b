import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The language a person reads Concord in (issue 15): `en`, `fr`, `ru`, `uk` or `ar`; null means
 * they chose none, and the organisation's DEFAULT_LOCALE (or their browser, on pages) decides.
 */
export class PeopleLocale1795710000000 implements MigrationInterface {
  name = 'PeopleLocale1795710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('people', new TableColumn({ name: 'locale', type: 'varchar', length: '8', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('people', 'locale');
  }
}
