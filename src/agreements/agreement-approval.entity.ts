import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { AgreementVersion } from './agreement-version.entity.js';

export type ApprovalDecision = 'approve' | 'reject';

/** A head's decision on a proposed version; kept as history when a proposal is rejected and reworked. */
@Entity('agreement_approvals')
@Index('IDX_agreement_approvals_version', ['versionId'])
export class AgreementApproval {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  @ManyToOne(() => AgreementVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'FK_agreement_approvals_version' })
  version?: Relation<AgreementVersion>;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36 })
  departmentId: string;

  /** The proposal round of the version this decision was about. */
  @Column({ name: 'proposal_round', type: 'integer' })
  proposalRound: number;

  @Column({ type: 'varchar', length: 8 })
  decision: ApprovalDecision;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: INSTANT })
  at: Date;
}
