import { findDefinitionProblems, officialYears, WEEKDAYS, type TimeRange, type Weekday } from '../../calendars/business-time/index.js';
import type { CalendarView } from '../../calendars/calendars.dto.js';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { asRecord, lines, rows, text } from '../forms.js';
import { inEnglish, type Say } from '../say.js';

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface IntervalRow {
  from: string;
  until: string;
}

/** A row of a date and one interval: a closed part of the date (`breaks`), or its own hours (`dates`). */
export interface DatedRow extends IntervalRow {
  date: string;
}

/** The calendar form as shown: one row per interval, holidays one per line. */
export interface CalendarFormValues {
  name: string;
  timezone: string;
  hours: Record<Weekday, IntervalRow[]>;
  holidays: string;
  holidayPreset: string;
  breaks: DatedRow[];
  /** Dated hours: a row per interval; a date with no times typed is closed. */
  dates: DatedRow[];
}

/** What the API's CreateCalendarDto / UpdateCalendarDto receives. */
export interface CalendarRequest {
  name: string;
  timezone: string;
  hours: Partial<Record<Weekday, TimeRange[]>>;
  holidays: string[];
  holidayPreset: string | null;
  breaks: Record<string, TimeRange[]>;
  dates: Record<string, TimeRange[]>;
}

/** Where an interval's errors go: the start's to "from", every other to "until". */
interface IntervalTarget {
  from: string;
  until: string;
  label: string;
}

/** A posted form: the request for the API, the values to show again, and where each API error path is shown. */
export interface CalendarForm {
  request: CalendarRequest;
  values: CalendarFormValues;
  targets: Map<string, string | IntervalTarget>;
}

const BLANK_INTERVAL: IntervalRow = { from: '', until: '' };
const BLANK_DATED: DatedRow = { date: '', from: '', until: '' };

/** A weekday's name in the reader's language ("Monday"), or its short form ("Mon"). */
export function weekdayName(day: Weekday, say: Say = inEnglish, short = false): string {
  return say(short ? `admin.weekdayShort.${day}` : `admin.weekday.${day}`);
}

/** The label of a dated row as people see it, e.g. "Closed part 2:" or "Own hours 1:". */
const DATED_LABELS = { breaks: 'Closed part', dates: 'Own hours' } as const;

/** Cells of a row as typed (trimmed), '' when missing, so the API names a half-filled interval. */
function cell(row: Record<string, unknown>, key: string): string {
  return text(row[key]) ?? '';
}

const emptyWeek = (): Record<Weekday, IntervalRow[]> => Object.fromEntries(WEEKDAYS.map((day) => [day, [] as IntervalRow[]])) as Record<Weekday, IntervalRow[]>;

/**
 * Reads a posted calendar form. Rows left blank are dropped before the API sees them, so the
 * indexes of its error paths (`hours.mon[1]`) are those of the rows as shown again; break rows
 * are grouped by date as the API wants them, and each group's paths mapped back to its rows.
 */
export function readCalendarForm(body: unknown): CalendarForm {
  const form = asRecord(body);
  const targets = new Map<string, string | IntervalTarget>();
  const postedHours = asRecord(form.hours);
  const values: CalendarFormValues = {
    name: typeof form.name === 'string' ? form.name.trim() : '',
    timezone: typeof form.timezone === 'string' ? form.timezone.trim() : '',
    hours: emptyWeek(),
    holidays: typeof form.holidays === 'string' ? form.holidays.replace(/\r\n?/g, '\n') : '',
    holidayPreset: typeof form.holidayPreset === 'string' ? form.holidayPreset.trim() : '',
    breaks: [],
    dates: [],
  };
  const hours: Partial<Record<Weekday, TimeRange[]>> = {};
  for (const day of WEEKDAYS) {
    const typed = rows(postedHours[day]).map((row) => ({ from: cell(row, 'from'), until: cell(row, 'until') }));
    values.hours[day] = typed;
    if (typed.length > 0) hours[day] = typed.map((row) => [row.from, row.until] as const);
    targets.set(`hours.${day}`, `hours.${day}[0].from`);
    typed.forEach((_, index) => {
      targets.set(`hours.${day}[${index}]`, {
        from: `hours.${day}[${index}].from`,
        until: `hours.${day}[${index}].until`,
        label: `${WEEKDAY_NAMES[day]} ${index + 1}:`,
      });
    });
  }
  // "must open at least one interval in the week" has no control of its own: the first one.
  targets.set('hours', 'hours.mon[0].from');

  const holidays = lines(form.holidays);
  targets.set('holidays', 'holidays');
  holidays.forEach((_, index) => targets.set(`holidays[${index}]`, 'holidays'));

  values.breaks = datedRowsOf(form.breaks);
  const breaks = groupDatedRows('breaks', values.breaks, targets);
  values.dates = datedRowsOf(form.dates);
  const dates = groupDatedRows('dates', values.dates, targets);

  return {
    request: {
      name: values.name,
      timezone: values.timezone,
      hours,
      holidays,
      holidayPreset: values.holidayPreset === '' ? null : values.holidayPreset,
      breaks,
      dates,
    },
    values,
    targets,
  };
}

