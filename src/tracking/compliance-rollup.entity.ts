import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { RollupSpan } from './domain/rollups.js';

/**
 * What compliance needs of the clocks of one agreement version and target that started in one
 * UTC hour, day, month or year (domain/rollups.ts): the clocks in each part, how many stopped and
 * how long they took.
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

  /** The start of the UTC hour, day, month or year. */
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

  /** Clocks stopped: as many durations as the histogram counts. */
  @Column({ type: 'integer', default: 0 })
  stopped: number;

  /**
   * The stopped clocks' working seconds as a histogram (domain/duration-histogram.ts):
   * `bucket:count` pairs, comma-separated. A year's is a few hundred pairs, read in one row.
   */
  @Column({ type: 'text', default: '' })
  durations: string;
}
