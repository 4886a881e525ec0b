import {
  WEEKDAYS,
  formatTimeOfDay,
  isIsoDate,
  parseTimeOfDay,
  readTimeRanges,
  type CalendarDefinition,
  type DefinitionProblem,
  type MinuteRange,
  type TimeRange,
  type Weekday,
} from './calendar-definition.js';
import { DEFAULT_WORKDAY_AS, hoursOfProductionDay, type ProductionCalendarYear } from './production-days.js';
import { parseXmlCalendar, type ImportProblem } from './xml-calendar.js';

/**
 * Importing dated hours (`POST /api/calendars/:id/dates/import`): an xmlcalendar file (a year of
 * an official production calendar) or CSV rows `date,hours`, turned into `dates` entries of a
 * calendar, or refused with problems naming the line or the date. Pure: the caller merges the
 * result into the calendar (mergeImportedDates) and stores it.
 */

/** One CSV row: a date and its working hours, empty when closed. */
export interface DatedHoursRow {
  date: string;
  hours: TimeRange[];
}

/** What a file says of a date, as the summary counts it. */
export type ImportedKind = 'closed' | 'shortened' | 'working';

/** What an import changes: `dates` entries, what each is, and how many of each kind. */
export interface DatedHoursImport {
  dates: Record<string, TimeRange[]>;
  kinds: Record<string, ImportedKind>;
  summary: {
    /** The year of an xmlcalendar file; for CSV the rows' year when they share one, else null. */
    year: number | null;
    closed: number;
    shortened: number;
    working: number;
  };
}

const INTERVAL = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/;

function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}

/**
 * Parses CSV rows `date,hours` (`2027-05-15,09:00-18:00`; several intervals separated by spaces,
 * `09:00-13:00 14:00-18:00`; empty hours close the date). An optional first row `date,hours` is
 * a header; blank lines are skipped. Intervals are checked like a calendar's hours.
 */
export function parseDatedHoursCsv(text: string): { problems: ImportProblem[]; rows?: DatedHoursRow[] } {
  const problems: ImportProblem[] = [];
  const rows: DatedHoursRow[] = [];
  const seen = new Map<string, number>();
  const lines = String(text).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let headerAllowed = true;
  lines.forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    const fields = content.split(',');
    if (headerAllowed && fields.length === 2 && unquote(fields[0]).toLowerCase() === 'date' && unquote(fields[1]).toLowerCase() === 'hours') {
      headerAllowed = false;
      return;
    }
    headerAllowed = false;
    if (fields.length > 2) {
      problems.push({ line, message: `expected two columns date,hours, found ${fields.length}` });
      return;
    }
    const date = unquote(fields[0]);
    if (!isIsoDate(date)) {
      problems.push({ line, message: `${JSON.stringify(date)} is not a date (YYYY-MM-DD)` });
      return;
    }
    if (seen.has(date)) {
      problems.push({ line, date, message: `the date is given twice (first on line ${seen.get(date)})` });
      return;
    }
    seen.set(date, line);
    const tokens = unquote(fields[1] ?? '').split(/\s+/).filter(Boolean);
    const pairs: TimeRange[] = [];
    for (const token of tokens) {
      const match = INTERVAL.exec(token);
      if (match) pairs.push([match[1], match[2]]);
      else problems.push({ line, date, message: `${JSON.stringify(token)} is not an interval HH:MM-HH:MM` });
    }
    if (pairs.length < tokens.length) return;
    const rangeProblems: DefinitionProblem[] = [];
    const ranges = readTimeRanges(pairs, 'hours', rangeProblems);
    for (const problem of rangeProblems) problems.push({ line, date, message: `${problem.path}: ${problem.message}` });
    if (rangeProblems.length === 0) rows.push({ date, hours: ranges.map(toTimeRange) });
  });
  if (problems.length > 0) return { problems };
  if (rows.length === 0) return { problems: [{ line: 1, message: 'the file has no rows date,hours' }] };
  return { problems, rows };
}

function toTimeRange([start, end]: MinuteRange): TimeRange {
  return [formatTimeOfDay(start), formatTimeOfDay(end)];
}

/** A calendar's weekday hours in the arithmetic's form (index 0 = Monday); malformed ranges are left out. */
function weeklyRanges(hours: CalendarDefinition['hours']): MinuteRange[][] {
  return WEEKDAYS.map((weekday) =>
    (hours[weekday] ?? []).flatMap(([start, end]): MinuteRange[] => {
      const from = parseTimeOfDay(start, false);
      const to = parseTimeOfDay(end, true);
      return from !== undefined && to !== undefined && from < to ? [[from, to]] : [];
    }).sort((a, b) => a[0] - b[0]),
  );
}

