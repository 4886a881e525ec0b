import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { AgreementKind } from '../agreements/agreement.entity.js';
import type { ReviewStatus } from './breach-explanation.entity.js';

/**
 * A missed clock, quota period or conversion period. Unique per clock and per period, so several
 * instances sweeping one database record it once. Its owner records a cause and a corrective
 * action; a missed conversion period is owned jointly by both departments (see breach-access.ts).
 */
@Entity('breaches')
@Index('UQ_breaches_clock', ['clockId'], { unique: true })
@Index('UQ_breaches_quota_period', ['quotaPeriodId'], { unique: true })
@Index('UQ_breaches_conversion_period', ['conversionPeriodId'], { unique: true })
@Index('IDX_breaches_agreement', ['agreementId', 'dueAt'])
@Index('IDX_breaches_department', ['departmentId', 'dueAt'])
@Index('IDX_breaches_waiting', ['departmentId', 'explainedAt', 'withdrawnAt', 'dueAt'])
export class Breach {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: AgreementKind;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  @Column({ name: 'clock_id', type: 'varchar', length: 36, nullable: true })
  clockId: string | null;

  @Column({ name: 'quota_period_id', type: 'varchar', length: 36, nullable: true })
  quotaPeriodId: string | null;

  @Column({ name: 'conversion_period_id', type: 'varchar', length: 36, nullable: true })
  conversionPeriodId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  subject: string | null;

  /** The owning department: the agreement's provider (for a conversion breach, with the consumer). */
  @Column({ name: 'department_id', type: 'varchar', length: 36 })
  departmentId: string;

  /** The owner of the agreement's funnel stage, when it names one. */
  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId: string | null;

  /** The due time of the clock, the end of the quota period, or when the conversion period closed (its last window passed). */
  @Column({ name: 'due_at', type: INSTANT })
  dueAt: Date;

  @Column({ name: 'detected_at', type: INSTANT })
  detectedAt: Date;

  @Column({ type: 'text', nullable: true })
  cause: string | null;

  @Column({ name: 'corrective_action', type: 'text', nullable: true })
  correctiveAction: string | null;

  @Column({ name: 'explained_at', type: INSTANT, nullable: true })
  explainedAt: Date | null;

  @Column({ name: 'explained_by', type: 'varchar', length: 36, nullable: true })
  explainedBy: string | null;

  /**
   * Where the consumer head's review of the latest explanation stands; null while unexplained.
   * An edit sets it back to `pending`. The revisions and verdicts are in breach_explanations and
   * breach_reviews.
   */
  @Column({ name: 'review_status', type: 'varchar', length: 16, nullable: true })
  reviewStatus: ReviewStatus | null;

  /** When both heads were told it stayed unexplained too long. */
  @Column({ name: 'escalated_at', type: INSTANT, nullable: true })
  escalatedAt: Date | null;

  /** Set when a late event shows the promise was kept after all. */
  @Column({ name: 'withdrawn_at', type: INSTANT, nullable: true })
  withdrawnAt: Date | null;
}
