import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

export const NOTIFICATION_KINDS = ['breach-alert', 'at-risk', 'escalation', 'quota-at-risk', 'history-measured', 'breach-digest', 'breach-report', 'funnel-report', 'minutes', 'action-reminder', 'action-overdue', 'invitation', 'cancellation', 'sign-in-link'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * `pending` → `sending` (claimed by one dispatcher until `claimedUntil`) → `sent`, or back to
 * `pending` with a later `nextAttemptAt` after a failure, `failed` after the last attempt;
 * `skipped` when the fact no longer warrants a message (a breach withdrawn before its alert left);
 * `digested` for an alert told in a digest instead (one message listing many breaches to one
 * person): never sent itself, it keeps its key so the breach is not announced again.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'digested'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationAttachment {
  filename: string;
  contentType: string;
  content: string;
  /** `base64` for a binary file (a PDF) kept as text in the outbox; absent for text as it is. */
  encoding?: 'base64';
}

/**
 * One email in the outbox: written in the same transaction as the fact that caused it, unique by
 * its deduplication key (so a fact yields its message once, whichever instance sees it), composed
 * from templates when first dispatched and then kept as sent, so a retry sends the same message.
 */
@Entity('notifications')
@Index('UQ_notifications_dedupe_key', ['dedupeKey'], { unique: true })
@Index('IDX_notifications_due', ['status', 'nextAttemptAt'])
export class Notification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** e.g. "breach-alert:<breach id>:<person id>". */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 32 })
  kind: NotificationKind;

  /** The fact the message is about: a breach, a clock, a quota period, a subscription. */
  @Column({ name: 'reference_id', type: 'varchar', length: 36, nullable: true })
  referenceId: string | null;

  @Column({ name: 'recipient_id', type: 'varchar', length: 36, nullable: true })
  recipientId: string | null;

  @Column({ name: 'recipient_email', type: 'varchar', length: 254 })
  recipientEmail: string;

  /** What the composer needs beyond the reference (a report period, a day count…). */
  @Column({ type: 'simple-json', nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'simple-json', nullable: true })
  attachments: NotificationAttachment[] | null;

  @Column({ type: 'varchar', length: 10 })
  status: NotificationStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: INSTANT })
  nextAttemptAt: Date;

  @Column({ name: 'claimed_until', type: INSTANT, nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'sent_at', type: INSTANT, nullable: true })
  sentAt: Date | null;
}
