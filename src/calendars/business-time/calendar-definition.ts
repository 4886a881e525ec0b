import { DateTime, IANAZone } from 'luxon';
import { isKnownHolidayPreset } from './holiday-presets.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working (or, in `breaks`, closed) interval of one day as local wall-clock times, "HH:MM". */
export type TimeRange = readonly [string, string];

/**
 * What a business calendar is, as people write it: the same shape the API accepts.
 * Times are local wall-clock times in `timezone`; "24:00" closes at the next midnight.
 */
export interface CalendarDefinition {
  timezone: string;
  hours: Partial<Record<Weekday, readonly TimeRange[]>>;
  holidays?: readonly string[];
  holidayPreset?: string | null;
  breaks?: Readonly<Record<string, readonly TimeRange[]>>;
  /**
   * The working hours of single dates, replacing that weekday's hours, the preset and `breaks`
   * for the date; `[]` closes it. E.g. `{ "2026-12-26": [["10:00","14:00"]], "2026-12-29": [] }`.
   */
  dates?: Readonly<Record<string, readonly TimeRange[]>>;
}

export interface DefinitionProblem {
  /** Where the problem is, e.g. `hours.mon[1]` or `breaks.2026-12-24[0]`. */
  path: string;
  message: string;
}

export class CalendarDefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    this.name = 'CalendarDefinitionError';
  }
}

/** Minutes after local midnight, [start, end), end may be 1440. */
export type MinuteRange = readonly [number, number];

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIanaTimeZone(zone: unknown): zone is string {
  // Intl also accepts bare offsets such as "+01:00"; they are not zones and carry no DST rules.
  return typeof zone === 'string' && !/^[+-]/.test(zone) && IANAZone.isValidZone(zone);
}

/** A real calendar date written as YYYY-MM-DD ("2026-02-30" is not one). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** Minutes after midnight (0–1440) → "HH:MM", 1440 as "24:00". */
export function formatTimeOfDay(minute: number): string {
  if (minute === 1440) return '24:00';
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "HH:MM" → minutes after midnight; "24:00" only where `allowMidnightEnd`. Undefined when malformed. */
export function parseTimeOfDay(text: unknown, allowMidnightEnd: boolean): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '24:00') return allowMidnightEnd ? 1440 : undefined;
  const match = TIME_OF_DAY.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * Validates a list of [start, end] ranges of one day and returns them as sorted minute ranges.
 * Problems are pushed with paths like `hours.mon[1]`.
 */
export function readTimeRanges(value: unknown, path: string, problems: DefinitionProblem[]): MinuteRange[] {
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list of ["HH:MM","HH:MM"] intervals' });
    return [];
  }
  const ranges: { range: MinuteRange; index: number }[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!Array.isArray(item) || item.length !== 2) {
      problems.push({ path: at, message: 'must be a pair ["HH:MM","HH:MM"]' });
      return;
    }
    const start = parseTimeOfDay(item[0], false);
    const end = parseTimeOfDay(item[1], true);
    if (start === undefined) {
      problems.push({ path: at, message: `start ${JSON.stringify(item[0])} is not a time of day (00:00–23:59)` });
    }
    if (end === undefined) {
      problems.push({ path: at, message: `end ${JSON.stringify(item[1])} is not a time of day (00:01–24:00)` });
    }
    if (start === undefined || end === undefined) return;
    if (end <= start) {
      problems.push({ path: at, message: `ends (${String(item[1])}) before or when it starts (${String(item[0])})` });
      return;
    }
    ranges.push({ range: [start, end], index });
  });
  ranges.sort((a, b) => a.range[0] - b.range[0]);
  for (let k = 1; k < ranges.length; k++) {
    const previous = ranges[k - 1];
    const current = ranges[k];
    if (current.range[0] < previous.range[1]) {
      problems.push({
        path: `${path}[${current.index}]`,
        message: `overlaps ${path}[${previous.index}]`,
      });
    }
  }
  return ranges.map((r) => r.range);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface NormalizedCalendar {
  timezone: string;
  /** Index 0 = Monday … 6 = Sunday (ISO weekday − 1). */
  weekly: MinuteRange[][];
  holidays: Set<string>;
  holidayPreset: string | null;
  breaks: Map<string, MinuteRange[]>;
  /** Dated hours: the whole working day of a date, `[]` when closed. */
  dates: Map<string, MinuteRange[]>;
}

