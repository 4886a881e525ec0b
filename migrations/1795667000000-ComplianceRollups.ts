import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { instantTypeFor } from '../src/database/columns.js';

/** The rollup spans and, per dialect, the start of the UTC span a clock started in. */
const SPANS = ['hour', 'day', 'month', 'year'] as const;
function spanStart(dialect: 'postgres' | 'sqlite', span: (typeof SPANS)[number], column: string): string {
  if (dialect === 'postgres') return `date_trunc('${span}', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  // SQLite keeps instants as 'YYYY-MM-DD HH:MM:SS.sss' (UTC): the span's start is a prefix, zero-filled.
  const keep = { hour: [13, ':00:00.000'], day: [10, ' 00:00:00.000'], month: [7, '-01 00:00:00.000'], year: [4, '-01-01 00:00:00.000'] }[span];
  return `(substr(${column}, 1, ${keep[0]}) || '${keep[1]}')`;
}

/**
 * The histogram bucket of src/tracking/domain/duration-histogram.ts in SQL both databases run:
 * below 128 seconds the value itself, else, for 2^e ≤ v < 2^(e+1), v / 2^(e-6) + 64 (e-6) in
 * integer arithmetic. Frozen here with the migration; compliance-rollups.db.spec.ts checks it
 * against durationBucket.
 */
function durationBucketSql(column: string): string {
  const ladder: string[] = [`WHEN ${column} <= 0 THEN 0`, `WHEN ${column} < 128 THEN ${column}`];
  for (let exponent = 7; exponent <= 30; exponent++) {
    ladder.push(`WHEN ${column} < ${2 ** (exponent + 1)} THEN ${column} / ${2 ** (exponent - 6)} + ${(exponent - 6) * 64}`);
  }
  return `CASE ${ladder.join(' ')} END`;
}

/**
 * Compliance rollups (issue 14): per agreement, UTC hour / day / month / year of the clocks' start,
 * version and target, the clocks in each part of the compliance figures and a histogram of the
 * stopped ones' working seconds (`durations`, `bucket:count` pairs), so `GET
 * /api/agreements/:id/compliance` reads a year from a few rows. Filled here from the clocks
 * already stored, in set-based SQL (the histogram buckets counted in a work table first); from
 * then on the clock repository keeps them in the transactions that write clocks. No foreign
 * keys, as for the clocks: the rows are derived, and rebuilt by `npm run rollups:rebuild`.
 */
export class ComplianceRollups1795667000000 implements MigrationInterface {
  name = 'ComplianceRollups1795667000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const driver = queryRunner.connection.driver.options.type;
    const dialect = driver === 'postgres' ? 'postgres' : 'sqlite';
    const count = (name: string): TableColumnOptions => ({ name, type: 'integer', default: 0 });
    await queryRunner.createTable(
      new Table({
        name: 'compliance_rollups',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'agreement_id', type: 'varchar', length: '36' },
          { name: 'span', type: 'varchar', length: '5' },
          { name: 'bucket_start', type: instantTypeFor(driver) },
          { name: 'version_id', type: 'varchar', length: '36' },
          { name: 'target_name', type: 'varchar', length: '60' },
          count('met'),
          count('breached'),
          count('breached_open'),
          count('running'),
          count('paused'),
          count('cancelled'),
          count('stopped'),
          { name: 'durations', type: 'text', default: "''" },
        ],
        indices: [{ name: 'UQ_compliance_rollups_key', columnNames: ['agreement_id', 'span', 'bucket_start', 'version_id', 'target_name'], isUnique: true }],
      }),
    );

    const when = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    await queryRunner.query('CREATE TABLE compliance_rollup_fill (rollup_id integer NOT NULL, bucket integer NOT NULL, count integer NOT NULL)');
    for (const span of SPANS) {
      const start = spanStart(dialect, span, 'started_at');
      await queryRunner.query(
        `INSERT INTO compliance_rollups (agreement_id, span, bucket_start, version_id, target_name, met, breached, breached_open, running, paused, cancelled, stopped)
         SELECT agreement_id, '${span}', ${start}, version_id, target_name,
           ${when(`outcome = 'met'`)}, ${when(`outcome = 'breached'`)}, ${when(`outcome = 'breached' AND state IN ('running', 'paused')`)},
           ${when(`outcome = 'pending' AND state <> 'paused'`)}, ${when(`outcome = 'pending' AND state = 'paused'`)},
           ${when(`outcome = 'cancelled'`)}, ${when(`state = 'stopped'`)}
         FROM clocks WHERE state <> 'void'
         GROUP BY agreement_id, ${start}, version_id, target_name`,
      );
      const bucket = durationBucketSql('c.elapsed_seconds');
      await queryRunner.query(
        `INSERT INTO compliance_rollup_fill (rollup_id, bucket, count)
         SELECT r.id, ${bucket}, COUNT(*) FROM clocks c
         JOIN compliance_rollups r ON r.agreement_id = c.agreement_id AND r.span = '${span}' AND r.bucket_start = ${spanStart(dialect, span, 'c.started_at')}
           AND r.version_id = c.version_id AND r.target_name = c.target_name
         WHERE c.state = 'stopped'
         GROUP BY r.id, ${bucket}`,
      );
    }
    await queryRunner.query('CREATE INDEX IDX_compliance_rollup_fill ON compliance_rollup_fill (rollup_id)');
    const pairs = dialect === 'postgres' ? `string_agg(f.bucket || ':' || f.count, ',' ORDER BY f.bucket)` : `group_concat(f.bucket || ':' || f.count, ',' ORDER BY f.bucket)`;
    await queryRunner.query(
      `UPDATE compliance_rollups SET durations = (SELECT ${pairs} FROM compliance_rollup_fill f WHERE f.rollup_id = compliance_rollups.id)
       WHERE id IN (SELECT rollup_id FROM compliance_rollup_fill)`,
    );
    await queryRunner.query('DROP TABLE compliance_rollup_fill');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('compliance_rollups');
  }
}
