import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Department } from '../org/department.entity.js';

export const BRIEF_STATUSES = ['draft', 'submitted', 'accepted', 'returned', 'in_progress', 'done', 'cancelled'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

/** The body of a brief, as the requester writes it; required fields are checked at submission. */
export interface BriefContent {
  background?: string | null;
  goals?: { goal: string; target: string }[];
  vision?: string | null;
  keyMessage?: string | null;
  audience?: { primary?: string | null; secondary?: string | null };
  deliverables?: string[];
  channels?: string[];
  outOfScope?: string | null;
  mandatoryElements?: string | null;
  deadline?: string | null;
  milestones?: { name: string; date: string }[];
  budget?: { amount: number | null; currency?: string | null; approved: boolean } | null;
  successMetrics?: { metric: string; target: string }[];
  stakeholders?: string[];
  approverId?: string | null;
  links?: string[];
}

/** A brief a requesting department files with another: a project asked for, answered and delivered. */
@Entity('briefs')
@Index('IDX_briefs_requester', ['requesterDepartmentId', 'status'])
@Index('IDX_briefs_recipient', ['recipientDepartmentId', 'status'])
export class Brief {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 16 })
  status: BriefStatus;

  @Column({ name: 'requester_department_id', type: 'varchar', length: 36 })
  requesterDepartmentId: string;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requester_department_id', foreignKeyConstraintName: 'FK_briefs_requester' })
  requesterDepartment?: Relation<Department>;

  @Column({ name: 'recipient_department_id', type: 'varchar', length: 36 })
  recipientDepartmentId: string;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_department_id', foreignKeyConstraintName: 'FK_briefs_recipient' })
  recipientDepartment?: Relation<Department>;

  @Column({ type: 'simple-json' })
  content: BriefContent;

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;

  @Column({ name: 'submitted_at', type: INSTANT, nullable: true })
  submittedAt: Date | null;
}
