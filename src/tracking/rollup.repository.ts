import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chunks } from '../common/chunks.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { DurationHistogram } from './domain/duration-histogram.js';
import { rollupKeyText, zeroCounts, type RollupCounts, type RollupDelta, type RollupDeltas, type RollupRange } from './domain/rollups.js';

/** Rollup rows per statement: 12 parameters each. */
const ROLLUPS_PER_STATEMENT = 200;
/** Histogram rows per statement: 3 parameters each. */
const DURATIONS_PER_STATEMENT = 500;

/** Count columns in the order RollupCounts names them. */
const COUNT_COLUMNS: readonly [keyof RollupCounts, string][] = [
  ['met', 'met'],
  ['breached', 'breached'],
  ['running', 'running'],
  ['paused', 'paused'],
  ['cancelled', 'cancelled'],
  ['breachedOpen', 'breached_open'],
  ['stopped', 'stopped'],
];

/** Sums of the rollups of one target over a set of ranges. */
export interface TargetRollup {
  targetName: string;
  counts: RollupCounts;
}

/**
 * The rollup tables' I/O, in hand-written SQL run by both databases (ON CONFLICT … DO UPDATE
 * adding to the stored counts, RETURNING: SQLite ≥ 3.35, PostgreSQL). Stateless: the clock
 * repository applies through it the changes its writes make, in the same transaction.
 */
