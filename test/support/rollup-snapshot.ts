import type { DataSource } from 'typeorm';
import { SqlDialect } from '../../src/database/sql-dialect.js';
import { DurationHistogram } from '../../src/tracking/domain/duration-histogram.js';

/** One stored rollup with its histogram, as the tests compare them. */
export interface RollupRow {
  agreementId: string;
  span: string;
  bucketStart: string;
  versionId: string;
  targetName: string;
  counts: Record<string, number>;
  durations: [number, number][];
}

/**
 * Every stored rollup that counts anything, with its histogram buckets, in key order: rollups
 * written by deltas keep rows whose counts came back to 0, which a rebuild never makes.
 */
export async function rollupSnapshot(dataSource: DataSource): Promise<RollupRow[]> {
  const dialect = SqlDialect.of(dataSource);
  const rollups = await SqlDialect.rows<Record<string, unknown>>(
    dataSource.manager,
    'SELECT agreement_id, span, bucket_start, version_id, target_name, met, breached, breached_open, running, paused, cancelled, stopped, durations FROM compliance_rollups',
  );
  const names = ['met', 'breached', 'breached_open', 'running', 'paused', 'cancelled', 'stopped'];
  return rollups
    .map((row) => ({
      agreementId: String(row.agreement_id),
      span: String(row.span),
      bucketStart: new Date(dialect.readInstant(row.bucket_start) as number).toISOString(),
      versionId: String(row.version_id),
      targetName: String(row.target_name),
      counts: Object.fromEntries(names.map((name) => [name, Number(row[name])])),
      durations: new DurationHistogram().addEncoded(String(row.durations)).buckets(),
    }))
    .filter((row) => row.durations.length > 0 || Object.values(row.counts).some((count) => count !== 0))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

const keyOf = (row: RollupRow) => [row.agreementId, row.span, row.bucketStart, row.versionId, row.targetName].join('|');
