import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { EventFilter } from './domain/agreement-terms.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';

/** One step of the lead lifecycle, owned by a department and a person. */
@Entity('funnel_stages')
@Index('UQ_funnel_stages_name', ['name'], { unique: true })
export class FunnelStage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  /** Order in the funnel, 1 = first. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'FK_funnel_stages_department' })
  department?: Relation<Department>;

  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Person, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_funnel_stages_owner' })
  owner?: Relation<Person>;

  /** What "done" means at this stage, in the owners' words. */
  @Column({ name: 'done_definition', type: 'text' })
  doneDefinition: string;

  /**
   * The event that enters a subject into this stage ({ "type": "lead.sql" }, optionally `when`):
   * a subject enters at the first matching event. Null: the funnel does not count this stage.
   */
  @Column({ name: 'entered_on', type: 'simple-json', nullable: true })
  enteredOn: EventFilter | null;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
