import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';
import type { ClockFigures } from './domain/compliance.js';
import { bucketStart, nextBucket, RollupDeltas, type RollupSpan } from './domain/rollups.js';
import { RollupRepository } from './rollup.repository.js';

/** Clocks read per page while rebuilding. */
const CLOCKS_PER_PAGE = 5000;
/** The spans rebuilt month by month from the clocks; a year's are summed from its months. */
const BUILT_FROM_CLOCKS: readonly RollupSpan[] = ['hour', 'day', 'month'];

export interface RebuildProgress {
  agreements: number;
  clocks: number;
}

type ClockRow = {
  id: string;
  version_id: string;
  target_name: string;
  state: ClockFigures['state'];
  outcome: ClockFigures['outcome'];
  elapsed_seconds: number;
  started_at: unknown;
};

/**
 * Builds the compliance rollups again from the clocks (`npm run rollups:rebuild`): after a
 * restore, a hand edit of clocks, or to prove they are right. One UTC month of one agreement
 * per transaction — its hour, day and month rollups all lie inside it — read in pages of clocks
 * and summed by the functions the clock writes use; then each year's rollups as the sum of its
 * months'. Writers meanwhile stay right: a clock written into a month already rebuilt corrects
 * it, one written into a month not yet rebuilt is counted when that month is; on PostgreSQL
 * writers of clocks wait for each transaction (a SHARE lock on clocks).
 */
@Injectable()
export class RollupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: RollupRepository,
  ) {}

  async rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<RebuildProgress> {
    const manager = this.dataSource.manager;
    const withClocks = await SqlDialect.rows<{ agreement_id: string }>(manager, 'SELECT DISTINCT agreement_id FROM clocks');
    const agreementIds = [...new Set([...withClocks.map((row) => row.agreement_id), ...(await this.rollups.agreementIds(manager))])].sort();
    const progress: RebuildProgress = { agreements: 0, clocks: 0 };
    for (const agreementId of agreementIds) {
      const span = await this.monthsOf(manager, agreementId);
      for (let month = span.first; month <= span.last; month = nextMonth(month)) {
        progress.clocks += await this.dataSource.transaction((transaction) => this.rebuildMonth(transaction, agreementId, month));
      }
      // A year's rollups are the sum of its months', as they are when this runs.
      for (let year = bucketStart('year', span.first); year <= span.last; year = nextBucket('year', year)) {
        await this.dataSource.transaction(async (transaction) => {
          await this.lockClocks(transaction);
          await this.rollups.sumYearFromMonths(transaction, agreementId, year);
        });
      }
      progress.agreements += 1;
      onProgress?.({ ...progress });
    }
    return progress;
  }

  /** The first and last UTC months with clocks or rollups of an agreement. */
  private async monthsOf(manager: EntityManager, agreementId: string): Promise<{ first: number; last: number }> {
    const dialect = SqlDialect.of(manager);
    const [clocks] = await SqlDialect.rows<{ first: unknown; last: unknown }>(
      manager,
      `SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM clocks WHERE agreement_id = ${dialect.param(1)}`,
      [agreementId],
    );
    const [rollups] = await SqlDialect.rows<{ first: unknown; last: unknown }>(
      manager,
      `SELECT MIN(bucket_start) AS first, MAX(bucket_start) AS last FROM compliance_rollups WHERE agreement_id = ${dialect.param(1)}`,
      [agreementId],
    );
    const instants = [clocks.first, clocks.last, rollups.first, rollups.last].map((value) => dialect.readInstant(value)).filter((value) => value !== null);
    if (instants.length === 0) return { first: 1, last: 0 };
    return { first: bucketStart('month', Math.min(...instants)), last: bucketStart('month', Math.max(...instants)) };
  }

  /** Replaces an agreement's rollups of one month by those of its clocks; returns how many clocks it read. */
  private async rebuildMonth(manager: EntityManager, agreementId: string, month: number): Promise<number> {
    const dialect = SqlDialect.of(manager);
    await this.lockClocks(manager);
    const end = nextMonth(month);
    await this.rollups.clear(manager, agreementId, BUILT_FROM_CLOCKS, { from: month, to: end });
    let read = 0;
    let after: { startedAt: unknown; id: string } | undefined;
    for (;;) {
      const parameters: unknown[] = [agreementId, dialect.instant(month), dialect.instant(end)];
      let keyset = '';
      if (after) {
        parameters.push(after.startedAt, after.startedAt, after.id);
        keyset = ` AND (started_at > ${dialect.param(4)} OR (started_at = ${dialect.param(5)} AND id > ${dialect.param(6)}))`;
      }
      const rows = await SqlDialect.rows<ClockRow>(
        manager,
        `SELECT id, version_id, target_name, state, outcome, elapsed_seconds, started_at FROM clocks
         WHERE agreement_id = ${dialect.param(1)} AND started_at >= ${dialect.param(2)} AND started_at < ${dialect.param(3)}${keyset}
         ORDER BY started_at, id LIMIT ${CLOCKS_PER_PAGE}`,
        parameters,
      );
      if (rows.length === 0) break;
      const deltas = new RollupDeltas(BUILT_FROM_CLOCKS);
      for (const row of rows) {
        deltas.add(
          {
            agreementId,
            versionId: row.version_id,
            targetName: row.target_name,
            state: row.state,
            outcome: row.outcome,
            elapsedSeconds: Number(row.elapsed_seconds),
            startedAt: dialect.readInstant(row.started_at) as number,
          },
          1,
        );
      }
      await this.rollups.apply(manager, deltas);
      read += rows.length;
      const last = rows[rows.length - 1];
      after = { startedAt: last.started_at, id: last.id };
      if (rows.length < CLOCKS_PER_PAGE) break;
    }
    return read;
  }

  /** Clock writers wait until the transaction ends (SQLite: it is the only writer anyway). */
  private async lockClocks(manager: EntityManager): Promise<void> {
    if (SqlDialect.of(manager).kind === 'postgres') await manager.query('LOCK TABLE clocks IN SHARE MODE');
  }
}

const nextMonth = (month: number) => nextBucket('month', month);
