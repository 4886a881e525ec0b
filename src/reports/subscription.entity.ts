import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Person } from '../org/person.entity.js';

/**
 * A person's standing order for a report by email, on a schedule such as "every Monday 08:00"
 * read in the person's own time zone. Each scheduled occurrence is sent once: its outbox key
 * names the subscription and the occurrence.
 */
@Entity('subscriptions')
@Index('IDX_subscriptions_person', ['personId'])
export class Subscription {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_subscriptions_person' })
  person?: Relation<Person>;

  /** Which report: "breaches" or "funnel". */
  @Column({ type: 'varchar', length: 32 })
  report: string;

  /** As the person wrote it: "every Monday 08:00", "every day 07:30", "every month on day 1 09:00". */
  @Column({ type: 'varchar', length: 100 })
  schedule: string;

  /** Departments the report covers; empty for all. */
  @Column({ name: 'department_ids', type: 'simple-json' })
  departmentIds: string[];

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
