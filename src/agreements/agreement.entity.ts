import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Department } from '../org/department.entity.js';

/** A clock per subject, a count per period, or a shared conversion KPI per period. */
export const AGREEMENT_KINDS = ['response', 'quota', 'conversion'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

/**
 * `draft`/`proposed`: never in force yet; `active`: a version is in force (a new version may be
 * pending beside it); `retired`: no longer in force.
 */
export const AGREEMENT_STATUSES = ['draft', 'proposed', 'active', 'retired'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/**
 * A promise from a provider department to a consumer department. What it promises lives in its
 * versions; this row only says who owes whom, and where the agreement stands.
 */
@Entity('agreements')
@Index('IDX_agreements_provider', ['providerDepartmentId'])
@Index('IDX_agreements_consumer', ['consumerDepartmentId'])
export class Agreement {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: AgreementKind;

  @Column({ type: 'varchar', length: 16 })
  status: AgreementStatus;

  @Column({ name: 'provider_department_id', type: 'varchar', length: 36 })
  providerDepartmentId: string;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_department_id', foreignKeyConstraintName: 'FK_agreements_provider' })
  providerDepartment?: Relation<Department>;

  @Column({ name: 'consumer_department_id', type: 'varchar', length: 36 })
  consumerDepartmentId: string;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consumer_department_id', foreignKeyConstraintName: 'FK_agreements_consumer' })
  consumerDepartment?: Relation<Department>;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