@Injectable()
export class RollupRepository {
  /**
   * Adds the changes to the stored rollups: counts by upsert (a rollup first seen is inserted),
   * then the histogram buckets of those that have some, keyed by the rollup's id.
   */
  async apply(manager: EntityManager, deltas: RollupDeltas): Promise<void> {
    const changes = deltas.changes();
    if (changes.length === 0) return;
    const dialect = SqlDialect.of(manager);
    const durations: [number, number, number][] = [];
    for (const part of chunks(changes, ROLLUPS_PER_STATEMENT)) {
      const values: unknown[] = [];
      const tuples = part.map((change, i) => {
        const { key, counts } = change;
        values.push(key.agreementId, key.span, dialect.instant(key.bucketStart), key.versionId, key.targetName, ...COUNT_COLUMNS.map(([name]) => counts[name]));
        return `(${dialect.params(i * 12 + 1, 12)})`;
      });
      const withDurations = part.filter((change) => change.durations.size > 0);
      const sql = `INSERT INTO compliance_rollups (agreement_id, span, bucket_start, version_id, target_name, ${COUNT_COLUMNS.map(([, column]) => column).join(', ')})
         VALUES ${tuples.join(', ')}
         ON CONFLICT (agreement_id, span, bucket_start, version_id, target_name) DO UPDATE SET
         ${COUNT_COLUMNS.map(([, column]) => `${column} = compliance_rollups.${column} + excluded.${column}`).join(', ')}`;
      if (withDurations.length === 0) {
        await manager.query(sql, values);
        continue;
      }
      const rows = await SqlDialect.rows<{ id: number; agreement_id: string; span: RollupDelta['key']['span']; bucket_start: unknown; version_id: string; target_name: string }>(
        manager,
        `${sql} RETURNING id, agreement_id, span, bucket_start, version_id, target_name`,
        values,
      );
      // RETURNING promises no order: rows are matched to their changes by key.
      const ids = new Map(
        rows.map((row) => [
          rollupKeyText({
            agreementId: row.agreement_id,
            span: row.span,
            bucketStart: dialect.readInstant(row.bucket_start) as number,
            versionId: row.version_id,
            targetName: row.target_name,
          }),
          Number(row.id),
        ]),
      );
      for (const change of withDurations) {
        const id = ids.get(rollupKeyText(change.key));
        if (id === undefined) throw new Error(`rollup ${rollupKeyText(change.key)} was written but not returned`);
        for (const [bucket, count] of change.durations) durations.push([id, bucket, count]);
      }
    }
    // In (rollup, bucket) order, as the rollups themselves: concurrent writers lock in one order.
    durations.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const part of chunks(durations, DURATIONS_PER_STATEMENT)) {
      await manager.query(
        `INSERT INTO compliance_rollup_durations (rollup_id, bucket, count) VALUES ${part.map((_, i) => `(${dialect.params(i * 3 + 1, 3)})`).join(', ')}
         ON CONFLICT (rollup_id, bucket) DO UPDATE SET count = compliance_rollup_durations.count + excluded.count`,
        part.flat(),
      );
    }
  }

  /** The counts of an agreement's rollups in some ranges, summed per target (over versions). */
  async sumCounts(manager: EntityManager, agreementId: string, ranges: readonly RollupRange[]): Promise<TargetRollup[]> {
    if (ranges.length === 0) return [];
    const { where, parameters } = this.rangeCondition(SqlDialect.of(manager), agreementId, ranges, 'r');
    const rows = await SqlDialect.rows<Record<string, unknown>>(
      manager,
      `SELECT r.target_name, ${COUNT_COLUMNS.map(([, column]) => `SUM(r.${column}) AS ${column}`).join(', ')}
       FROM compliance_rollups r WHERE ${where} GROUP BY r.target_name`,
      parameters,
    );
    return rows.map((row) => {
      const counts = zeroCounts();
      for (const [name, column] of COUNT_COLUMNS) counts[name] = Number(row[column]);
      return { targetName: String(row.target_name), counts };
    });
  }

  /** The histograms of an agreement's rollups in some ranges, merged per target. */
  async histograms(manager: EntityManager, agreementId: string, ranges: readonly RollupRange[]): Promise<Map<string, DurationHistogram>> {
    const byTarget = new Map<string, DurationHistogram>();
    if (ranges.length === 0) return byTarget;
    const { where, parameters } = this.rangeCondition(SqlDialect.of(manager), agreementId, ranges, 'r');
    const rows = await SqlDialect.rows<{ target_name: string; bucket: number; count: number }>(
      manager,
      `SELECT r.target_name, d.bucket, SUM(d.count) AS count
       FROM compliance_rollups r JOIN compliance_rollup_durations d ON d.rollup_id = r.id
       WHERE ${where} GROUP BY r.target_name, d.bucket`,
      parameters,
    );
    for (const row of rows) {
      let histogram = byTarget.get(row.target_name);
      if (!histogram) byTarget.set(row.target_name, (histogram = new DurationHistogram()));
      histogram.addToBucket(Number(row.bucket), Number(row.count));
    }
    return byTarget;
  }

  /** Removes an agreement's rollups whose bucket starts in [from, to), before they are built again from its clocks. */
  async clear(manager: EntityManager, agreementId: string, { from, to }: { from: number; to: number }): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const which = `agreement_id = ${dialect.param(1)} AND bucket_start >= ${dialect.param(2)} AND bucket_start < ${dialect.param(3)}`;
    const parameters = [agreementId, dialect.instant(from), dialect.instant(to)];
    await manager.query(`DELETE FROM compliance_rollup_durations WHERE rollup_id IN (SELECT id FROM compliance_rollups WHERE ${which})`, parameters);
    await manager.query(`DELETE FROM compliance_rollups WHERE ${which}`, parameters);
  }

  /** Every agreement that has rollups. */
  async agreementIds(manager: EntityManager): Promise<string[]> {
    const rows = await SqlDialect.rows<{ agreement_id: string }>(manager, 'SELECT DISTINCT agreement_id FROM compliance_rollups');
    return rows.map((row) => row.agreement_id);
  }

  private rangeCondition(dialect: SqlDialect, agreementId: string, ranges: readonly RollupRange[], alias: string): { where: string; parameters: unknown[] } {
    const parameters: unknown[] = [agreementId];
    const alternatives = ranges.map((range) => {
      parameters.push(range.span, dialect.instant(range.from), dialect.instant(range.to));
      const n = parameters.length;
      return `(${alias}.span = ${dialect.param(n - 2)} AND ${alias}.bucket_start >= ${dialect.param(n - 1)} AND ${alias}.bucket_start < ${dialect.param(n)})`;
    });
    return { where: `${alias}.agreement_id = ${dialect.param(1)} AND (${alternatives.join(' OR ')})`, parameters };
  }
}