/**
 * Checks a calendar definition and returns either every problem found, or the calendar in the
 * form the arithmetic works on. Never throws on malformed input.
 */
export function normalizeCalendarDefinition(
  input: unknown,
): { problems: DefinitionProblem[]; calendar?: NormalizedCalendar } {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(input)) {
    return { problems: [{ path: '', message: 'a calendar must be an object' }] };
  }
  const timezone = input.timezone;
  if (!isIanaTimeZone(timezone)) {
    problems.push({ path: 'timezone', message: `${JSON.stringify(timezone)} is not an IANA time zone (e.g. "Europe/Paris")` });
  }

  const weekly: MinuteRange[][] = WEEKDAYS.map(() => []);
  if (!isPlainObject(input.hours)) {
    problems.push({ path: 'hours', message: 'must be an object keyed by weekday (mon … sun)' });
  } else {
    for (const [key, value] of Object.entries(input.hours)) {
      const day = WEEKDAYS.indexOf(key as Weekday);
      if (day < 0) {
        problems.push({ path: `hours.${key}`, message: 'is not a weekday (mon, tue, wed, thu, fri, sat, sun)' });
        continue;
      }
      weekly[day] = readTimeRanges(value, `hours.${key}`, problems);
    }
    if (!problems.some((p) => p.path.startsWith('hours')) && weekly.every((day) => day.length === 0)) {
      problems.push({ path: 'hours', message: 'must open at least one interval in the week' });
    }
  }

  const holidays = new Set<string>();
  if (input.holidays !== undefined && input.holidays !== null) {
    if (!Array.isArray(input.holidays)) {
      problems.push({ path: 'holidays', message: 'must be a list of dates (YYYY-MM-DD)' });
    } else {
      input.holidays.forEach((date: unknown, index) => {
        if (isIsoDate(date)) holidays.add(date);
        else problems.push({ path: `holidays[${index}]`, message: `${JSON.stringify(date)} is not a date (YYYY-MM-DD)` });
      });
    }
  }

  let holidayPreset: string | null = null;
  if (input.holidayPreset !== undefined && input.holidayPreset !== null) {
    if (typeof input.holidayPreset === 'string' && isKnownHolidayPreset(input.holidayPreset)) {
      holidayPreset = input.holidayPreset;
    } else {
      problems.push({
        path: 'holidayPreset',
        message: `${JSON.stringify(input.holidayPreset)} is not a known country or country-region (e.g. "FR", "US-NY", "AU-NSW")`,
      });
    }
  }

  const breaks = readDatedRanges(input.breaks, 'breaks', problems);

  const dates = readDatedRanges(input.dates, 'dates', problems);
  for (const date of dates.keys()) {
    if (holidays.has(date)) {
      problems.push({
        path: `dates.${date}`,
        message:
          'is also in holidays: keep it in holidays to close the whole date, or in dates (with [] to close it) to give it its own hours',
      });
    }
  }

  if (problems.length > 0) return { problems };
  return { problems, calendar: { timezone: timezone as string, weekly, holidays, holidayPreset, breaks, dates } };
}

/** `breaks` and `dates`: intervals keyed by real dates, problems named `breaks.2026-02-30` or `dates.2026-12-26[0]`. */
function readDatedRanges(value: unknown, path: string, problems: DefinitionProblem[]): Map<string, MinuteRange[]> {
  const byDate = new Map<string, MinuteRange[]>();
  if (value === undefined || value === null) return byDate;
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object keyed by date (YYYY-MM-DD)' });
    return byDate;
  }
  for (const [date, ranges] of Object.entries(value)) {
    if (!isIsoDate(date)) {
      problems.push({ path: `${path}.${date}`, message: 'is not a date (YYYY-MM-DD)' });
      continue;
    }
    byDate.set(date, readTimeRanges(ranges, `${path}.${date}`, problems));
  }
  return byDate;
}

/** The problems of a definition, empty when it is valid. */
export function findDefinitionProblems(input: unknown): DefinitionProblem[] {
  return normalizeCalendarDefinition(input).problems;
}
