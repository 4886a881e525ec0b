import { Table, TableColumn, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Breach alerts a head can act on, and explanations with a history and a verdict: each edit of an
 * explanation is kept as a revision, the consumer department's head accepts or disputes the
 * latest one (reviews kept too), the breach keeps where its review stands, and an agreement
 * version may carry a link template to the subject in the CRM.
 */
export class BreachExplanations1795551000000 implements MigrationInterface {
  name = 'BreachExplanations1795551000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const ref = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable });
    const breach = (table: string) => ({
      name: `FK_${table}_breach`,
      columnNames: ['breach_id'],
      referencedTableName: 'breaches',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    });

    await queryRunner.addColumn('agreement_versions', new TableColumn({ name: 'subject_link', type: 'varchar', length: '500', isNullable: true }));
    await queryRunner.addColumn('breaches', new TableColumn({ name: 'review_status', type: 'varchar', length: '16', isNullable: true }));

    await queryRunner.createTable(
      new Table({
        name: 'breach_explanations',
        columns: [
          id,
          ref('breach_id'),
          { name: 'revision', type: 'integer' },
          { name: 'cause', type: 'text' },
          { name: 'corrective_action', type: 'text' },
          ref('explained_by', true),
          { name: 'explained_at', type: instantType },
        ],
        indices: [{ name: 'UQ_breach_explanations_revision', columnNames: ['breach_id', 'revision'], isUnique: true }],
        foreignKeys: [breach('breach_explanations')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'breach_reviews',
        columns: [
          id,
          ref('breach_id'),
          { name: 'revision', type: 'integer' },
          { name: 'verdict', type: 'varchar', length: '16' },
          { name: 'comment', type: 'text', isNullable: true },
          ref('reviewed_by'),
          { name: 'reviewed_at', type: instantType },
        ],
        indices: [{ name: 'IDX_breach_reviews_breach', columnNames: ['breach_id', 'reviewed_at'] }],
        foreignKeys: [breach('breach_reviews')],
      }),
    );

    // Explanations written before this migration become their first revision (with the breach's
    // id, unique here), awaiting the consumer head's review. Raw SQL: entities may change later.
    await queryRunner.query(
      `INSERT INTO breach_explanations (id, breach_id, revision, cause, corrective_action, explained_by, explained_at)
       SELECT id, id, 1, COALESCE(cause, ''), COALESCE(corrective_action, ''), explained_by, explained_at FROM breaches WHERE explained_at IS NOT NULL`,
    );
    await queryRunner.query(`UPDATE breaches SET review_status = 'pending' WHERE explained_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('breach_reviews');
    await queryRunner.dropTable('breach_explanations');
    await queryRunner.dropColumn('breaches', 'review_status');
    await queryRunner.dropColumn('agreement_versions', 'subject_link');
  }
}
