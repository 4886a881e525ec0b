import {
  calendarErrorsForForm,
  calendarFormValuesOf,
  definitionErrors,
  hoursSummary,
  newCalendarValues,
  readCalendarForm,
  weekRows,
  withBlankIntervals,
} from './calendar-form.js';

describe('readCalendarForm', () => {
  it('turns rows into the API shape, dropping blank rows and closed days', () => {
    const form = readCalendarForm({
      name: ' Paris office ',
      timezone: 'Europe/Paris',
      hours: {
        mon: [{ from: '09:00', until: '12:30' }, { from: '', until: '' }, { from: ' 13:30 ', until: '18:00' }],
        tue: [{ from: '', until: '' }],
      },
      holidays: '2026-12-25\r\n\r\n 2027-01-01 ',
      holidayPreset: '',
      breaks: [{ date: '2026-12-24', from: '14:00', until: '18:00' }, { date: '', from: '', until: '' }, { date: '2026-12-24', from: '09:00', until: '10:00' }],
    });
    expect(form.request).toEqual({
      name: 'Paris office',
      timezone: 'Europe/Paris',
      hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']] },
      holidays: ['2026-12-25', '2027-01-01'],
      holidayPreset: null,
      breaks: { '2026-12-24': [['14:00', '18:00'], ['09:00', '10:00']] },
    });
    expect(form.values.hours.mon).toEqual([{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }]);
    expect(form.values.holidays).toBe('2026-12-25\n\n 2027-01-01 ');
    expect(form.values.breaks).toHaveLength(2);
  });

  it('keeps a half-filled interval for the API to name, and reads a missing or malformed body as empty', () => {
    expect(readCalendarForm({ hours: { wed: [{ from: '09:00' }] } }).request.hours).toEqual({ wed: [['09:00', '']] });
    expect(readCalendarForm(null).request).toEqual({ name: '', timezone: '', hours: {}, holidays: [], holidayPreset: null, breaks: {} });
    expect(readCalendarForm({ hours: 'all day', breaks: 'none', name: ['x'] }).request).toMatchObject({ name: '', hours: {}, breaks: {} });
  });
});

describe('calendarErrorsForForm', () => {
  const form = readCalendarForm({
    hours: { mon: [{ from: '09:00', until: '08:00' }, { from: '07:00', until: '10:00' }] },
    holidays: '2026-12-25\nsoon',
    breaks: [{ date: '2026-12-24', from: '14:00', until: '18:00' }, { date: '2026-12-31', from: 'x', until: '18:00' }, { date: '2026-12-24', from: '15:00', until: '16:00' }],
  });

  it('puts an interval problem at its "from" when the start is at fault, at its "until" otherwise, in the words people see', () => {
    expect(
      calendarErrorsForForm(
        {
          'hours.mon[0]': ['hours.mon[0] ends (08:00) before or when it starts (09:00)'],
          'hours.mon[1]': ['hours.mon[1] start "x" is not a time of day (00:00–23:59)', 'hours.mon[1] overlaps hours.mon[0]'],
        },
        form.targets,
      ),
    ).toEqual({
      'hours.mon[0].until': ['Monday 1: ends (08:00) before or when it starts (09:00)'],
      'hours.mon[1].from': ['Monday 2: start "x" is not a time of day (00:00–23:59)', 'Monday 2: overlaps hours.mon[0]'],
    });
  });

  it('maps break groups back to their rows, holidays to the textarea, whole-week problems to the first control', () => {
    expect(
      calendarErrorsForForm(
        {
          'breaks.2026-12-31[0]': ['breaks.2026-12-31[0] start "x" is not a time of day'],
          'breaks.2026-12-24[1]': ['breaks.2026-12-24[1] overlaps breaks.2026-12-24[0]'],
          'holidays[1]': ['holidays[1] "soon" is not a date (YYYY-MM-DD)'],
          hours: ['hours must open at least one interval in the week'],
          name: ['name must be longer than or equal to 1 characters'],
          form: ['conflict'],
        },
        form.targets,
      ),
    ).toEqual({
      'breaks[1].from': ['Closed part 2: start "x" is not a time of day'],
      'breaks[2].from': ['Closed part 3: overlaps breaks.2026-12-24[0]'],
      holidays: ['holidays[1] "soon" is not a date (YYYY-MM-DD)'],
      'hours.mon[0].from': ['hours must open at least one interval in the week'],
      name: ['name must be longer than or equal to 1 characters'],
      form: ['conflict'],
    });
  });

  it('is null when there is nothing to show', () => {
    expect(calendarErrorsForForm(null, form.targets)).toBeNull();
    expect(calendarErrorsForForm({}, form.targets)).toBeNull();
  });
});

describe('definitionErrors', () => {
  it('words the calendar rules as the service does, and is empty for a valid calendar', () => {
    const request = readCalendarForm({ timezone: 'Europe/Paris', hours: { mon: [{ from: '10:00', until: '09:00' }] } }).request;
    expect(definitionErrors(request)).toEqual({ 'hours.mon[0]': ['hours.mon[0] ends (09:00) before or when it starts (10:00)'] });
    expect(definitionErrors(readCalendarForm({ timezone: 'Europe/Paris', hours: { mon: [{ from: '09:00', until: '18:00' }] } }).request)).toEqual({});
  });
});

describe('the form as shown', () => {
  const stored = {
    name: 'Paris',
    timezone: 'Europe/Paris',
    hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']] as const, fri: [['09:00', '17:00']] as const },
    holidays: ['2026-12-25'],
    holidayPreset: 'FR',
    breaks: { '2026-12-31': [['14:00', '18:00']] as const, '2026-12-24': [['14:00', '18:00']] as const },
  };

  it('reads a stored calendar back into rows, breaks by date', () => {
    const values = calendarFormValuesOf(stored as never);
    expect(values.hours.mon).toEqual([{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }]);
    expect(values.hours.sat).toEqual([]);
    expect(values.breaks.map((row) => row.date)).toEqual(['2026-12-24', '2026-12-31']);
    expect(values.holidayPreset).toBe('FR');
  });

  it('adds blank rows: at least two a day, always one free; breaks too', () => {
    const shown = withBlankIntervals(calendarFormValuesOf(stored as never));
    expect(shown.hours.mon).toHaveLength(3);
    expect(shown.hours.fri).toHaveLength(2);
    expect(shown.hours.sun).toHaveLength(2);
    expect(shown.breaks).toHaveLength(3);
    expect(withBlankIntervals(newCalendarValues('UTC')).breaks).toHaveLength(2);
  });

  it('names the controls by the API paths and labels them by day', () => {
    const days = weekRows(withBlankIntervals(newCalendarValues('UTC')));
    expect(days[0].rows[1]).toEqual({
      from: { name: 'hours.mon[1].from', label: 'Monday 2: from' },
      until: { name: 'hours.mon[1].until', label: 'Monday 2: until' },
    });
    expect(days.map((day) => day.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  });

  it('summarises open days for the list', () => {
    expect(hoursSummary(stored.hours)).toEqual([
      { day: 'Mon', ranges: '09:00–12:30, 13:30–18:00' },
      { day: 'Fri', ranges: '09:00–17:00' },
    ]);
  });
});
