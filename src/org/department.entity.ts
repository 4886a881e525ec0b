import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Calendar } from '../calendars/calendar.entity.js';
import { INSTANT } from '../database/columns.js';

@Entity('departments')
@Index('UQ_departments_slug', ['slug'], { unique: true })
export class Department {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** Short stable name used in URLs and reports, e.g. "marketing". */
  @Column({ type: 'varchar', length: 60 })
  slug: string;

  /** Default time zone of the department's people and reports. */
  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  /** Default business calendar of the department's agreements. */
  @Column({ name: 'calendar_id', type: 'varchar', length: 36, nullable: true })
  calendarId: string | null;

  @ManyToOne(() => Calendar, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'calendar_id', foreignKeyConstraintName: 'FK_departments_calendar' })
  calendar?: Relation<Calendar>;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
