import { WEEKDAYS, type MinuteRange, type Weekday } from './calendar-definition.js';

/**
 * A date of an official production calendar (the xmlcalendar `<day>`), kept RELATIVE to a
 * calendar's own hours, since every calendar has its own:
 * - `closed` (t="1"): a day off, a holiday or one moved by decree;
 * - `short` (t="2"): a working day one hour shorter at its end; on a weekend date the decree
 *   made it a (short) working day, so it takes a decreed working day's hours (below) first;
 * - `working` (t="3"): a weekend date made a full working day, with a decreed working day's hours.
 * See hoursOfDecreedWorkday for which hours a date the decree makes working takes.
 */
export type ProductionDayKind = 'closed' | 'short' | 'working';

export interface ProductionDay {
  /** YYYY-MM-DD. */
  date: string;
  kind: ProductionDayKind;
  /** The holiday's title, for a day off that is a holiday (`h`). */
  holiday?: string;
  /** YYYY-MM-DD: the weekend date this day off was moved from (`f`). */
  movedFrom?: string;
}

/** One country's production calendar for one year, as an xmlcalendar file states it. */
export interface ProductionCalendarYear {
  year: number;
  /** Lower-case country code of the file (`country="ru"`), when it says. */
  country?: string;
  /** YYYY-MM-DD the file was published (`date="2025.09.30"`), when it says. */
  published?: string;
  /** Sorted by date, one entry a date. */
  days: ProductionDay[];
}

/** How much shorter a pre-holiday day is (Russia's labour code, art. 95; likewise BY, KZ, UZ). */
export const SHORT_DAY_MINUTES = 60;

/** The weekday a weekend date made a working day takes its hours from, unless told otherwise. */
export const DEFAULT_WORKDAY_AS: Weekday = 'mon';

/** Index 0 = Monday … 6 = Sunday of a YYYY-MM-DD date. */
export function weekdayIndexOf(isoDate: string): number {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return (day + 6) % 7;
}

/** Saturday or Sunday: the weekend of every country that publishes these calendars. */
export function isWeekendDate(isoDate: string): boolean {
  return weekdayIndexOf(isoDate) >= 5;
}

export function isWeekday(value: unknown): value is Weekday {
  return typeof value === 'string' && (WEEKDAYS as readonly string[]).includes(value);
}

/**
 * A day's working ranges with the last `minutes` of working time taken off its end: 09:00–18:00
 * becomes 09:00–17:00; 09:00–13:00 + 13:30–14:00 loses the 30 minutes after lunch and 30 before.
 */
export function shortenWorkingDay(ranges: readonly MinuteRange[], minutes: number): MinuteRange[] {
  const result: MinuteRange[] = [];
  let remaining = minutes;
  for (let k = ranges.length - 1; k >= 0; k--) {
    const [start, end] = ranges[k];
    const length = end - start;
    if (remaining >= length) {
      remaining -= length;
      continue;
    }
    result.push([start, end - remaining]);
    remaining = 0;
  }
  return result.reverse();
}

/**
 * The hours a date the decree makes a working day (t="3", or t="2" on a weekend) opens with:
 * 1. the calendar's own hours for that weekday, when it has any — a shop open Tuesday to
 *    Saturday works a decreed working Saturday as every Saturday;
 * 2. otherwise the `workdayAs` weekday's hours (Monday's unless told) — a Monday-to-Friday
 *    office works a decreed Saturday as a Monday;
 * 3. when that weekday is closed too, the first weekday, Monday to Sunday, with hours — a
 *    Tuesday-to-Saturday shop asked for Monday's hours takes Tuesday's rather than staying closed.
 * A calendar with no hours on any weekday has none to give: the date stays closed.
 */
export function hoursOfDecreedWorkday(isoDate: string, weekly: readonly (readonly MinuteRange[])[], workdayAs: Weekday = DEFAULT_WORKDAY_AS): readonly MinuteRange[] {
  const own = weekly[weekdayIndexOf(isoDate)] ?? [];
  if (own.length > 0) return own;
  const asWorkday = weekly[WEEKDAYS.indexOf(workdayAs)] ?? [];
  if (asWorkday.length > 0) return asWorkday;
  return weekly.find((ranges) => ranges.length > 0) ?? [];
}

/**
 * The working ranges of a production-calendar day on a calendar whose week is `weekly`
 * (index 0 = Monday): closed → none; working → a decreed working day's hours
 * (hoursOfDecreedWorkday); short → that date's own weekday hours one hour shorter (on a weekend
 * date, a decreed working day's hours one hour shorter). A short weekday the calendar keeps
 * closed stays closed: the decree shortens a working day, it does not open one.
 */
export function hoursOfProductionDay(
  day: Pick<ProductionDay, 'date' | 'kind'>,
  weekly: readonly (readonly MinuteRange[])[],
  workdayAs: Weekday = DEFAULT_WORKDAY_AS,
): MinuteRange[] {
  switch (day.kind) {
    case 'closed':
      return [];
    case 'working':
      return [...hoursOfDecreedWorkday(day.date, weekly, workdayAs)];
    case 'short': {
      const base = isWeekendDate(day.date) ? hoursOfDecreedWorkday(day.date, weekly, workdayAs) : weekly[weekdayIndexOf(day.date)];
      return shortenWorkingDay(base, SHORT_DAY_MINUTES);
    }
  }
}
