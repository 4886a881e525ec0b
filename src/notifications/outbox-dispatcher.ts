import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { Mailer } from './mailer.js';
import { MessageComposer } from './message-composer.js';
import { Notification } from './notification.entity.js';

const BATCH = 50;
/**
 * How long a claimed message is reserved, renewed just before it is sent; a dispatcher that dies
 * mid-send releases it by expiry. It is also the duplicate window README states.
 */
export const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60_000;

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/** Waits double after each failure: 30 s, 1 min, 2 min… at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends what the outbox holds. Each pass claims a batch in one statement (`FOR UPDATE SKIP
 * LOCKED` on PostgreSQL, so instances share the work without sending anything twice), composes
 * each message once and keeps it, sends it, and records the outcome message by message: a
 * message that cannot be sent never holds up the others, and an SMTP server that is down for a
 * while only delays what is pending.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composer: MessageComposer,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Sends everything due now, batch after batch. */
  async dispatch(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    for (;;) {
      const claimed = await this.claim();
      for (const notification of claimed) await this.deliver(notification, report);
      if (claimed.length < BATCH) return report;
    }
  }

  private async claim(): Promise<Notification[]> {
    const dialect = SqlDialect.of(this.dataSource);
    const now = this.clock.now();
    const lock = dialect.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.dataSource.transaction((manager) =>
      SqlDialect.rows<{ id: string }>(
        manager,
        `UPDATE notifications SET status = 'sending', claimed_until = ${dialect.param(1)}
         WHERE id IN (SELECT id FROM notifications
           WHERE (status = 'pending' AND next_attempt_at <= ${dialect.param(2)}) OR (status = 'sending' AND claimed_until < ${dialect.param(3)})
           ORDER BY next_attempt_at, id LIMIT ${BATCH} ${lock})
         RETURNING id`,
        [dialect.instant(now.getTime() + LEASE_MS), dialect.instant(now), dialect.instant(now)],
      ),
    );
    if (rows.length === 0) return [];
    return this.dataSource.manager.find(Notification, { where: { id: In(rows.map((row) => row.id)) }, order: { nextAttemptAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Renews this pass's lease on a message just before sending it, so a batch that takes longer
   * than a lease (a slow SMTP server) is never sent by two dispatchers: false when the lease
   * lapsed and another pass has claimed the message since.
   */
  private async renewLease(notification: Notification): Promise<boolean> {
    const dialect = SqlDialect.of(this.dataSource);
    const held = notification.claimedUntil as Date;
    const renewed = new Date(this.clock.now().getTime() + LEASE_MS);
    const rows = await SqlDialect.rows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE notifications SET claimed_until = ${dialect.param(1)}
       WHERE id = ${dialect.param(2)} AND status = 'sending' AND claimed_until = ${dialect.param(3)} RETURNING id`,
      [dialect.instant(renewed), notification.id, dialect.instant(held)],
    );
    notification.claimedUntil = renewed;
    return rows.length === 1;
  }

  private async deliver(notification: Notification, report: DispatchReport): Promise<void> {
    const repository = this.dataSource.getRepository(Notification);
    try {
      if (notification.subject === null) {
        const composed = await this.composer.compose(this.dataSource.manager, notification);
        if (!composed) {
          await repository.update({ id: notification.id }, { status: 'skipped', claimedUntil: null });
          report.skipped += 1;
          return;
        }
        Object.assign(notification, { subject: composed.subject, html: composed.html, text: composed.text, attachments: composed.attachments ?? null });
        // Kept before sending: a retry sends exactly this message.
        await repository.update(
          { id: notification.id },
          { subject: notification.subject, html: notification.html, text: notification.text, attachments: notification.attachments },
        );
      }
      if (!(await this.renewLease(notification))) return;
      await this.mailer.send({
        id: notification.id,
        to: notification.recipientEmail,
        subject: notification.subject as string,
        html: notification.html as string,
        text: notification.text as string,
        attachments: notification.attachments ?? undefined,
      });
    } catch (error) {
      await this.recordFailure(repository, notification, error, report);
      return;
    }
    // Sent. Should this mark be lost (a crash, the database gone), the message stays `sending`
    // and is sent again once its lease has run out, with the same Message-ID: at least once.
    await repository.update({ id: notification.id }, { status: 'sent', sentAt: this.clock.now(), claimedUntil: null, attempts: notification.attempts + 1, lastError: null });
    report.sent += 1;
  }

  private async recordFailure(repository: Repository<Notification>, notification: Notification, error: unknown, report: DispatchReport): Promise<void> {
    const attempts = notification.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const last = attempts >= this.config.OUTBOX_MAX_ATTEMPTS;
    await repository.update(
      { id: notification.id },
      {
        status: last ? 'failed' : 'pending',
        attempts,
        lastError: message.slice(0, 2000),
        claimedUntil: null,
        nextAttemptAt: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
      },
    );
    if (last) {
      report.failed += 1;
      this.logger.error(`${notification.kind} to ${notification.recipientEmail} failed for good after ${attempts} attempts: ${message}`);
    } else {
      report.retrying += 1;
      this.logger.warn(`${notification.kind} to ${notification.recipientEmail} failed (attempt ${attempts}), retrying: ${message}`);
    }
  }
}
