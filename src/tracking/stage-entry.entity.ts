import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { INSTANT } from '../database/columns.js';

/**
 * When a subject entered a funnel stage: the first event (by occurred-at, then id) matching the
 * stage's `enteredOn`. One row per stage and subject; a late event that happened earlier moves
 * the entry back to it. The funnel report and conversion KPIs read these instead of the events.
 */
@Entity('stage_entries')
@Index('IDX_stage_entries_entered', ['stageId', 'enteredAt'])
@Index('IDX_stage_entries_subject', ['subject'])
export class StageEntry {
  @PrimaryColumn({ name: 'stage_id', type: 'varchar', length: 36 })
  stageId: string;

  @ManyToOne(() => FunnelStage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id', foreignKeyConstraintName: 'FK_stage_entries_stage' })
  stage?: Relation<FunnelStage>;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ name: 'entered_at', type: INSTANT })
  enteredAt: Date;

  /** The event that entered the subject (its attributes say where the lead came from, why it was lost). */
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  /**
   * That event's attributes, copied: the funnel report groups by them and counts reasons without
   * a lookup into `events` per entry (events never change, so the copy never goes stale).
   */
  @Column({ type: 'simple-json', nullable: true })
  attributes: Record<string, unknown> | null;
}
