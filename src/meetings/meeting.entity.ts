import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

export type MeetingStatus = 'scheduled' | 'cancelled' | 'held';
export type MinutesStatus = 'none' | 'draft' | 'final' | 'approved';

/**
 * One occurrence of a series, stored once something happens to it (moved, cancelled, opened to
 * take minutes). `occurrenceStart` is where the rule put it — its iCalendar RECURRENCE-ID — and
 * `startsAt` where it is now.
 */
@Entity('meetings')
@Index('UQ_meetings_occurrence', ['seriesId', 'occurrenceStart'], { unique: true })
@Index('IDX_meetings_starts', ['startsAt'])
export class Meeting {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'series_id', type: 'varchar', length: 36 })
  seriesId: string;

  @Column({ name: 'occurrence_start', type: INSTANT })
  occurrenceStart: Date;

  @Column({ name: 'starts_at', type: INSTANT })
  startsAt: Date;

  @Column({ name: 'ends_at', type: INSTANT })
  endsAt: Date;

  @Column({ type: 'varchar', length: 10 })
  status: MeetingStatus;

  /**
   * What the series' calendar did to this occurrence on a closed day: `moved` it to the next open
   * day or `skipped` it (cancelled). Null when it stays where the rule put it, or a person moved
   * or cancelled it: only the calendar's own changes are re-planned when the calendar changes.
   */
  @Column({ name: 'calendar_change', type: 'varchar', length: 10, nullable: true })
  calendarChange: 'moved' | 'skipped' | null;

  /**
   * When a person last moved or cancelled it; null while the rule and the calendar place it.
   * Once set, the planner leaves it where they put it — even back on the rule's own time.
   */
  @Column({ name: 'set_by_hand_at', type: INSTANT, nullable: true })
  setByHandAt: Date | null;

  /** 'yes' / 'no' once attendance is recorded; null before. */
  @Column({ name: 'quorum_met', type: 'varchar', length: 3, nullable: true })
  quorumMet: 'yes' | 'no' | null;

  @Column({ name: 'minutes_status', type: 'varchar', length: 10 })
  minutesStatus: MinutesStatus;

  /** The revision the minutes are at: 1, then 2 after a correction of approved minutes… */
  @Column({ name: 'minutes_revision', type: 'integer' })
  minutesRevision: number;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
