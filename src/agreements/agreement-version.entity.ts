import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Calendar } from '../calendars/calendar.entity.js';
import { INSTANT } from '../database/columns.js';
import type { ConversionTerms, QuotaTerms, ResponseTerms } from './domain/agreement-terms.js';
import { Agreement } from './agreement.entity.js';
import { FunnelStage } from './funnel-stage.entity.js';

/**
 * `draft` → `proposed` → `active` once both heads approved → `superseded` when a newer version
 * comes into force, or `retired` with the agreement. A rejected proposal returns to `draft`.
 */
export const VERSION_STATUSES = ['draft', 'proposed', 'active', 'superseded', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/**
 * One wording of an agreement. Versions are never rewritten once in force: they are in force over
 * [activeFrom, activeUntil), and every clock is pinned to the version in force when it started.
 */
@Entity('agreement_versions')
@Index('UQ_agreement_versions_number', ['agreementId', 'number'], { unique: true })
@Index('IDX_agreement_versions_status', ['status'])
export class AgreementVersion {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @ManyToOne(() => Agreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id', foreignKeyConstraintName: 'FK_agreement_versions_agreement' })
  agreement?: Relation<Agreement>;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 16 })
  status: VersionStatus;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'calendar_id', type: 'varchar', length: 36 })
  calendarId: string;

  @ManyToOne(() => Calendar, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'calendar_id', foreignKeyConstraintName: 'FK_agreement_versions_calendar' })
  calendar?: Relation<Calendar>;

  @Column({ name: 'stage_id', type: 'varchar', length: 36, nullable: true })
  stageId: string | null;

  @ManyToOne(() => FunnelStage, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'stage_id', foreignKeyConstraintName: 'FK_agreement_versions_stage' })
  stage?: Relation<FunnelStage>;

  /** The response terms, for a response agreement. */
  @Column({ type: 'simple-json', nullable: true })
  response: ResponseTerms | null;

  /** The quota terms, for a quota agreement. */
  @Column({ type: 'simple-json', nullable: true })
  quota: QuotaTerms | null;

  /** The conversion terms, for a conversion agreement (a KPI both departments share). */
  @Column({ type: 'simple-json', nullable: true })
  conversion: ConversionTerms | null;

  /** Link template to the subject in the CRM ("https://crm.example.com/leads/{subject}"), used in alerts. */
  @Column({ name: 'subject_link', type: 'varchar', length: 500, nullable: true })
  subjectLink: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  /** Increases on every proposal; approvals count only for the current one. */
  @Column({ name: 'proposal_round', type: 'integer' })
  proposalRound: number;

  @Column({ name: 'proposed_at', type: INSTANT, nullable: true })
  proposedAt: Date | null;

  @Column({ name: 'active_from', type: INSTANT, nullable: true })
  activeFrom: Date | null;

  @Column({ name: 'active_until', type: INSTANT, nullable: true })
  activeUntil: Date | null;

  /**
   * For an agreement's first version in force: measure the stored events from this instant
   * (before the approval) rather than from the approval. Null: from the approval.
   */
  @Column({ name: 'measure_from', type: INSTANT, nullable: true })
  measureFrom: Date | null;
}
