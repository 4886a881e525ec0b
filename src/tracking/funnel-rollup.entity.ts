import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { INSTANT } from '../database/columns.js';
import type { RollupSpan } from './domain/rollups.js';

/**
 * What the funnel report needs of the subjects that entered the funnel's first counted stage in
 * one UTC hour, day, month or year, for one grouping (domain/funnel-rollups.ts): how many of them
 * entered each stage and how long after, or how many were entered with a reason and competitor.
 * Kept by StageEntriesService in the transaction that writes the entries.
 */
@Entity('funnel_rollups')
@Index('UQ_funnel_rollups_key', ['cohortStageId', 'span', 'bucketStart', 'rowKey'], { unique: true })
@Index('IDX_funnel_rollups_read', ['cohortStageId', 'attribute', 'span', 'bucketStart'])
@Index('IDX_funnel_rollups_stage', ['stageId'])
export class FunnelRollup {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'cohort_stage_id', type: 'varchar', length: 36 })
  cohortStageId: string;

  @ManyToOne(() => FunnelStage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cohort_stage_id', foreignKeyConstraintName: 'FK_funnel_rollups_cohort_stage' })
  cohortStage?: Relation<FunnelStage>;

  @Column({ type: 'varchar', length: 5 })
  span: RollupSpan;

  /** The start of the UTC hour, day, month or year of the cohort entries. */
  @Column({ name: 'bucket_start', type: INSTANT })
  bucketStart: Date;

  /** '' for the ungrouped funnel. */
  @Column({ type: 'varchar', length: 100 })
  attribute: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'stage_id', type: 'varchar', length: 36 })
  stageId: string;

  @ManyToOne(() => FunnelStage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id', foreignKeyConstraintName: 'FK_funnel_rollups_stage' })
  stage?: Relation<FunnelStage>;

  @Column({ type: 'varchar', length: 6 })
  kind: 'stage' | 'reason';

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  competitor: string | null;

  /** SHA-256 (hex) of what tells the rows of one bucket apart. */
  @Column({ name: 'row_key', type: 'varchar', length: 64 })
  rowKey: string;

  @Column({ type: 'integer', default: 0 })
  entered: number;

  /** Seconds from the cohort entry, as DurationHistogram.encode writes them. */
  @Column({ type: 'text', default: '' })
  durations: string;

  @Column({ name: 'first_at', type: INSTANT, nullable: true })
  firstAt: Date | null;
}

/**
 * How the response clocks of the subjects that entered the funnel's first counted stage in one
 * UTC hour, day, month or year, for one grouping, fared per agreement and target: met and
 * breached (domain/funnel-rollups.ts, FunnelClockDeltas). Kept by the clock repository.
 */
@Entity('funnel_clock_rollups')
@Index('UQ_funnel_clock_rollups_key', ['cohortStageId', 'span', 'bucketStart', 'rowKey'], { unique: true })
@Index('IDX_funnel_clock_rollups_read', ['cohortStageId', 'attribute', 'span', 'bucketStart'])
export class FunnelClockRollup {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'cohort_stage_id', type: 'varchar', length: 36 })
  cohortStageId: string;

  @ManyToOne(() => FunnelStage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cohort_stage_id', foreignKeyConstraintName: 'FK_funnel_clock_rollups_cohort_stage' })
  cohortStage?: Relation<FunnelStage>;

  @Column({ type: 'varchar', length: 5 })
  span: RollupSpan;

  @Column({ name: 'bucket_start', type: INSTANT })
  bucketStart: Date;

  @Column({ type: 'varchar', length: 100 })
  attribute: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @Column({ name: 'target_name', type: 'varchar', length: 60 })
  targetName: string;

  @Column({ name: 'row_key', type: 'varchar', length: 64 })
  rowKey: string;

  @Column({ type: 'integer', default: 0 })
  met: number;

  @Column({ type: 'integer', default: 0 })
  breached: number;
}

/** An SQL nobody has worked yet: it entered the SQL stage and no outcome stage. */
@Entity('open_sqls')
@Index('IDX_open_sqls_cohort', ['cohortEnteredAt'])
@Index('IDX_open_sqls_oldest', ['stageId', 'enteredAt', 'subject'])
export class OpenSql {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ name: 'stage_id', type: 'varchar', length: 36 })
  stageId: string;

  @ManyToOne(() => FunnelStage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id', foreignKeyConstraintName: 'FK_open_sqls_stage' })
  stage?: Relation<FunnelStage>;

  /** When it entered SQL. */
  @Column({ name: 'entered_at', type: INSTANT })
  enteredAt: Date;

  /** When it entered the funnel's first counted stage. */
  @Column({ name: 'cohort_entered_at', type: INSTANT })
  cohortEnteredAt: Date;

  /** That cohort entry's event's attributes, which the never-worked list groups by. */
  @Column({ type: 'simple-json', nullable: true })
  attributes: Record<string, unknown> | null;
}
