import { DateTime } from 'luxon';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, type BusinessCalendar } from '../../calendars/business-time/index.js';

/**
 * Meetings on open days: where a series' business calendar is closed at the time the rule puts
 * an occurrence, the occurrence stays and is flagged (`keep`), moves to the same local time on
 * the next date the calendar is open at that time (`next-open-day`), or is not held (`skip`).
 * Pure: the caller gives the rule's starts and the compiled calendar.
 */

export const ON_CLOSED_DAY = ['keep', 'next-open-day', 'skip'] as const;
export type OnClosedDay = (typeof ON_CLOSED_DAY)[number];

/** How many dates after a closed one `next-open-day` looks at before it keeps the occurrence where it is. */
export const OPEN_DAY_SEARCH_DAYS = 31;

/** The first and last years a business calendar tells of: it lays out a year either side of an instant. */
export const CALENDAR_YEARS = { first: FIRST_SUPPORTED_YEAR + 1, last: LAST_SUPPORTED_YEAR - 1 } as const;

/** Whether a business calendar can say if it is open at an instant (epoch ms). */
export function withinCalendarYears(instant: number): boolean {
  if (!Number.isFinite(instant)) return false;
  const year = new Date(instant).getUTCFullYear();
  return year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;
}

/**
 * Why a calendar cannot place a rule's occurrences (epoch ms, in order), naming the field to
 * change, or null: the first lies outside the years a calendar tells of (`startsOn`), or the
 * last, with the days a moved one may search after it, runs past them (`rrule`). Checked before
 * planning, so such a series is refused rather than failing half-way.
 */
export function calendarYearsProblem(starts: readonly number[]): { field: 'startsOn' | 'rrule'; message: string } | null {
  if (starts.length === 0) return null;
  const years = `${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last}`;
  if (!withinCalendarYears(starts[0])) return { field: 'startsOn', message: `startsOn: a series on a business calendar must start in the years ${years}` };
  const searched = starts[starts.length - 1] + (OPEN_DAY_SEARCH_DAYS + 1) * 86_400_000;
  if (!withinCalendarYears(searched)) return { field: 'rrule', message: `rrule: on a business calendar, the rule's meetings (and the days a moved one may take) must lie in the years ${years}` };
  return null;
}

/** What the planning needs of a calendar: BusinessCalendar itself, or a stand-in in tests. */
export type OpenDaysCalendar = Pick<BusinessCalendar, 'timezone' | 'isOpen' | 'dayOn'>;

/** What the calendar made of one occurrence of the rule. */
export interface Placement {
  /** Where the rule put it (epoch ms): its RECURRENCE-ID. */
  occurrenceStart: number;
  /** Where it is held (epoch ms), or null when it is skipped. */
  startsAt: number | null;
  /** `moved` to the next open day or `skipped`; null when it stays where the rule put it (open, or kept though closed). */
  change: 'moved' | 'skipped' | null;
}

const WEEKDAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/**
 * Why the calendar is closed at an instant, in words a participant understands — the holiday's
 * name where the calendar's preset names it — or null when it is open. A date with working hours
 * that do not include the time is closed at that time, and the reason says the hours.
 */
export function closedReason(calendar: OpenDaysCalendar, instant: number): string | null {
  // Beyond the calendar's years (a meeting a person moved there before the series had a
  // calendar) the calendar cannot tell: not flagged, rather than failing the read.
  if (!withinCalendarYears(instant) || calendar.isOpen(new Date(instant))) return null;
  const local = DateTime.fromMillis(instant, { zone: calendar.timezone });
  const day = calendar.dayOn(local.toISODate() as string);
  if (day.hours.length > 0) return `outside the calendar's hours that day (${day.hours.map(([from, to]) => `${from}–${to}`).join(', ')})`;
  switch (day.source) {
    case 'preset':
      return day.holiday ?? (day.movedFrom ? `a day off moved from ${day.movedFrom}` : 'a public holiday');
    case 'week':
      return `closed on ${WEEKDAY_NAMES[local.weekday - 1]}`;
    default:
      // `holidays` and dated hours closing the date: the calendar's own closing, no name given.
      return 'closed by the calendar';
  }
}

/**
 * Where each of the rule's occurrences (epoch ms, in order) is held on the calendar. A moved
 * occurrence keeps the local time of `timezone` (the series' zone) on the first of the next
 * OPEN_DAY_SEARCH_DAYS dates the calendar is open at that time; when none is, it is kept where
 * it was (and reads as on a closed day). One that would land where the series already meets
 * (a daily meeting closed on Saturday, moving onto Monday's) is skipped instead: the series
 * meets there anyway. Without a calendar every occurrence stays where the rule put it.
 */
export function placeOnOpenDays(starts: readonly number[], timezone: string, calendar: OpenDaysCalendar | null, onClosedDay: OnClosedDay): Placement[] {
  const stays = (occurrenceStart: number): Placement => ({ occurrenceStart, startsAt: occurrenceStart, change: null });
  if (!calendar || onClosedDay === 'keep') return starts.map(stays);
  const closed = starts.map((start) => !calendar.isOpen(new Date(start)));
  // Occurrences on open days meet where the rule put them; a moved one must not land on one.
  const taken = new Set(starts.filter((_start, index) => !closed[index]));
  return starts.map((start, index): Placement => {
    if (!closed[index]) return stays(start);
    if (onClosedDay === 'skip') return { occurrenceStart: start, startsAt: null, change: 'skipped' };
    const target = nextOpenDay(calendar, start, timezone);
    if (target === null) return stays(start);
    if (taken.has(target)) return { occurrenceStart: start, startsAt: null, change: 'skipped' };
    taken.add(target);
    return { occurrenceStart: start, startsAt: target, change: 'moved' };
  });
}

/** The same local time of `timezone` on the first later date the calendar is open at it, within the search; or null. */
export function nextOpenDay(calendar: OpenDaysCalendar, start: number, timezone: string): number | null {
  const local = DateTime.fromMillis(start, { zone: timezone });
  for (let days = 1; days <= OPEN_DAY_SEARCH_DAYS; days += 1) {
    // Calendar arithmetic keeps the wall-clock time (a time a clock change skips moves forward).
    const candidate = local.plus({ days }).toMillis();
    if (calendar.isOpen(new Date(candidate))) return candidate;
  }
  return null;
}
