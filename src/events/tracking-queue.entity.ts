import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

/**
 * A stored batch whose tracking is still to be applied: written with its events, deleted in the
 * transaction that applies tracking to them (see TrackingQueueRepository).
 */
@Entity('tracking_queue')
export class TrackingQueueRow {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  seq: number;

  /** JSON array of the batch's event ids, in the order they were stored. */
  @Column({ name: 'event_ids', type: 'text' })
  eventIds: string;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount: number;

  @Column({ name: 'queued_at', type: INSTANT })
  queuedAt: Date;
}
