import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { QuotaStatus } from './quota-period.entity.js';

/**
 * One period (week, month, quarter) of a conversion agreement, cut in its calendar's time zone:
 * the cohort that entered the agreement's first stage in the period, and how many of them entered
 * the second within the window. It closes at `closesAt`, once the period has ended and the window
 * of its last subject has passed; then it is met or missed.
 */
@Entity('conversion_periods')
@Index('UQ_conversion_periods_start', ['agreementId', 'periodStart'], { unique: true })
@Index('IDX_conversion_periods_closing', ['status', 'closesAt'])
export class ConversionPeriod {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  /** The version measuring it: the one in force when it began; its terms give the stages, the window and the minimum. */
  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  /** "2026-11", "2026-W45", "2026-Q4". */
  @Column({ type: 'varchar', length: 16 })
  label: string;

  @Column({ name: 'period_start', type: INSTANT })
  periodStart: Date;

  @Column({ name: 'period_end', type: INSTANT })
  periodEnd: Date;

  /** Subjects that entered the first stage in the period. */
  @Column({ type: 'integer' })
  cohort: number;

  /** Of the cohort, those that entered the second stage within the window of their entry. */
  @Column({ type: 'integer' })
  converted: number;

  @Column({ type: 'varchar', length: 8 })
  status: QuotaStatus;

  /** The later of the period's end and the end of its last subject's window. */
  @Column({ name: 'closes_at', type: INSTANT })
  closesAt: Date;

  @Column({ name: 'closed_at', type: INSTANT, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
