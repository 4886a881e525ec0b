import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

export type EventAttributes = Record<string, string | number | boolean | null>;

/**
 * An immutable fact from the CRM or from Concord itself. Never updated, never deleted.
 * `dedupeKey` is the sender's key ("k:crm-77812") or, without one, a hash of the content, so a
 * repeated delivery is recognised either way.
 */
@Entity('events')
@Index('UQ_events_dedupe_key', ['dedupeKey'], { unique: true })
@Index('IDX_events_subject_type', ['subject', 'occurredAt', 'id', 'type'])
@Index('IDX_events_type', ['type', 'occurredAt'])
// Only the events that came through a connection: the others are never looked up by it.
@Index('IDX_events_connection', ['connectionId', 'occurredAt'], { where: 'connection_id IS NOT NULL' })
export class EventRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 204 })
  dedupeKey: string;

  /** The sender's idempotency key, if it gave one. */
  @Column({ name: 'key', type: 'varchar', length: 200, nullable: true })
  key: string | null;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ name: 'occurred_at', type: INSTANT })
  occurredAt: Date;

  @Column({ name: 'received_at', type: INSTANT })
  receivedAt: Date;

  @Column({ type: 'simple-json' })
  attributes: EventAttributes;

  /** Who sent it (the token's person), or null for Concord's own events. */
  @Column({ name: 'source_id', type: 'varchar', length: 36, nullable: true })
  sourceId: string | null;

  /** The CRM connection it came through (connections/), or null for the API and Concord's own events. */
  @Column({ name: 'connection_id', type: 'varchar', length: 36, nullable: true })
  connectionId: string | null;
}
