import { randomUUID } from 'node:crypto';
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** The funnel most marketing and sales teams share; every stage can be renamed, reordered or removed. */
const DEFAULT_STAGES: [string, string][] = [
  ['Lead', 'A person or company has shown interest and is recorded in the CRM.'],
  ['MQL', 'Marketing-qualified: fits the ideal customer profile and reached the agreed engagement score.'],
  ['SAL', 'Sales-accepted: sales has reviewed the lead and agreed to work it.'],
  ['SQL', 'Sales-qualified: a conversation confirmed need, budget, authority and timing.'],
  ['Opportunity', 'A deal with an amount and a close date is open in the CRM.'],
  ['Won', 'The customer signed.'],
  ['Lost', 'The deal is closed as lost, with a reason recorded.'],
  ['Recycled', 'Not ready now: handed back to marketing for nurturing, with a reason.'],
];

/**
 * Funnel stages, agreements with their versions and approvals, events, clocks, quota periods and
 * breaches. Table API only, so it runs on SQLite and PostgreSQL alike.
 */
export class AgreementsAndTracking1795518000000 implements MigrationInterface {
  name = 'AgreementsAndTracking1795518000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const ref = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable });
    const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const longText = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
    const integer = (name: string): TableColumnOptions => ({ name, type: 'integer' });
    const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: instantType, isNullable });
    const fk = (column: string, table: string, name: string, onDelete: string) => ({
      name,
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete,
    });

    await queryRunner.createTable(
      new Table({
        name: 'funnel_stages',
        columns: [
          id,
          text('name', 60),
          integer('position'),
          ref('department_id', true),
          ref('owner_id', true),
          longText('done_definition'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [{ name: 'UQ_funnel_stages_name', columnNames: ['name'], isUnique: true }],
        foreignKeys: [
          fk('department_id', 'departments', 'FK_funnel_stages_department', 'RESTRICT'),
          fk('owner_id', 'people', 'FK_funnel_stages_owner', 'SET NULL'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'agreements',
        columns: [
          id,
          text('kind', 16),
          text('status', 16),
          ref('provider_department_id'),
          ref('consumer_department_id'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'IDX_agreements_provider', columnNames: ['provider_department_id'] },
          { name: 'IDX_agreements_consumer', columnNames: ['consumer_department_id'] },
        ],
        foreignKeys: [
          fk('provider_department_id', 'departments', 'FK_agreements_provider', 'RESTRICT'),
          fk('consumer_department_id', 'departments', 'FK_agreements_consumer', 'RESTRICT'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'agreement_versions',
        columns: [
          id,
          ref('agreement_id'),
          integer('number'),
          text('status', 16),
          text('name', 120),
          ref('calendar_id'),
          ref('stage_id', true),
          longText('response', true),
          longText('quota', true),
          ref('created_by', true),
          instant('created_at'),
          integer('proposal_round'),
          instant('proposed_at', true),
          instant('active_from', true),
          instant('active_until', true),
        ],
        indices: [
          { name: 'UQ_agreement_versions_number', columnNames: ['agreement_id', 'number'], isUnique: true },
          { name: 'IDX_agreement_versions_status', columnNames: ['status'] },
        ],
        foreignKeys: [
          fk('agreement_id', 'agreements', 'FK_agreement_versions_agreement', 'CASCADE'),
          fk('calendar_id', 'calendars', 'FK_agreement_versions_calendar', 'RESTRICT'),
          fk('stage_id', 'funnel_stages', 'FK_agreement_versions_stage', 'SET NULL'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'agreement_approvals',
        columns: [
          id,
          ref('version_id'),
          ref('person_id'),
          ref('department_id'),
          integer('proposal_round'),
          text('decision', 8),
          longText('comment', true),
          instant('at'),
        ],
        indices: [{ name: 'IDX_agreement_approvals_version', columnNames: ['version_id'] }],
        foreignKeys: [fk('version_id', 'agreement_versions', 'FK_agreement_approvals_version', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          id,
          text('dedupe_key', 204),
          text('key', 200, true),
          text('type', 100),
          text('subject', 200),
          instant('occurred_at'),
          instant('received_at'),
          longText('attributes'),
          ref('source_id', true),
        ],
        indices: [
          { name: 'UQ_events_dedupe_key', columnNames: ['dedupe_key'], isUnique: true },
          { name: 'IDX_events_subject', columnNames: ['subject', 'occurred_at', 'id'] },
          { name: 'IDX_events_type', columnNames: ['type', 'occurred_at'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'clocks',
        columns: [
          id,
          ref('agreement_id'),
          ref('version_id'),
          text('subject', 200),
          ref('start_event_id'),
          integer('cycle'),
          integer('target_index'),
          text('target_name', 60),
          integer('target_seconds'),
          text('state', 10),
          text('outcome', 10),
          instant('started_at'),
          instant('stopped_at', true),
          instant('due_at', true),
          instant('warn_at', true),
          instant('warned_at', true),
          instant('breached_at', true),
          integer('elapsed_seconds'),
          integer('paused_seconds'),
          integer('calendar_version'),
          longText('steps'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_clocks_start', columnNames: ['subject', 'agreement_id', 'start_event_id'], isUnique: true },
          { name: 'IDX_clocks_due', columnNames: ['outcome', 'due_at'] },
          { name: 'IDX_clocks_warn', columnNames: ['outcome', 'warn_at'] },
          { name: 'IDX_clocks_agreement_started', columnNames: ['agreement_id', 'started_at'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'quota_periods',
        columns: [
          id,
          ref('agreement_id'),
          ref('version_id'),
          text('label', 16),
          instant('period_start'),
          instant('period_end'),
          integer('count'),
          integer('minimum'),
          text('status', 8),
          instant('closed_at', true),
          instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_quota_periods_start', columnNames: ['agreement_id', 'period_start'], isUnique: true },
          { name: 'IDX_quota_periods_closing', columnNames: ['status', 'period_end'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'breaches',
        columns: [
          id,
          text('kind', 16),
          ref('agreement_id'),
          ref('version_id'),
          ref('clock_id', true),
          ref('quota_period_id', true),
          text('subject', 200, true),
          ref('department_id'),
          ref('owner_id', true),
          instant('due_at'),
          instant('detected_at'),
          longText('cause', true),
          longText('corrective_action', true),
          instant('explained_at', true),
          ref('explained_by', true),
          instant('withdrawn_at', true),
        ],
        indices: [
          { name: 'UQ_breaches_clock', columnNames: ['clock_id'], isUnique: true },
          { name: 'UQ_breaches_quota_period', columnNames: ['quota_period_id'], isUnique: true },
          { name: 'IDX_breaches_agreement', columnNames: ['agreement_id', 'due_at'] },
          { name: 'IDX_breaches_department', columnNames: ['department_id', 'due_at'] },
        ],
      }),
    );

    // Raw SQL rather than entities: a migration must not change when the entities do.
    const isPostgres = queryRunner.connection.driver.options.type === 'postgres';
    const placeholders = Array.from({ length: 6 }, (_, i) => (isPostgres ? `$${i + 1}` : '?')).join(', ');
    const now = isPostgres ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', '');
    for (const [index, [name, doneDefinition]] of DEFAULT_STAGES.entries()) {
      await queryRunner.query(
        `INSERT INTO funnel_stages (id, name, position, done_definition, created_at, updated_at) VALUES (${placeholders})`,
        [randomUUID(), name, index + 1, doneDefinition, now, now],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['breaches', 'quota_periods', 'clocks', 'events', 'agreement_approvals', 'agreement_versions', 'agreements', 'funnel_stages']) {
      await queryRunner.dropTable(table);
    }
  }
}