function datedRowsOf(posted: unknown): DatedRow[] {
  return rows(posted).map((row) => ({ date: cell(row, 'date'), from: cell(row, 'from'), until: cell(row, 'until') }));
}

/**
 * Rows of `breaks` or `dates` grouped by date as the API wants them, each group's error paths
 * (`dates.2026-12-26`, `dates.2026-12-26[1]`) mapped back to the rows they came from. A `dates`
 * row with a date and no times closes the date (`[]`): it adds no interval to its group.
 */
function groupDatedRows(field: keyof typeof DATED_LABELS, typed: DatedRow[], targets: CalendarForm['targets']): Record<string, TimeRange[]> {
  const groups: Record<string, TimeRange[]> = {};
  typed.forEach((row, index) => {
    const group = (groups[row.date] ??= []);
    if (!targets.has(`${field}.${row.date}`)) targets.set(`${field}.${row.date}`, `${field}[${index}].date`);
    if (field === 'dates' && row.from === '' && row.until === '') return;
    targets.set(`${field}.${row.date}[${group.length}]`, { from: `${field}[${index}].from`, until: `${field}[${index}].until`, label: `${DATED_LABELS[field]} ${index + 1}:` });
    group.push([row.from, row.until]);
  });
  targets.set(field, `${field}[0].date`);
  return groups;
}

/**
 * The calendar's own rules (times, overlaps, dates, presets), worded as CalendarsService words
 * them. The service checks them only once the DTO passes; a form refused for its name would
 * otherwise hide a wrong interval until the next post.
 */
export function definitionErrors(request: CalendarRequest): FieldErrors {
  const errors: FieldErrors = fieldErrors();
  for (const problem of findDefinitionProblems(request)) (errors[problem.path] ??= []).push(`${problem.path} ${problem.message}`);
  return errors;
}

/**
 * The API's errors moved onto the form's controls. An interval's problem names the interval
 * (`hours.mon[0] ends (08:00) before…`): it goes to its "from" when the start is at fault, to its
 * "until" otherwise, reworded with the label people see rather than the API path.
 */
export function calendarErrorsForForm(errors: FieldErrors | null, targets: CalendarForm['targets']): FieldErrors | null {
  if (!errors || Object.keys(errors).length === 0) return null;
  const shown: FieldErrors = fieldErrors();
  for (const [path, messages] of Object.entries(errors)) {
    const target = targets.get(path);
    for (const message of messages) {
      let field = path;
      let wording = message;
      if (typeof target === 'string') field = target;
      else if (target) {
        const rest = message.startsWith(`${path} `) ? message.slice(path.length + 1) : message;
        field = /^(start|overlaps)\b/.test(rest) ? target.from : target.until;
        wording = `${target.label} ${rest}`;
      }
      (shown[field] ??= []).push(wording);
    }
  }
  return shown;
}

/** A stored calendar as the form shows it. */
export function calendarFormValuesOf(calendar: Pick<CalendarView, 'name' | 'timezone' | 'hours' | 'holidays' | 'holidayPreset' | 'breaks' | 'dates'>): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS) hours[day] = (calendar.hours[day] ?? []).map(([from, until]) => ({ from, until }));
  return {
    name: calendar.name,
    timezone: calendar.timezone,
    hours,
    holidays: calendar.holidays.join('\n'),
    holidayPreset: calendar.holidayPreset ?? '',
    breaks: datedRowsFrom(calendar.breaks),
    dates: datedRowsFrom(calendar.dates),
  };
}

