import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Role } from '../access/roles.js';
import { INSTANT } from '../database/columns.js';
import { Department } from './department.entity.js';

@Entity('people')
@Index('UQ_people_email', ['email'], { unique: true })
@Index('IDX_people_department', ['departmentId'])
export class Person {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** Stored lower-case: one person, one address, whatever the capitals. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'FK_people_department' })
  department?: Relation<Department>;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  /** The language the person reads Concord in (see i18n/locales.ts); null: the organisation's default. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  locale: string | null;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;

  /** Set when an admin takes the person's access away: no token, session or sign-in link works. */
  @Column({ name: 'deactivated_at', type: INSTANT, nullable: true })
  deactivatedAt: Date | null;
}
