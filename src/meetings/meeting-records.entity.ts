import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused', 'delegate'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Who came: present, absent, excused, or present as delegate for someone. */
@Entity('meeting_attendance')
@Index('UQ_meeting_attendance', ['meetingId', 'personId'], { unique: true })
export class MeetingAttendance {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @Column({ type: 'varchar', length: 10 })
  status: AttendanceStatus;

  @Column({ name: 'delegate_for', type: 'varchar', length: 36, nullable: true })
  delegateFor: string | null;
}

export const AGENDA_SOURCES = ['breaches', 'quotas', 'kpis', 'actions', 'briefs', 'template', 'manual'] as const;
export type AgendaSource = (typeof AGENDA_SOURCES)[number];

/** One item of a meeting's agenda, with what the data said when the agenda was built, and the notes taken. */
@Entity('agenda_items')
@Index('IDX_agenda_items_meeting', ['meetingId', 'position'])
export class AgendaItem {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 10 })
  source: AgendaSource;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'simple-json', nullable: true })
  details: object | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;
}

export const OUTCOME_TYPES = ['information', 'decision', 'action'] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];
export type ActionStatus = 'open' | 'done' | 'dropped';

/** What a meeting produced: information, a decision (with rationale and owner) or an action item (owner, due date). */
@Entity('meeting_outcomes')
@Index('IDX_meeting_outcomes_meeting', ['meetingId'])
@Index('IDX_meeting_outcomes_actions', ['type', 'status', 'dueOn'])
export class MeetingOutcome {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ name: 'series_id', type: 'varchar', length: 36 })
  seriesId: string;

  @Column({ name: 'agenda_item_id', type: 'varchar', length: 36, nullable: true })
  agendaItemId: string | null;

  @Column({ type: 'varchar', length: 12 })
  type: OutcomeType;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  rationale: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId: string | null;

  /** Action items: the local due date, "2026-12-15". */
  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  /** Action items: open, done or dropped; 'recorded' for the others. */
  @Column({ type: 'varchar', length: 10 })
  status: ActionStatus | 'recorded';

  @Column({ name: 'done_at', type: INSTANT, nullable: true })
  doneAt: Date | null;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}

/** Minutes as finalized: a readable snapshot per revision, with the heads' sign-off. */
@Entity('minutes_revisions')
@Index('UQ_minutes_revisions', ['meetingId', 'revision'], { unique: true })
export class MinutesRevision {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'varchar', length: 10 })
  status: 'final' | 'approved';

  @Column({ type: 'simple-json' })
  snapshot: object | null;

  @Column({ type: 'simple-json' })
  approvals: { personId: string; departmentId: string; at: string }[];

  @Column({ name: 'finalized_at', type: INSTANT })
  finalizedAt: Date;

  @Column({ name: 'approved_at', type: INSTANT, nullable: true })
  approvedAt: Date | null;
}
