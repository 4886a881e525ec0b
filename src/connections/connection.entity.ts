import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { ConnectionKind } from './adapters/crm-adapter.js';
import type { AttributeMapping, ConnectionRule } from './rules.js';

/** A CRM (or any signed sender) allowed to post deliveries to `/hooks/<id>`, with the rules that turn them into events. */
@Entity('connections')
export class Connection {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ConnectionKind;

  /** The department whose head manages it (null: admins only). */
  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @Column({ name: 'subject_prefix', type: 'varchar', length: 60 })
  subjectPrefix: string;

  @Column({ type: 'simple-json' })
  rules: ConnectionRule[];

  @Column({ type: 'simple-json' })
  attributes: AttributeMapping;

  @Column({ type: 'simple-json' })
  settings: Record<string, string>;

  /** The secret, AES-256-GCM encrypted (connection-secrets.ts): never shown after creation. */
  @Column({ name: 'secret_cipher', type: 'text' })
  secretCipher: string;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}

export const DELIVERY_OUTCOMES = ['pending', 'accepted', 'ignored', 'rejected', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * One verified request to a connection's URL, stored before it is read: the raw body (UTF-8
 * text, or base64 when it is not valid UTF-8), a few headers, and what became of it. Kept for
 * DELIVERY_RETENTION_DAYS, so it can be read and replayed.
 */
@Entity('connection_deliveries')
@Index('IDX_connection_deliveries_received', ['connectionId', 'receivedAt'])
@Index('IDX_connection_deliveries_age', ['receivedAt'])
@Index('IDX_connection_deliveries_retry', ['retryAt'])
export class ConnectionDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'received_at', type: INSTANT })
  receivedAt: Date;

  @Column({ type: 'varchar', length: 10 })
  method: string;

  /** The URL it was verified against (PUBLIC_URL-based, with the query; the path secret left out). */
  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'simple-json' })
  headers: Record<string, string>;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'body_encoding', type: 'varchar', length: 6 })
  bodyEncoding: 'utf8' | 'base64';

  @Column({ type: 'varchar', length: 10 })
  outcome: DeliveryOutcome;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The events it produced (new ones and the ones it repeated). */
  @Column({ name: 'event_ids', type: 'simple-json' })
  eventIds: string[];

  @Column({ name: 'processed_at', type: INSTANT, nullable: true })
  processedAt: Date | null;

  /** How many times it was processed (on arrival, by replay, by the background retry). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When the due work retries it (a `failed` delivery of a kind that reads its CRM back), or null. */
  @Column({ name: 'retry_at', type: INSTANT, nullable: true })
  retryAt: Date | null;
}

/**
 * The last known value of one property of one CRM object, and the CRM's time of the change that
 * set it: HubSpot sends no previous value, so `from` and `attributes` read these. An update
 * older than the stored change leaves it (deliveries arrive out of order).
 */
@Entity('connection_object_properties')
export class ConnectionObjectProperty {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @PrimaryColumn({ name: 'object_type', type: 'varchar', length: 50 })
  objectType: string;

  @PrimaryColumn({ name: 'object_id', type: 'varchar', length: 100 })
  objectId: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  property: string;

  @Column({ type: 'text', nullable: true })
  value: string | null;

  @Column({ name: 'changed_at', type: INSTANT })
  changedAt: Date;
}
