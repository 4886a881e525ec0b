import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { inParallel } from '../common/in-parallel.js';
import { AppConfig } from '../config/app-config.js';
import { Mailer } from './mailer.js';
import { MessageComposer } from './message-composer.js';
import type { Notification } from './notification.entity.js';
import { OutboxRepository } from './outbox.repository.js';

/** Messages claimed at a time, at least; more when many are sent at once (a batch per claim keeps every connection busy). */
const BATCH = 50;
const CLAIMED_PER_CONNECTION = 10;
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
 * while only delays what is pending. The messages of a batch go SMTP_MAX_CONNECTIONS at a time,
 * one per pooled connection; each is still this pass's alone (its lease renewed just before it
 * is sent), so sending in parallel changes nothing of who sends what.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly composer: MessageComposer,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Sends everything due now, batch after batch. */
  async dispatch(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    const parallel = Math.max(1, this.config.SMTP_MAX_CONNECTIONS || 1);
    const batch = Math.max(BATCH, parallel * CLAIMED_PER_CONNECTION);
    for (;;) {
      const claimed = await this.claim(batch);
      await inParallel(claimed, parallel, (notification) => this.deliver(notification, report));
      if (claimed.length < batch) return report;
    }
  }

  private claim(batch: number): Promise<Notification[]> {
    const now = this.clock.now();
    return this.outbox.claim(now, new Date(now.getTime() + LEASE_MS), batch);
  }

  /**
   * Renews this pass's lease on a message just before sending it, so a batch that takes longer
   * than a lease (a slow SMTP server) is never sent by two dispatchers: false when the lease
   * lapsed and another pass has claimed the message since. A lease with more than half its time
   * left is still this pass's (no one claims a message before its lease ends, by any instance's
   * clock within minutes of this one's), and lasts longer
   * than a send can take (SMTP gives up after 30 s): it is kept as it is, a write saved per
   * message of a batch sent in time.
   */
  private async renewLease(notification: Notification): Promise<boolean> {
    const now = this.clock.now().getTime();
    if ((notification.claimedUntil as Date).getTime() - now > LEASE_MS / 2) return true;
    const renewed = new Date(now + LEASE_MS);
    const held = await this.outbox.renewLease(notification.id, notification.claimedUntil as Date, renewed);
    notification.claimedUntil = renewed;
    return held;
  }

  private async deliver(notification: Notification, report: DispatchReport): Promise<void> {
    try {
      if (notification.subject === null) {
        const composed = await this.composer.compose(this.dataSource.manager, notification);
        if (!composed) {
          await this.outbox.markSkipped(notification.id);
          report.skipped += 1;
          return;
        }
        Object.assign(notification, { subject: composed.subject, html: composed.html, text: composed.text, attachments: composed.attachments ?? null });
        // Kept before sending: a retry sends exactly this message.
        await this.outbox.keepComposed(notification);
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
      await this.recordFailure(notification, error, report);
      return;
    }
    // Sent. Should this mark be lost (a crash, the database gone), the message stays `sending`
    // and is sent again once its lease has run out, with the same Message-ID: at least once.
    await this.outbox.markSent(notification.id, this.clock.now(), notification.attempts + 1);
    report.sent += 1;
  }

  private async recordFailure(notification: Notification, error: unknown, report: DispatchReport): Promise<void> {
    const attempts = notification.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const last = attempts >= this.config.OUTBOX_MAX_ATTEMPTS;
    await this.outbox.markFailedAttempt(notification.id, {
      status: last ? 'failed' : 'pending',
      attempts,
      lastError: message.slice(0, 2000),
      nextAttemptAt: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
    });
    if (last) {
      report.failed += 1;
      this.logger.error(`${notification.kind} to ${notification.recipientEmail} failed for good after ${attempts} attempts: ${message}`);
    } else {
      report.retrying += 1;
      this.logger.warn(`${notification.kind} to ${notification.recipientEmail} failed (attempt ${attempts}), retrying: ${message}`);
    }
  }
}
