import { Table, TableColumn, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** The email outbox, report subscriptions, and when a breach was escalated. */
export class Notifications1795526000000 implements MigrationInterface {
  name = 'Notifications1795526000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    const longText = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
    const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: instantType, isNullable });

    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          id,
          text('dedupe_key', 200),
          text('kind', 32),
          text('reference_id', 36, true),
          text('recipient_id', 36, true),
          text('recipient_email', 254),
          longText('payload', true),
          text('subject', 300, true),
          longText('html', true),
          longText('text', true),
          longText('attachments', true),
          text('status', 10),
          { name: 'attempts', type: 'integer' },
          instant('next_attempt_at'),
          instant('claimed_until', true),
          longText('last_error', true),
          instant('created_at'),
          instant('sent_at', true),
        ],
        indices: [
          { name: 'UQ_notifications_dedupe_key', columnNames: ['dedupe_key'], isUnique: true },
          { name: 'IDX_notifications_due', columnNames: ['status', 'next_attempt_at'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'subscriptions',
        columns: [id, text('person_id', 36), text('report', 32), text('schedule', 100), longText('department_ids'), instant('created_at'), instant('updated_at')],
        indices: [{ name: 'IDX_subscriptions_person', columnNames: ['person_id'] }],
        foreignKeys: [
          { name: 'FK_subscriptions_person', columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );

    await queryRunner.addColumn('breaches', new TableColumn({ name: 'escalated_at', type: instantType, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('breaches', 'escalated_at');
    await queryRunner.dropTable('subscriptions');
    await queryRunner.dropTable('notifications');
  }
}