/**
 * A year of a production calendar as `dates` entries of a calendar with weekday `hours`: a day
 * off → [], a short day → that day's hours less an hour at the end, a working weekend date → the
 * hours of a decreed working day (hoursOfDecreedWorkday: that weekday's own, else `workdayAs`'s).
 * The summary counts the file's days by kind.
 */
export function datesFromProductionCalendar(
  calendar: ProductionCalendarYear,
  hours: CalendarDefinition['hours'],
  workdayAs: Weekday = DEFAULT_WORKDAY_AS,
): DatedHoursImport {
  const weekly = weeklyRanges(hours);
  const result: DatedHoursImport = { dates: {}, kinds: {}, summary: { year: calendar.year, closed: 0, shortened: 0, working: 0 } };
  for (const day of calendar.days) {
    const kind: ImportedKind = day.kind === 'short' ? 'shortened' : day.kind;
    result.dates[day.date] = hoursOfProductionDay(day, weekly, workdayAs).map(toTimeRange);
    result.kinds[day.date] = kind;
    result.summary[kind] += 1;
  }
  return result;
}

/** CSV rows as `dates` entries; a row without hours counts as closed, any other as working. */
export function datesFromRows(rows: readonly DatedHoursRow[]): DatedHoursImport {
  const years = new Set(rows.map((row) => Number(row.date.slice(0, 4))));
  const result: DatedHoursImport = {
    dates: {},
    kinds: {},
    summary: { year: years.size === 1 ? [...years][0] : null, closed: 0, shortened: 0, working: 0 },
  };
  for (const row of rows) {
    const kind: ImportedKind = row.hours.length === 0 ? 'closed' : 'working';
    result.dates[row.date] = row.hours.map(([start, end]) => [start, end]);
    result.kinds[row.date] = kind;
    result.summary[kind] += 1;
  }
  return result;
}

/**
 * The whole import in one call: parses `text` as an xmlcalendar file (`format: 'xml'`) or CSV
 * rows (`'csv'`) and returns the `dates` entries with their summary, or the problems.
 */
export function importDatedHours(
  text: string,
  format: 'xml' | 'csv',
  hours: CalendarDefinition['hours'],
  workdayAs: Weekday = DEFAULT_WORKDAY_AS,
): { problems: ImportProblem[]; imported?: DatedHoursImport } {
  if (format === 'xml') {
    const { problems, calendar } = parseXmlCalendar(text);
    return calendar ? { problems, imported: datesFromProductionCalendar(calendar, hours, workdayAs) } : { problems };
  }
  const { problems, rows } = parseDatedHoursCsv(text);
  return rows ? { problems, imported: datesFromRows(rows) } : { problems };
}

/**
 * A calendar's `dates` with imported entries merged in (an imported date replaces the calendar's
 * entry for it). A date the calendar lists in `holidays` stays a holiday: a definition may not
 * name a date in both, and an admin's own holiday outranks a file; those dates are returned in
 * `keptAsHolidays` so the answer can say so.
 */
export function mergeImportedDates(
  calendar: Pick<CalendarDefinition, 'holidays' | 'dates'>,
  imported: Readonly<Record<string, readonly TimeRange[]>>,
): { dates: Record<string, TimeRange[]>; keptAsHolidays: string[] } {
  const holidays = new Set(calendar.holidays ?? []);
  const dates: Record<string, TimeRange[]> = {};
  for (const [date, ranges] of Object.entries(calendar.dates ?? {})) dates[date] = ranges.map(([a, b]) => [a, b]);
  const keptAsHolidays: string[] = [];
  for (const [date, ranges] of Object.entries(imported)) {
    if (holidays.has(date)) {
      keptAsHolidays.push(date);
      continue;
    }
    dates[date] = ranges.map(([a, b]) => [a, b]);
  }
  const sorted = Object.fromEntries(Object.entries(dates).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { dates: sorted, keptAsHolidays: keptAsHolidays.sort() };
}

/**
 * The summary of what a merge took into `dates`: the import's counts less the dates kept as
 * holidays (mergeImportedDates' `keptAsHolidays`), which the answer lists instead.
 */
export function mergedSummary(imported: Pick<DatedHoursImport, 'kinds' | 'summary'>, keptAsHolidays: readonly string[]): DatedHoursImport['summary'] {
  const summary = { ...imported.summary };
  for (const date of keptAsHolidays) {
    const kind = imported.kinds[date];
    if (kind) summary[kind] -= 1;
  }
  return summary;
}
