import { findDefinitionProblems, WEEKDAYS, type TimeRange, type Weekday } from '../../calendars/business-time/index.js';
import type { CalendarView } from '../../calendars/calendars.dto.js';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { asRecord, lines, rows, text } from '../forms.js';

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

export interface BreakRow extends IntervalRow {
  date: string;
}

/** The calendar form as shown: one row per interval, holidays one per line. */
export interface CalendarFormValues {
  name: string;
  timezone: string;
  hours: Record<Weekday, IntervalRow[]>;
  holidays: string;
  holidayPreset: string;
  breaks: BreakRow[];
}

/** What the API's CreateCalendarDto / UpdateCalendarDto receives. */
export interface CalendarRequest {
  name: string;
  timezone: string;
  hours: Partial<Record<Weekday, TimeRange[]>>;
  holidays: string[];
  holidayPreset: string | null;
  breaks: Record<string, TimeRange[]>;
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
const BLANK_BREAK: BreakRow = { date: '', from: '', until: '' };

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

  const breaks: Record<string, TimeRange[]> = {};
  values.breaks = rows(form.breaks).map((row) => ({ date: cell(row, 'date'), from: cell(row, 'from'), until: cell(row, 'until') }));
  values.breaks.forEach((row, index) => {
    const group = (breaks[row.date] ??= []);
    if (!targets.has(`breaks.${row.date}`)) targets.set(`breaks.${row.date}`, `breaks[${index}].date`);
    targets.set(`breaks.${row.date}[${group.length}]`, { from: `breaks[${index}].from`, until: `breaks[${index}].until`, label: `Closed part ${index + 1}:` });
    group.push([row.from, row.until]);
  });
  targets.set('breaks', 'breaks[0].date');

  return {
    request: {
      name: values.name,
      timezone: values.timezone,
      hours,
      holidays,
      holidayPreset: values.holidayPreset === '' ? null : values.holidayPreset,
      breaks,
    },
    values,
    targets,
  };
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
export function calendarFormValuesOf(calendar: Pick<CalendarView, 'name' | 'timezone' | 'hours' | 'holidays' | 'holidayPreset' | 'breaks'>): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS) hours[day] = (calendar.hours[day] ?? []).map(([from, until]) => ({ from, until }));
  return {
    name: calendar.name,
    timezone: calendar.timezone,
    hours,
    holidays: calendar.holidays.join('\n'),
    holidayPreset: calendar.holidayPreset ?? '',
    breaks: Object.entries(calendar.breaks)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([date, ranges]) => ranges.map(([from, until]) => ({ date, from, until }))),
  };
}

/** A new calendar: weekdays 09:00–18:00 in the admin's own time zone, to adjust rather than type. */
export function newCalendarValues(timezone: string): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS.slice(0, 5)) hours[day] = [{ from: '09:00', until: '18:00' }];
  return { name: '', timezone, hours, holidays: '', holidayPreset: '', breaks: [] };
}

/** At least two interval rows a day (a split day types without saving first), always one free. */
export function withBlankIntervals(values: CalendarFormValues): CalendarFormValues {
  const hours = emptyWeek();
  for (const day of WEEKDAYS) {
    const filled = values.hours[day];
    const count = Math.max(2, filled.length + 1);
    hours[day] = [...filled, ...Array.from({ length: count - filled.length }, () => ({ ...BLANK_INTERVAL }))];
  }
  const breaks = [...values.breaks, ...Array.from({ length: values.breaks.length === 0 ? 2 : 1 }, () => ({ ...BLANK_BREAK }))];
  return { ...values, hours, breaks };
}

export interface DayRows {
  day: Weekday;
  name: string;
  rows: { from: { name: string; label: string }; until: { name: string; label: string } }[];
}

/** The form's controls for the week, named by the paths the API's errors use (plus `.from`/`.until`). */
export function weekRows(values: CalendarFormValues): DayRows[] {
  return WEEKDAYS.map((day) => ({
    day,
    name: WEEKDAY_NAMES[day],
    rows: values.hours[day].map((_, index) => ({
      from: { name: `hours.${day}[${index}].from`, label: `${WEEKDAY_NAMES[day]} ${index + 1}: from` },
      until: { name: `hours.${day}[${index}].until`, label: `${WEEKDAY_NAMES[day]} ${index + 1}: until` },
    })),
  }));
}

export function breakRows(values: CalendarFormValues): { date: { name: string; label: string }; from: { name: string; label: string }; until: { name: string; label: string } }[] {
  return values.breaks.map((_, index) => ({
    date: { name: `breaks[${index}].date`, label: `Closed part ${index + 1}: date` },
    from: { name: `breaks[${index}].from`, label: `Closed part ${index + 1}: from` },
    until: { name: `breaks[${index}].until`, label: `Closed part ${index + 1}: until` },
  }));
}

/** "09:00–12:30, 13:30–18:00" per open day, for the list. */
export function hoursSummary(hours: Partial<Record<Weekday, readonly TimeRange[]>>): { day: string; ranges: string }[] {
  return WEEKDAYS.filter((day) => (hours[day] ?? []).length > 0).map((day) => ({
    day: WEEKDAY_NAMES[day].slice(0, 3),
    ranges: (hours[day] ?? []).map(([from, until]) => `${from}–${until}`).join(', '),
  }));
}
