import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/** The conventional event entering each stage of the default funnel (Lead has none: CRMs rarely send one). */
const CONVENTIONAL: [string, string][] = [
  ['MQL', 'lead.mql'],
  ['SAL', 'lead.accepted'],
  ['SQL', 'lead.sql'],
  ['Won', 'lead.won'],
  ['Lost', 'lead.lost'],
  ['Recycled', 'lead.recycled'],
];

/**
 * Stages entered by events (issue 14): a funnel stage names the event that enters it
 * (`entered_on`, an event filter as JSON), and `stage_entries` keeps, per stage and subject, the
 * first matching event — fed by ingestion in the transaction that stores the events, rebuilt when
 * a stage's filter changes — so the funnel, the closed-loop report and conversion KPIs look
 * entries up instead of scanning events.
 */
export class StageEntries1795620000000 implements MigrationInterface {
  name = 'StageEntries1795620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantTypeFor(queryRunner.connection.driver.options.type);
    await queryRunner.addColumn('funnel_stages', new TableColumn({ name: 'entered_on', type: 'text', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'stage_entries',
        columns: [
          { name: 'stage_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'subject', type: 'varchar', length: '200', isPrimary: true },
          { name: 'entered_at', type: instant },
          { name: 'event_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [
          { name: 'FK_stage_entries_stage', columnNames: ['stage_id'], referencedTableName: 'funnel_stages', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [
          { name: 'IDX_stage_entries_entered', columnNames: ['stage_id', 'entered_at'] },
          { name: 'IDX_stage_entries_subject', columnNames: ['subject'] },
        ],
      }),
    );
    for (const [name, type] of CONVENTIONAL) {
      const filter = JSON.stringify({ type });
      const p = (n: number) => (queryRunner.connection.driver.options.type === 'postgres' ? `$${n}` : '?');
      await queryRunner.query(`UPDATE funnel_stages SET entered_on = ${p(1)} WHERE name = ${p(2)} AND entered_on IS NULL`, [filter, name]);
      // Per subject, its first event of the type (by occurred-at, then id), as ingestion keeps it.
      await queryRunner.query(
        `INSERT INTO stage_entries (stage_id, subject, entered_at, event_id)
         SELECT s.id, e.subject, e.occurred_at, e.id
         FROM (SELECT subject, occurred_at, id, ROW_NUMBER() OVER (PARTITION BY subject ORDER BY occurred_at, id) AS n FROM events WHERE type = ${p(1)}) e
         JOIN funnel_stages s ON s.name = ${p(2)} AND s.entered_on = ${p(3)}
         WHERE e.n = 1`,
        [type, name, filter],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stage_entries');
    await queryRunner.query('ALTER TABLE funnel_stages DROP COLUMN entered_on');
  }
}
