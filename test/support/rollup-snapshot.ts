import type { DataSource } from 'typeorm';
import { SqlDialect } from '../../src/database/sql-dialect.js';

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
 * Every stored rollup that counts anything, with its non-zero histogram buckets, in key order:
 * rollups written by deltas keep rows whose counts came back to 0, which a rebuild never makes.
 */
export async function rollupSnapshot(dataSource: DataSource): Promise<RollupRow[]> {
  const dialect = SqlDialect.of(dataSource);
  const rollups = await SqlDialect.rows<Record<string, unknown>>(
    dataSource.manager,
    'SELECT id, agreement_id, span, bucket_start, version_id, target_name, met, breached, breached_open, running, paused, cancelled, stopped FROM compliance_rollups',
  );
  const durations = await SqlDialect.rows<{ rollup_id: number; bucket: number; count: number }>(
    dataSource.manager,
    'SELECT rollup_id, bucket, count FROM compliance_rollup_durations WHERE count <> 0 ORDER BY rollup_id, bucket',
  );
  const byRollup = new Map<number, [number, number][]>();
  for (const row of durations) {
    const list = byRollup.get(Number(row.rollup_id)) ?? [];
    list.push([Number(row.bucket), Number(row.count)]);
    byRollup.set(Number(row.rollup_id), list);
  }
  const names = ['met', 'breached', 'breached_open', 'running', 'paused', 'cancelled', 'stopped'];
  return rollups
    .map((row) => ({
      agreementId: String(row.agreement_id),
      span: String(row.span),
      bucketStart: new Date(dialect.readInstant(row.bucket_start) as number).toISOString(),
      versionId: String(row.version_id),
      targetName: String(row.target_name),
      counts: Object.fromEntries(names.map((name) => [name, Number(row[name])])),
      durations: byRollup.get(Number(row.id)) ?? [],
    }))
    .filter((row) => row.durations.length > 0 || Object.values(row.counts).some((count) => count !== 0))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

const keyOf = (row: RollupRow) => [row.agreementId, row.span, row.bucketStart, row.versionId, row.targetName].join('|');
