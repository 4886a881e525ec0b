import type { CalendarView } from '../../calendars/calendars.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { Page } from '../../common/pagination.js';
import type { DepartmentView } from '../../org/departments.dto.js';
import { formProblemOf } from './admin-forms.js';
import { datedRows, hoursSummary, officialYearsNote, weekRows, withBlankIntervals, type CalendarFormValues } from './calendar-form.js';
import { inEnglish, type Say } from '../say.js';
import { workdayOptions } from './calendar-upload.js';

/**
 * What the calendar pages show: the list with each calendar's hours and the departments on it,
 * and the form (the week, closed parts of dates, dated hours, the yearly upload) with the due-time
 * preview of a saved calendar. The form's fields are read and named in calendar-form.ts.
 */

/** When a lead arriving at `from` would be due after one working hour; `problem` when none could be found. */
export interface DuePreview {
  from: string;
  due: string | null;
  problem: string | null;
}

export function presentCalendarList(input: { page: Pick<Page<CalendarView>, 'items' | 'total'>; departments: Pick<DepartmentView, 'name' | 'calendarId'>[]; say?: Say }) {
  const { page, departments } = input;
  const say = input.say ?? inEnglish;
  return {
    total: page.total,
    calendars: page.items.map((calendar) => ({
      id: calendar.id,
      name: calendar.name,
      timezone: calendar.timezone,
      hours: hoursSummary(calendar.hours, say),
      holidays: calendar.holidays.length,
      holidayPreset: calendar.holidayPreset,
      usedBy: departments.filter((department) => department.calendarId === calendar.id).map((department) => department.name).join(', '),
    })),
  };
}

export function calendarTitle(calendar: Pick<CalendarView, 'name'> | null, say: Say = inEnglish): string {
  return calendar ? say('admin.calendar.title', { name: calendar.name }) : say('admin.calendar.new');
}

/** The form, with blank rows to type into and every refusal beside its field; the upload's file errors under the file. */
export function presentCalendarForm(input: {
  calendar: CalendarView | null;
  values: CalendarFormValues;
  errors: FieldErrors | null;
  /** The upload form as last posted (the weekday a working weekend date takes its hours from). */
  upload: { workdayAs: string };
  /** Null for a new calendar: nothing is saved to preview. */
  preview: DuePreview | null;
  zone: string;
  say?: Say;
}) {
  const { calendar, values, errors } = input;
  const say = input.say ?? inEnglish;
  const shown = withBlankIntervals(values);
  return {
    calendar: calendar ? { id: calendar.id, name: calendar.name, timezone: calendar.timezone, version: calendar.version } : null,
    action: calendar ? `/admin/calendars/${calendar.id}` : '/admin/calendars',
    values: shown,
    errors,
    formProblem: formProblemOf(errors),
    days: weekRows(shown, say),
    breaks: datedRows(shown, 'breaks', say),
    dates: datedRows(shown, 'dates', say),
    officialYears: officialYearsNote(values.holidayPreset, say),
    upload: input.upload,
    workdayOptions: workdayOptions(say),
    fileErrors: errors?.file ?? null,
    preview: input.preview,
    zone: input.zone,
  };
}
