import type { CalendarView } from '../../calendars/calendars.dto.js';
import { calendarFormValuesOf, newCalendarValues } from './calendar-form.js';
import { calendarTitle, presentCalendarForm, presentCalendarList } from './calendar.view.js';

function calendar(extra: Partial<CalendarView> = {}): CalendarView {
  return {
    id: 'c-paris',
    name: 'Paris office',
    timezone: 'Europe/Paris',
    hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], fri: [['09:00', '17:00']] },
    holidays: ['2026-12-25', '2027-01-01'],
    holidayPreset: 'FR',
    breaks: {},
    dates: {},
    officialYears: [],
    version: 3,
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

describe('the calendar list', () => {
  it("sums up each calendar's hours and holidays, and names the departments on it", () => {
    const view = presentCalendarList({
      page: { items: [calendar(), calendar({ id: 'c-ny', name: 'New York office', hours: {}, holidays: [], holidayPreset: null })], total: 2 },
      departments: [
        { name: 'Marketing', calendarId: 'c-paris' },
        { name: 'Legal', calendarId: null },
        { name: 'Sales', calendarId: 'c-paris' },
      ],
    });
    expect(view.total).toBe(2);
    expect(view.calendars[0]).toEqual({
      id: 'c-paris',
      name: 'Paris office',
      timezone: 'Europe/Paris',
      hours: [
        { day: 'Mon', ranges: '09:00–12:30, 13:30–18:00' },
        { day: 'Fri', ranges: '09:00–17:00' },
      ],
      holidays: 2,
      holidayPreset: 'FR',
      usedBy: 'Marketing, Sales',
    });
    expect(view.calendars[1]).toMatchObject({ hours: [], holidays: 0, holidayPreset: null, usedBy: '' });
  });
});

describe('the calendar form', () => {
  const preview = { from: '2026-11-09T08:00:00.000Z', due: '2026-11-09T10:00:00.000Z', problem: null };

  it('offers a new calendar with office hours in the reader’s zone and nothing to preview', () => {
    const view = presentCalendarForm({ calendar: null, values: newCalendarValues('Europe/Moscow'), errors: null, upload: { workdayAs: 'mon' }, preview: null, zone: 'Europe/Moscow' });
    expect(calendarTitle(null)).toBe('New calendar');
    expect(view).toMatchObject({ calendar: null, action: '/admin/calendars', preview: null, formProblem: null, fileErrors: null, officialYears: null, upload: { workdayAs: 'mon' } });
    expect(view.values.timezone).toBe('Europe/Moscow');
    expect(view.days.map((day) => [day.name, day.rows.length])).toEqual([
      ['Monday', 2],
      ['Tuesday', 2],
      ['Wednesday', 2],
      ['Thursday', 2],
      ['Friday', 2],
      ['Saturday', 2],
      ['Sunday', 2],
    ]);
    expect(view.breaks.map((row) => row.date.label)).toEqual(['Closed part 1: date', 'Closed part 2: date']);
    expect(view.dates.map((row) => row.from.name)).toEqual(['dates[0].from', 'dates[1].from']);
    expect(view.workdayOptions[0]).toEqual({ value: 'mon', label: 'Monday' });
  });

  it('edits a saved calendar with a blank row after those typed, its preview and its official years', () => {
    const saved = calendar({ holidayPreset: 'RU' });
    const view = presentCalendarForm({ calendar: saved, values: calendarFormValuesOf(saved), errors: null, upload: { workdayAs: 'sat' }, preview, zone: 'Europe/Paris' });
    expect(calendarTitle(saved)).toBe('Calendar “Paris office”');
    expect(view.calendar).toEqual({ id: 'c-paris', name: 'Paris office', timezone: 'Europe/Paris', version: 3 });
    expect(view.action).toBe('/admin/calendars/c-paris');
    expect(view.values.hours.mon).toEqual([{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }, { from: '', until: '' }]);
    expect(view.days[0].rows[2].until).toEqual({ name: 'hours.mon[2].until', label: 'Monday 3: until' });
    expect(view.officialYears).toMatch(/^For .*RU is the official production calendar shipped with Concord/);
    expect(view.preview).toBe(preview);
    expect(view.upload).toEqual({ workdayAs: 'sat' });
  });

  it("shows a refused upload's file errors under the file, and a refusal of no field at the top", () => {
    const view = presentCalendarForm({
      calendar: calendar(),
      values: calendarFormValuesOf(calendar()),
      errors: { file: ['not an xmlcalendar file', 'line 3'], form: ['in use by Sales'] },
      upload: { workdayAs: 'mon' },
      preview,
      zone: 'Europe/Paris',
    });
    expect(view.fileErrors).toEqual(['not an xmlcalendar file', 'line 3']);
    expect(view.formProblem).toEqual(['in use by Sales']);
  });
});
