import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';

/** Queue rows looked at per claim: enough to gather a few thousand events from small deliveries. */
const ROWS_PER_CLAIM = 256;

/** Batches taken off the queue, oldest first, with their event ids in the order they were stored. */
export interface ClaimedBatch {
  seq: number;
  eventIds: string[];
}

/** What a claim took, and whether rows it did not take may be waiting behind them (see `claim`). */
export interface Claim {
  batches: ClaimedBatch[];
  more: boolean;
}

/**
 * The tracking queue's I/O. A row is written in the transaction that stores its events, and
 * deleted in the transaction that applies tracking to them: claiming is deleting, so a worker that
 * dies rolls its claim back with its work, and only the rows a DELETE really removed are applied.
 */
@Injectable()
export class TrackingQueueRepository {
  async enqueue(manager: EntityManager, eventIds: readonly string[], queuedAt: Date): Promise<void> {
    if (eventIds.length === 0) return;
    const dialect = SqlDialect.of(manager);
    await manager.query(`INSERT INTO tracking_queue (event_ids, event_count, queued_at) VALUES (${dialect.params(1, 3)})`, [
      JSON.stringify(eventIds),
      eventIds.length,
      dialect.instant(queuedAt),
    ]);
  }

  /**
   * Takes the oldest rows off the queue, about `maxEvents` events (at least one row), inside the
   * caller's transaction. On PostgreSQL the rows another instance is applying are skipped, not
   * waited for. SQLite has one writer: the claim is the transaction's first statement and a write,
   * so a second instance waits for the first to commit and then finds those rows gone.
   * `more`: the claim stopped at its budget (of events or rows), so rows may be waiting behind it;
   * when false, it took every row it found that no other drain holds.
   */
  async claim(manager: EntityManager, maxEvents: number): Promise<Claim> {
    const dialect = SqlDialect.of(manager);
    let deleted: { seq: number | string; event_ids: string }[];
    let more: boolean;
    if (dialect.kind === 'postgres') {
      // How many of the oldest rows hold about maxEvents, read without locking; then that many of
      // the oldest rows no other drain holds, locked and deleted in one statement. Every row
      // locked is taken: locking candidates and deleting only some of them (as before) left the
      // rest locked until the commit, hidden from a second drain that could have applied them.
      const head = await SqlDialect.rows<{ event_count: number | string }>(manager, `SELECT event_count FROM tracking_queue ORDER BY seq LIMIT ${ROWS_PER_CLAIM}`);
      let take = 0;
      let events = 0;
      for (const row of head) {
        if (events >= maxEvents) break;
        take += 1;
        events += Number(row.event_count);
      }
      if (take === 0) return { batches: [], more: false };
      // Rows past the budget, or a whole page read: more may wait (the head counts rows another
      // drain holds, which SKIP LOCKED passes over, so what is taken says nothing of what is left).
      more = take < head.length || head.length >= ROWS_PER_CLAIM;
      deleted = await SqlDialect.rows(
        manager,
        `DELETE FROM tracking_queue WHERE seq IN (SELECT seq FROM tracking_queue ORDER BY seq LIMIT ${take} FOR UPDATE SKIP LOCKED) RETURNING seq, event_ids`,
      );
    } else {
      deleted = await SqlDialect.rows(
        manager,
        `DELETE FROM tracking_queue WHERE seq IN (
           SELECT seq FROM (SELECT seq, SUM(event_count) OVER (ORDER BY seq) - event_count AS before FROM tracking_queue ORDER BY seq LIMIT ${ROWS_PER_CLAIM})
           WHERE before < ?
         ) RETURNING seq, event_ids`,
        [maxEvents],
      );
      more = false;
    }
    const batches = deleted
      .map((row) => ({ seq: Number(row.seq), eventIds: JSON.parse(row.event_ids) as string[] }))
      .sort((a, b) => a.seq - b.seq);
    if (dialect.kind === 'sqlite') {
      // One writer, nothing held by another: the budget reached or a whole page taken means more may wait.
      more = batches.length >= ROWS_PER_CLAIM || batches.reduce((sum, batch) => sum + batch.eventIds.length, 0) >= maxEvents;
    }
    return { batches, more };
  }

  /** The ids of the events still waiting for tracking (visible to this transaction). */
  async queuedEventIds(manager: EntityManager): Promise<Set<string>> {
    const rows = await SqlDialect.rows<{ event_ids: string }>(manager, 'SELECT event_ids FROM tracking_queue');
    return new Set(rows.flatMap((row) => JSON.parse(row.event_ids) as string[]));
  }

  /** How many events wait for tracking. */
  async pendingEvents(manager: EntityManager): Promise<number> {
    const rows = await SqlDialect.rows<{ n: number | string | null }>(manager, 'SELECT SUM(event_count) AS n FROM tracking_queue');
    return Number(rows[0]?.n ?? 0);
  }
}
