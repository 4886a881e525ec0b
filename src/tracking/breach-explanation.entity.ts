import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Breach } from './breach.entity.js';

/** Where the review of a breach's explanation stands: awaiting the consumer head, accepted, disputed. */
export const REVIEW_STATUSES = ['pending', 'accepted', 'disputed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_VERDICTS = ['accepted', 'disputed'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/**
 * One wording of a breach's explanation. Every edit adds a revision; none is rewritten, so a head
 * sees what was said before a dispute and what changed after it. The breach row carries the latest.
 */
@Entity('breach_explanations')
@Index('UQ_breach_explanations_revision', ['breachId', 'revision'], { unique: true })
export class BreachExplanation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'breach_id', type: 'varchar', length: 36 })
  breachId: string;

  @ManyToOne(() => Breach, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'breach_id', foreignKeyConstraintName: 'FK_breach_explanations_breach' })
  breach?: Relation<Breach>;

  /** 1 for the first explanation, 2 for its first edit… */
  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'text' })
  cause: string;

  @Column({ name: 'corrective_action', type: 'text' })
  correctiveAction: string;

  @Column({ name: 'explained_by', type: 'varchar', length: 36, nullable: true })
  explainedBy: string | null;

  @Column({ name: 'explained_at', type: INSTANT })
  explainedAt: Date;
}

/** The consumer department head's verdict on one revision of an explanation. */
@Entity('breach_reviews')
@Index('IDX_breach_reviews_breach', ['breachId', 'reviewedAt'])
export class BreachReview {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'breach_id', type: 'varchar', length: 36 })
  breachId: string;

  @ManyToOne(() => Breach, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'breach_id', foreignKeyConstraintName: 'FK_breach_reviews_breach' })
  breach?: Relation<Breach>;

  /** The revision of the explanation this verdict is about. */
  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'varchar', length: 16 })
  verdict: ReviewVerdict;

  /** Required for a dispute: what the consumer does not accept. */
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 36 })
  reviewedBy: string;

  @Column({ name: 'reviewed_at', type: INSTANT })
  reviewedAt: Date;
}