/** Stored `breaks` or `dates` as rows, by date; a closed date (`[]`) as one row without times. */
function datedRowsFrom(byDate: Readonly<Record<string, readonly TimeRange[]>>): DatedRow[] {
  return Object.entries(byDate)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([date, ranges]) => (ranges.length === 0 ? [{ date, from: '', until: '' }] : ranges.map(([from, until]) => ({ date, from, until }))));
}

/** A new calendar: weekdays 09:00–18:00 in the admin's own time zone, to adjust rather than type. */
export function newCalendarValues(timezone: string): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS.slice(0, 5)) hours[day] = [{ from: '09:00', until: '18:00' }];
  return { name: '', timezone, hours, holidays: '', holidayPreset: '', breaks: [], dates: [] };
}

/** At least two interval rows a day (a split day types without saving first), always one free. */
export function withBlankIntervals(values: CalendarFormValues): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS) {
    const filled = values.hours[day];
    const count = Math.max(2, filled.length + 1);
    hours[day] = [...filled, ...Array.from({ length: count - filled.length }, () => ({ ...BLANK_INTERVAL }))];
  }
  const withBlank = (typed: DatedRow[]) => [...typed, ...Array.from({ length: typed.length === 0 ? 2 : 1 }, () => ({ ...BLANK_DATED }))];
  return { ...values, hours, breaks: withBlank(values.breaks), dates: withBlank(values.dates) };
}

export interface DayRows {
  day: Weekday;
  name: string;
  rows: { from: { name: string; label: string }; until: { name: string; label: string } }[];
}

/** The form's controls for the week, named by the paths the API's errors use (plus `.from`/`.until`). */
export function weekRows(values: CalendarFormValues, say: Say = inEnglish): DayRows[] {
  return WEEKDAYS.map((day) => {
    const name = weekdayName(day, say);
    return {
      day,
      name,
      rows: values.hours[day].map((_, index) => ({
        from: { name: `hours.${day}[${index}].from`, label: say('admin.calendar.rowFrom', { row: name, number: index + 1 }) },
        until: { name: `hours.${day}[${index}].until`, label: say('admin.calendar.rowUntil', { row: name, number: index + 1 }) },
      })),
    };
  });
}

export interface DatedRowControls {
  date: { name: string; label: string };
  from: { name: string; label: string };
  until: { name: string; label: string };
}

/** The controls of `breaks` or `dates` rows, named by the form's paths (`dates[0].from`). */
export function datedRows(values: CalendarFormValues, field: keyof typeof DATED_LABELS, say: Say = inEnglish): DatedRowControls[] {
  const row = say(field === 'breaks' ? 'admin.calendar.closedPart' : 'admin.calendar.ownHours');
  return values[field].map((_, index) => ({
    date: { name: `${field}[${index}].date`, label: say('admin.calendar.rowDate', { row, number: index + 1 }) },
    from: { name: `${field}[${index}].from`, label: say('admin.calendar.rowFrom', { row, number: index + 1 }) },
    until: { name: `${field}[${index}].until`, label: say('admin.calendar.rowUntil', { row, number: index + 1 }) },
  }));
}

/**
 * What the page says of a preset's official production calendars, e.g. "RU is Russia's official
 * production calendar for 2024, 2025 and 2026 …"; null when the preset has none (or is unknown).
 */
export function officialYearsNote(preset: string | null | undefined, say: Say = inEnglish): string | null {
  const years = preset ? officialYears(preset) : [];
  if (years.length === 0) return null;
  const listed = years.length === 1 ? String(years[0]) : say('admin.calendar.yearsList', { first: years.slice(0, -1).join(', '), last: String(years[years.length - 1]) });
  return say('admin.calendar.officialYears', { years: listed, preset: preset as string });
}

/** "09:00–12:30, 13:30–18:00" per open day, for the list. */
export function hoursSummary(hours: Partial<Record<Weekday, readonly TimeRange[]>>, say: Say = inEnglish): { day: string; ranges: string }[] {
  return WEEKDAYS.filter((day) => (hours[day] ?? []).length > 0).map((day) => ({
    day: weekdayName(day, say, true),
    ranges: (hours[day] ?? []).map(([from, until]) => `${from}–${until}`).join(', '),
  }));
}
