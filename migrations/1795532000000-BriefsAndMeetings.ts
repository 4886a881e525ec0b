import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** Briefs with their thread, and joint meetings: series, participants, occurrences, records, minutes. */
export class BriefsAndMeetings1795532000000 implements MigrationInterface {
  name = 'BriefsAndMeetings1795532000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instantType = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    const ref = (name: string, isNullable = false) => text(name, 36, isNullable);
    const long = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
    const integer = (name: string): TableColumnOptions => ({ name, type: 'integer' });
    const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: instantType, isNullable });

    await queryRunner.createTable(
      new Table({
        name: 'briefs',
        columns: [
          id,
          text('title', 200),
          text('status', 16),
          ref('requester_department_id'),
          ref('recipient_department_id'),
          long('content'),
          ref('created_by'),
          instant('created_at'),
          instant('updated_at'),
          instant('submitted_at', true),
        ],
        indices: [
          { name: 'IDX_briefs_requester', columnNames: ['requester_department_id', 'status'] },
          { name: 'IDX_briefs_recipient', columnNames: ['recipient_department_id', 'status'] },
        ],
        foreignKeys: [
          { name: 'FK_briefs_requester', columnNames: ['requester_department_id'], referencedTableName: 'departments', referencedColumnNames: ['id'], onDelete: 'RESTRICT' },
          { name: 'FK_briefs_recipient', columnNames: ['recipient_department_id'], referencedTableName: 'departments', referencedColumnNames: ['id'], onDelete: 'RESTRICT' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'brief_entries',
        columns: [id, ref('brief_id'), text('kind', 8), text('from_status', 16, true), text('to_status', 16, true), long('body', true), ref('author_id'), instant('at')],
        indices: [{ name: 'IDX_brief_entries_brief', columnNames: ['brief_id', 'at'] }],
        foreignKeys: [{ name: 'FK_brief_entries_brief', columnNames: ['brief_id'], referencedTableName: 'briefs', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meeting_series',
        columns: [
          id,
          text('title', 200),
          long('department_ids'),
          text('timezone', 64),
          text('starts_on', 16),
          text('rrule', 500),
          integer('duration_minutes'),
          text('location', 300, true),
          long('agenda_template'),
          long('quorum'),
          ref('chair_id', true),
          ref('minute_taker_id', true),
          integer('sequence'),
          text('status', 10),
          ref('created_by'),
          instant('created_at'),
          instant('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meeting_participants',
        columns: [id, ref('series_id'), ref('person_id'), text('role', 10), ref('delegate_id', true)],
        indices: [{ name: 'UQ_meeting_participants', columnNames: ['series_id', 'person_id'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meetings',
        columns: [
          id,
          ref('series_id'),
          instant('occurrence_start'),
          instant('starts_at'),
          instant('ends_at'),
          text('status', 10),
          text('quorum_met', 3, true),
          text('minutes_status', 10),
          integer('minutes_revision'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_meetings_occurrence', columnNames: ['series_id', 'occurrence_start'], isUnique: true },
          { name: 'IDX_meetings_starts', columnNames: ['starts_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meeting_attendance',
        columns: [id, ref('meeting_id'), ref('person_id'), text('status', 10), ref('delegate_for', true)],
        indices: [{ name: 'UQ_meeting_attendance', columnNames: ['meeting_id', 'person_id'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'agenda_items',
        columns: [id, ref('meeting_id'), integer('position'), text('source', 10), text('title', 300), long('details', true), long('notes', true)],
        indices: [{ name: 'IDX_agenda_items_meeting', columnNames: ['meeting_id', 'position'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'meeting_outcomes',
        columns: [
          id,
          ref('meeting_id'),
          ref('series_id'),
          ref('agenda_item_id', true),
          text('type', 12),
          long('text'),
          long('rationale', true),
          ref('owner_id', true),
          text('due_on', 10, true),
          text('status', 10),
          instant('done_at', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'IDX_meeting_outcomes_meeting', columnNames: ['meeting_id'] },
          { name: 'IDX_meeting_outcomes_actions', columnNames: ['type', 'status', 'due_on'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'minutes_revisions',
        columns: [id, ref('meeting_id'), integer('revision'), text('status', 10), long('snapshot'), long('approvals'), instant('finalized_at'), instant('approved_at', true)],
        indices: [{ name: 'UQ_minutes_revisions', columnNames: ['meeting_id', 'revision'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['minutes_revisions', 'meeting_outcomes', 'agenda_items', 'meeting_attendance', 'meetings', 'meeting_participants', 'meeting_series', 'brief_entries', 'briefs']) {
      await queryRunner.dropTable(table);
    }
  }
}
