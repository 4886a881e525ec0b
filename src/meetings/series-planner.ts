import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusinessTimeRangeError, type BusinessCalendar } from '../calendars/business-time/index.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { InvalidInputError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { calendarYearsProblem, placeOnOpenDays, type OnClosedDay, type OpenDaysCalendar, type Placement } from './domain/open-days.js';
import { occurrences } from './domain/recurrence.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { Meeting } from './meeting.entity.js';

/**
 * Where a series' meetings are: every occurrence of the rule stored when the series is planned
 * (at most 500), so each has an id from the start for its agenda, attendance and minutes, and
 * placed on the series' business calendar (`onClosedDay`). Planning again — after a change of
 * the series or of its calendar — never touches a meeting already held, one whose minutes are
 * final, one in the past, or one a person moved or cancelled.
 */
@Injectable()
export class SeriesPlanner {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
  ) {}

  /** The series' compiled calendar and its version; null without one (or, defensively, when it is gone). */
  async calendarOf(manager: EntityManager, series: Pick<MeetingSeries, 'calendarId'>): Promise<{ calendar: BusinessCalendar; version: number } | null> {
    if (!series.calendarId || !(await manager.existsBy(Calendar, { id: series.calendarId }))) return null;
    return this.calendars.compiledCalendar(manager, series.calendarId);
  }

  /**
   * Stores the occurrences the rule gives, where the calendar places them. Occurrences the rule
   * no longer gives are cancelled (unless held); new ones are added; those already stored keep
   * their id and records, and move with the calendar only while still to come. Answers whether
   * any meeting's time or status changed, so calendars must hear of it.
   */
  async plan(manager: EntityManager, series: MeetingSeries): Promise<boolean> {
    const now = this.clock.now();
    const compiled = await this.calendarOf(manager, series);
    const starts = occurrences({ rule: series.rrule, startsOn: series.startsOn, timezone: series.timezone });
    const placements = placeWithin(starts, series.timezone, compiled?.calendar ?? null, series.onClosedDay);
    const wanted = new Set(starts);
    const stored = await manager.find(Meeting, { where: { seriesId: series.id } });
    const known = new Map(stored.map((meeting) => [meeting.occurrenceStart.getTime(), meeting]));
    const duration = series.durationMinutes * 60_000;
    let changed = false;
    for (const placement of placements) {
      const meeting = known.get(placement.occurrenceStart);
      if (!meeting) {
        const startsAt = new Date(placement.startsAt ?? placement.occurrenceStart);
        await manager.insert(Meeting, {
          id: newId(),
          seriesId: series.id,
          occurrenceStart: new Date(placement.occurrenceStart),
          startsAt,
          endsAt: new Date(startsAt.getTime() + duration),
          status: placement.startsAt === null ? 'cancelled' : 'scheduled',
          calendarChange: placement.change,
          setByHandAt: null,
          quorumMet: null,
          minutesStatus: 'none',
          minutesRevision: 0,
          createdAt: now,
          updatedAt: now,
        });
        changed = true;
        continue;
      }
      const before = [meeting.status, meeting.startsAt.getTime(), meeting.endsAt.getTime(), meeting.calendarChange].join();
      if (this.followsCalendar(meeting, placement, now)) {
        meeting.status = placement.startsAt === null ? 'cancelled' : 'scheduled';
        meeting.startsAt = new Date(placement.startsAt ?? placement.occurrenceStart);
        meeting.calendarChange = placement.change;
      }
      // The duration follows the series, except where a person set the time.
      if (meeting.status === 'scheduled' && meeting.setByHandAt === null) {
        meeting.endsAt = new Date(meeting.startsAt.getTime() + duration);
      }
      if ([meeting.status, meeting.startsAt.getTime(), meeting.endsAt.getTime(), meeting.calendarChange].join() !== before) {
        meeting.updatedAt = now;
        await manager.save(Meeting, meeting);
        changed = true;
      }
    }
    for (const meeting of stored) {
      if (!wanted.has(meeting.occurrenceStart.getTime()) && meeting.status === 'scheduled') {
        meeting.status = 'cancelled';
        meeting.calendarChange = null;
        meeting.updatedAt = now;
        await manager.save(Meeting, meeting);
        changed = true;
      }
    }
    const version = compiled?.version ?? null;
    if (series.calendarVersion !== version) {
      series.calendarVersion = version;
      await manager.update(MeetingSeries, { id: series.id }, { calendarVersion: version });
    }
    return changed;
  }

  /**
   * Whether a stored meeting goes where the calendar now places it: only one still to come (now
   * and where it would go), not held, minutes not final, and left where the rule or the calendar
   * put it — a person's move or cancellation stands (`setByHandAt`, still flagged on a closed day
   * when read), as does a cancellation the calendar did not make (the rule no longer giving it).
   */
  private followsCalendar(meeting: Meeting, placement: Placement, now: Date): boolean {
    const setByHand = meeting.setByHandAt !== null || (meeting.calendarChange === null && meeting.status === 'cancelled');
    if (setByHand || meeting.status === 'held' || meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved') return false;
    const target = placement.startsAt ?? placement.occurrenceStart;
    return meeting.startsAt > now && target > now.getTime();
  }
}

/**
 * placeOnOpenDays, refusing as invalid input (a 400 naming `startsOn` or `rrule`) what a calendar
 * cannot place: occurrences outside its years, checked up front, and — should the arithmetic
 * still reach past them — its range error, so no series on a calendar fails with a 500.
 */
function placeWithin(starts: number[], timezone: string, calendar: OpenDaysCalendar | null, onClosedDay: OnClosedDay): Placement[] {
  if (!calendar) return placeOnOpenDays(starts, timezone, null, onClosedDay);
  const problem = calendarYearsProblem(starts);
  if (problem) throw InvalidInputError.of(problem.field, problem.message);
  try {
    return placeOnOpenDays(starts, timezone, calendar, onClosedDay);
  } catch (error) {
    if (error instanceof BusinessTimeRangeError) throw InvalidInputError.of('rrule', `rrule: ${error.message}`);
    throw error;
  }
}
