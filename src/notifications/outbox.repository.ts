import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { newId } from '../common/ids.js';
import { SqlDialect, type PostgresElement } from '../database/sql-dialect.js';
import { Notification } from './notification.entity.js';
import type { OutboxEntry } from './outbox.service.js';

const COLUMNS = 'id, dedupe_key, kind, reference_id, recipient_id, recipient_email, payload, status, attempts, next_attempt_at, created_at';
const ROWS_PER_INSERT = 200;
/** COLUMNS' PostgreSQL element types, in order (SqlDialect.rowsSource). */
const NOTIFICATION_TYPES: PostgresElement[] = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'timestamptz', 'timestamptz'];

/** What a failed attempt leaves on a message: tried again later, or given up. */
export interface FailedAttempt {
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string;
  nextAttemptAt: Date;
}

/**
 * The outbox table's I/O: writing messages, and the claim → renew → mark steps of dispatching
 * them. The statements claim atomically (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite runs one
 * writer at a time), so instances sharing a database never take the same message together.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes new messages with `manager` (pending, unless written `digested`); a dedupe key already
   * in the outbox is skipped. Returns the keys it wrote.
   */
  async insert(manager: EntityManager, entries: OutboxEntry[], now: Date): Promise<string[]> {
    const dialect = SqlDialect.of(manager);
    const at = dialect.instant(now);
    const written: string[] = [];
    for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
      const part = entries.slice(start, start + ROWS_PER_INSERT);
      const rows = dialect.rowsSource(
        NOTIFICATION_TYPES,
        part.map((entry) => [
          newId(),
          entry.dedupeKey,
          entry.kind,
          entry.referenceId,
          entry.recipientId,
          entry.recipientEmail,
          entry.payload ? JSON.stringify(entry.payload) : null,
          entry.status ?? 'pending',
          0,
          at,
          at,
        ]),
      );
      const inserted = await SqlDialect.rows<{ dedupe_key: string }>(
        manager,
        `INSERT INTO notifications (${COLUMNS}) ${rows.sql} ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
        rows.parameters,
        { prepared: true },
      );
      for (const row of inserted) written.push(row.dedupe_key);
    }
    return written;
  }

  /** Messages written `digested` become pending: sent one by one. */
  async undigest(manager: EntityManager, dedupeKeys: string[]): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (let start = 0; start < dedupeKeys.length; start += ROWS_PER_INSERT) {
      const part = dedupeKeys.slice(start, start + ROWS_PER_INSERT);
      await manager.query(`UPDATE notifications SET status = 'pending' WHERE status = 'digested' AND dedupe_key IN (${dialect.params(1, part.length)})`, part);
    }
  }

  /**
   * Claims up to `limit` messages due at `now` — pending ones whose attempt is due, and ones
   * still `sending` whose lease ran out — until `leaseUntil`, in one statement; returns them
   * in the order they fell due.
   */
  async claim(now: Date, leaseUntil: Date, limit: number): Promise<Notification[]> {
    const dialect = SqlDialect.of(this.dataSource);
    const lock = dialect.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.dataSource.transaction((manager) =>
      SqlDialect.rows<{ id: string }>(
        manager,
        `UPDATE notifications SET status = 'sending', claimed_until = ${dialect.param(1)}
         WHERE id IN (SELECT id FROM notifications
           WHERE (status = 'pending' AND next_attempt_at <= ${dialect.param(2)}) OR (status = 'sending' AND claimed_until < ${dialect.param(3)})
           ORDER BY next_attempt_at, id LIMIT ${limit} ${lock})
         RETURNING id`,
        [dialect.instant(leaseUntil), dialect.instant(now), dialect.instant(now)],
      ),
    );
    if (rows.length === 0) return [];
    return this.dataSource.manager.find(Notification, { where: { id: In(rows.map((row) => row.id)) }, order: { nextAttemptAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Moves a claim's lease from `held` to `renewed`: false when that lease is no longer the
   * message's (it lapsed and another pass claimed the message since).
   */
  async renewLease(id: string, held: Date, renewed: Date): Promise<boolean> {
    const dialect = SqlDialect.of(this.dataSource);
    const rows = await SqlDialect.rows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE notifications SET claimed_until = ${dialect.param(1)}
       WHERE id = ${dialect.param(2)} AND status = 'sending' AND claimed_until = ${dialect.param(3)} RETURNING id`,
      [dialect.instant(renewed), id, dialect.instant(held)],
    );
    return rows.length === 1;
  }

  /** Keeps a message as composed, so a retry sends exactly it. */
  async keepComposed(notification: Pick<Notification, 'id' | 'subject' | 'html' | 'text' | 'attachments'>): Promise<void> {
    await this.notifications().update(
      { id: notification.id },
      { subject: notification.subject, html: notification.html, text: notification.text, attachments: notification.attachments },
    );
  }

  async markSkipped(id: string): Promise<void> {
    await this.notifications().update({ id }, { status: 'skipped', claimedUntil: null });
  }

  async markSent(id: string, sentAt: Date, attempts: number): Promise<void> {
    await this.notifications().update({ id }, { status: 'sent', sentAt, claimedUntil: null, attempts, lastError: null });
  }

  /** Releases the claim on a message whose attempt failed. */
  async markFailedAttempt(id: string, failure: FailedAttempt): Promise<void> {
    const { status, attempts, lastError, nextAttemptAt } = failure;
    await this.notifications().update({ id }, { status, attempts, lastError, claimedUntil: null, nextAttemptAt });
  }

  private notifications() {
    return this.dataSource.getRepository(Notification);
  }
}
