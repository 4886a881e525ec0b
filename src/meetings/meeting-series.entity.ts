import { Column, Entity, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { OnClosedDay } from './domain/open-days.js';

/** Who decides whether a meeting counts: by default the head of each department, or their named delegate. */
export interface QuorumRule {
  rule: 'heads' | 'all-required';
}

/**
 * A recurring joint meeting: an RRULE over a local start time in an IANA zone, so a monthly
 * meeting at 10:00 Paris time stays at 10:00 across daylight-saving changes.
 */
@Entity('meeting_series')
export class MeetingSeries {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'department_ids', type: 'simple-json' })
  departmentIds: string[];

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  /** First occurrence, local wall-clock time in `timezone`: "2027-01-05T10:00". */
  @Column({ name: 'starts_on', type: 'varchar', length: 16 })
  startsOn: string;

  /** RFC 5545 recurrence rule without DTSTART, with COUNT or UNTIL: "FREQ=MONTHLY;BYDAY=1TU;COUNT=12". */
  @Column({ type: 'varchar', length: 500 })
  rrule: string;

  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  /** Standing items added to every agenda after the ones built from the data. */
  @Column({ name: 'agenda_template', type: 'simple-json' })
  agendaTemplate: string[];

  @Column({ type: 'simple-json' })
  quorum: QuorumRule;

  @Column({ name: 'chair_id', type: 'varchar', length: 36, nullable: true })
  chairId: string | null;

  @Column({ name: 'minute_taker_id', type: 'varchar', length: 36, nullable: true })
  minuteTakerId: string | null;

  /** The business calendar its occurrences are placed on, if any: where it is closed, `onClosedDay` decides. */
  @Column({ name: 'calendar_id', type: 'varchar', length: 36, nullable: true })
  calendarId: string | null;

  /** What an occurrence on a date the calendar closes at its time does: stays (flagged), moves to the next open day, or is skipped. */
  @Column({ name: 'on_closed_day', type: 'varchar', length: 14, default: 'keep' })
  onClosedDay: OnClosedDay;

  /** The calendar's version the occurrences were last placed on; a newer one re-plans those to come. */
  @Column({ name: 'calendar_version', type: 'integer', nullable: true })
  calendarVersion: number | null;

  /** iCalendar SEQUENCE of the series: increases on every change sent to calendars. */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar', length: 10 })
  status: 'active' | 'cancelled';

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
