import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { RollupSpan } from './domain/rollups.js';

/**
 * What compliance needs of the clocks of one agreement version and target that started in one
 * UTC hour, day or month (domain/rollups.ts): the clocks in each part, and how many stopped.
 * Kept by the clock repository in the transaction that writes the clocks, so figures over a
 * year are read from a few hundred rows instead of recomputed from every clock.
 */
@Entity('compliance_rollups')
@Index('UQ_compliance_rollups_key', ['agreementId', 'span', 'bucketStart', 'versionId', 'targetName'], { unique: true })
export class ComplianceRollup {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @Column({ type: 'varchar', length: 5 })
  span: RollupSpan;

  /** The start of the UTC hour, day or month. */
  @Column({ name: 'bucket_start', type: INSTANT })
  bucketStart: Date;

  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  @Column({ name: 'target_name', type: 'varchar', length: 60 })
  targetName: string;

  @Column({ type: 'integer', default: 0 })
  met: number;

  @Column({ type: 'integer', default: 0 })
  breached: number;

  @Column({ name: 'breached_open', type: 'integer', default: 0 })
  breachedOpen: number;

  @Column({ type: 'integer', default: 0 })
  running: number;

  @Column({ type: 'integer', default: 0 })
  paused: number;

  @Column({ type: 'integer', default: 0 })
  cancelled: number;

  /** Clocks stopped: as many durations as the rollup's histogram counts. */
  @Column({ type: 'integer', default: 0 })
  stopped: number;
}

/** One bucket of a rollup's histogram of stopped clocks' working seconds (domain/duration-histogram.ts). */
@Entity('compliance_rollup_durations')
export class ComplianceRollupDuration {
  @PrimaryColumn({ name: 'rollup_id', type: 'integer' })
  rollupId: number;

  @PrimaryColumn({ type: 'integer' })
  bucket: number;

  @Column({ type: 'integer' })
  count: number;
}
