import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chunks } from '../common/chunks.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { addToEncoded, DurationHistogram } from './domain/duration-histogram.js';
import { nextBucket, rollupKeyText, RollupDeltas, zeroCounts, type RollupCounts, type RollupRange, type RollupSpan } from './domain/rollups.js';

/** Rollups per statement: 12 parameters each to add counts, 2 to set histograms. */
const ROLLUPS_PER_STATEMENT = 200;

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

/** A stored rollup as a window reads it: counted `weight` times (−1: taken away). */
export interface WeightedRollup {
  targetName: string;
  weight: number;
  counts: RollupCounts;
  /** The histogram as stored (DurationHistogram.encode). */
  durations: string;
}

type RollupRow = { id: number; agreement_id: string; span: RollupSpan; bucket_start: unknown; version_id: string; target_name: string; durations: string };

/**
 * The rollup table's I/O, in hand-written SQL run by both databases (ON CONFLICT … DO UPDATE
 * adding to the stored counts, RETURNING: SQLite ≥ 3.35, PostgreSQL). Stateless: the clock
 * repository applies through it the changes its writes make, in the same transaction.
 */
@Injectable()
export class RollupRepository {
  /**
   * Adds the changes to the stored rollups: counts by upsert (a rollup first seen is inserted),
   * which returns the stored histograms of those whose durations change; they are merged here
   * and written back. The upsert has locked those rows (PostgreSQL) or the database (SQLite)
   * until the transaction ends, so no other writer's change to a histogram is lost between.
   */
  async apply(manager: EntityManager, deltas: RollupDeltas): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(deltas.changes(), ROLLUPS_PER_STATEMENT)) {
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
      const stored = await SqlDialect.rows<RollupRow>(manager, `${sql} RETURNING id, agreement_id, span, bucket_start, version_id, target_name, durations`, values);
      // RETURNING promises no order: rows are matched to their changes by key.
      const byKey = new Map(
        stored.map((row) => [
          rollupKeyText({
            agreementId: row.agreement_id,
            span: row.span,
            bucketStart: dialect.readInstant(row.bucket_start) as number,
            versionId: row.version_id,
            targetName: row.target_name,
          }),
          row,
        ]),
      );
      const histograms: [number, string][] = withDurations.map((change) => {
        const row = byKey.get(rollupKeyText(change.key));
        if (!row) throw new Error(`rollup ${rollupKeyText(change.key)} was written but not returned`);
        return [Number(row.id), addToEncoded(row.durations, change.durations)];
      });
      await this.setDurations(manager, dialect, histograms);
    }
  }

  /** Writes histograms by rollup id, a few hundred per statement. */
  private async setDurations(manager: EntityManager, dialect: SqlDialect, histograms: [number, string][]): Promise<void> {
    const ordered = [...histograms].sort((a, b) => a[0] - b[0]);
    for (const part of chunks(ordered, ROLLUPS_PER_STATEMENT)) {
      const values: unknown[] = part.flat();
      const cases = part.map((_, i) => `WHEN ${dialect.param(i * 2 + 1)} THEN ${dialect.param(i * 2 + 2)}`).join(' ');
      await manager.query(
        `UPDATE compliance_rollups SET durations = CASE id ${cases} END WHERE id IN (${dialect.params(values.length + 1, part.length)})`,
        [...values, ...part.map(([id]) => id)],
      );
    }
  }

  /**
   * An agreement's rollups in some ranges, each with the weight of its range: one index range
   * per piece, in one statement. Summing them (counts, histograms) is the caller's.
   */
  async read(manager: EntityManager, agreementId: string, ranges: readonly RollupRange[]): Promise<WeightedRollup[]> {
    if (ranges.length === 0) return [];
    const dialect = SqlDialect.of(manager);
    const parameters: unknown[] = [];
    const pieces = ranges.map((range) => {
      if (!Number.isInteger(range.weight)) throw new Error(`rollup weight ${range.weight} is not a whole number`);
      parameters.push(agreementId, range.span, dialect.instant(range.from), dialect.instant(range.to));
      const n = parameters.length;
      return `SELECT target_name, ${range.weight} AS weight, ${COUNT_COLUMNS.map(([, column]) => column).join(', ')}, durations FROM compliance_rollups
         WHERE agreement_id = ${dialect.param(n - 3)} AND span = ${dialect.param(n - 2)} AND bucket_start >= ${dialect.param(n - 1)} AND bucket_start < ${dialect.param(n)}`;
    });
    const rows = await SqlDialect.rows<Record<string, unknown>>(manager, pieces.join(' UNION ALL '), parameters);
    return rows.map((row) => {
      const counts = zeroCounts();
      for (const [name, column] of COUNT_COLUMNS) counts[name] = Number(row[column]);
      return { targetName: String(row.target_name), weight: Number(row.weight), counts, durations: String(row.durations) };
    });
  }

  /** Removes an agreement's rollups of some spans whose bucket starts in [from, to), before they are built again. */
  async clear(manager: EntityManager, agreementId: string, spans: readonly RollupSpan[], { from, to }: { from: number; to: number }): Promise<void> {
    const dialect = SqlDialect.of(manager);
    await manager.query(
      `DELETE FROM compliance_rollups
       WHERE agreement_id = ${dialect.param(1)} AND bucket_start >= ${dialect.param(2)} AND bucket_start < ${dialect.param(3)} AND span IN (${dialect.params(4, spans.length)})`,
      [agreementId, dialect.instant(from), dialect.instant(to), ...spans],
    );
  }

  /** Replaces an agreement's rollups of one year by the sum of its month rollups, per version and target. */
  async sumYearFromMonths(manager: EntityManager, agreementId: string, year: number): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const range = { from: year, to: nextBucket('year', year) };
    await this.clear(manager, agreementId, ['year'], range);
    const months = await SqlDialect.rows<Record<string, unknown>>(
      manager,
      `SELECT version_id, target_name, ${COUNT_COLUMNS.map(([, column]) => column).join(', ')}, durations FROM compliance_rollups
       WHERE agreement_id = ${dialect.param(1)} AND span = 'month' AND bucket_start >= ${dialect.param(2)} AND bucket_start < ${dialect.param(3)}`,
      [agreementId, dialect.instant(range.from), dialect.instant(range.to)],
    );
    const deltas = new RollupDeltas(['year']);
    for (const month of months) {
      const counts = zeroCounts();
      for (const [name, column] of COUNT_COLUMNS) counts[name] = Number(month[column]);
      const key = { agreementId, versionId: String(month.version_id), targetName: String(month.target_name), span: 'year' as const, bucketStart: year };
      deltas.addRollup(key, counts, new DurationHistogram().addEncoded(String(month.durations)).buckets());
    }
    await this.apply(manager, deltas);
  }

  /** Every agreement that has rollups. */
  async agreementIds(manager: EntityManager): Promise<string[]> {
    const rows = await SqlDialect.rows<{ agreement_id: string }>(manager, 'SELECT DISTINCT agreement_id FROM compliance_rollups');
    return rows.map((row) => row.agreement_id);
  }
}
