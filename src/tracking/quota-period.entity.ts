import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

export const QUOTA_STATUSES = ['open', 'met', 'missed'] as const;
export type QuotaStatus = (typeof QUOTA_STATUSES)[number];

/** One period (week, month, quarter) of a quota agreement, cut in its calendar's time zone. */
@Entity('quota_periods')
@Index('UQ_quota_periods_start', ['agreementId', 'periodStart'], { unique: true })
@Index('IDX_quota_periods_closing', ['status', 'periodEnd'])
export class QuotaPeriod {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  /** "2026-11", "2026-W45", "2026-Q4". */
  @Column({ type: 'varchar', length: 16 })
  label: string;

  @Column({ name: 'period_start', type: INSTANT })
  periodStart: Date;

  @Column({ name: 'period_end', type: INSTANT })
  periodEnd: Date;

  @Column({ type: 'integer' })
  count: number;

  @Column({ type: 'integer' })
  minimum: number;

  @Column({ type: 'varchar', length: 8 })
  status: QuotaStatus;

  @Column({ name: 'closed_at', type: INSTANT, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
