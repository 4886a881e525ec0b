import {
  calendarErrorsForForm,
  calendarFormValuesOf,
  datedRows,
  definitionErrors,
  hoursSummary,
  newCalendarValues,
  officialYearsNote,
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
      dates: {},
    });
    expect(form.values.hours.mon).toEqual([{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }]);
    expect(form.values.holidays).toBe('2026-12-25\n\n 2027-01-01 ');
    expect(form.values.breaks).toHaveLength(2);
  });

  it('keeps a half-filled interval for the API to name, and reads a missing or malformed body as empty', () => {
    expect(readCalendarForm({ hours: { wed: [{ from: '09:00' }] } }).request.hours).toEqual({ wed: [['09:00', '']] });
    expect(readCalendarForm(null).request).toEqual({ name: '', timezone: '', hours: {}, holidays: [], holidayPreset: null, breaks: {}, dates: {} });
    expect(readCalendarForm({ hours: 'all day', breaks: 'none', dates: 'none', name: ['x'] }).request).toMatchObject({ name: '', hours: {}, breaks: {}, dates: {} });
  });

  it('groups dated hours by date; a date without times is closed, half-filled times go to the API to name', () => {
    const form = readCalendarForm({
      dates: [
        { date: '2026-12-26', from: '10:00', until: '14:00' },
        { date: '2026-12-29', from: '', until: '' },
        { date: '', from: '', until: '' },
        { date: '2026-12-26', from: '15:00', until: '16:00' },
        { date: '2026-12-30', from: '09:00', until: '' },
      ],
    });
    expect(form.request.dates).toEqual({
      '2026-12-26': [['10:00', '14:00'], ['15:00', '16:00']],
      '2026-12-29': [],
      '2026-12-30': [['09:00', '']],
    });
    expect(form.values.dates).toHaveLength(4);
    expect(
      calendarErrorsForForm(
        {
          'dates.2026-12-26[1]': ['dates.2026-12-26[1] overlaps dates.2026-12-26[0]'],
          'dates.2026-12-29': ['dates.2026-12-29 is also in holidays: keep it in holidays …'],
          'dates.2026-12-30[0]': ['dates.2026-12-30[0] end "" is not a time of day (00:01–24:00)'],
          dates: ['dates must be an object keyed by date (YYYY-MM-DD)'],
        },
        form.targets,
      ),
    ).toEqual({
      'dates[2].from': ['Own hours 3: overlaps dates.2026-12-26[0]'],
      'dates[1].date': ['dates.2026-12-29 is also in holidays: keep it in holidays …'],
      'dates[3].until': ['Own hours 4: end "" is not a time of day (00:01–24:00)'],
      'dates[0].date': ['dates must be an object keyed by date (YYYY-MM-DD)'],
    });
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
    dates: { '2026-12-29': [] as const, '2026-12-26': [['10:00', '12:00'], ['13:00', '14:00']] as const },
  };

  it('reads a stored calendar back into rows, breaks by date', () => {
    const values = calendarFormValuesOf(stored as never);
    expect(values.hours.mon).toEqual([{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }]);
    expect(values.hours.sat).toEqual([]);
    expect(values.breaks.map((row) => row.date)).toEqual(['2026-12-24', '2026-12-31']);
    expect(values.holidayPreset).toBe('FR');
    expect(values.dates).toEqual([
      { date: '2026-12-26', from: '10:00', until: '12:00' },
      { date: '2026-12-26', from: '13:00', until: '14:00' },
      { date: '2026-12-29', from: '', until: '' },
    ]);
  });

  it('reads back into the same dated hours it was shown from', () => {
    const values = withBlankIntervals(calendarFormValuesOf(stored as never));
    expect(readCalendarForm(values).request.dates).toEqual(stored.dates);
  });

  it('adds blank rows: at least two a day, always one free; breaks too', () => {
    const shown = withBlankIntervals(calendarFormValuesOf(stored as never));
    expect(shown.hours.mon).toHaveLength(3);
    expect(shown.hours.fri).toHaveLength(2);
    expect(shown.hours.sun).toHaveLength(2);
    expect(shown.breaks).toHaveLength(3);
    expect(shown.dates).toHaveLength(4);
    expect(withBlankIntervals(newCalendarValues('UTC')).breaks).toHaveLength(2);
    expect(withBlankIntervals(newCalendarValues('UTC')).dates).toHaveLength(2);
  });

  it('names the dated rows by their paths and labels them', () => {
    expect(datedRows(withBlankIntervals(newCalendarValues('UTC')), 'dates')[1]).toEqual({
      date: { name: 'dates[1].date', label: 'Own hours 2: date' },
      from: { name: 'dates[1].from', label: 'Own hours 2: from' },
      until: { name: 'dates[1].until', label: 'Own hours 2: until' },
    });
    expect(datedRows(withBlankIntervals(newCalendarValues('UTC')), 'breaks')[0].date).toEqual({ name: 'breaks[0].date', label: 'Closed part 1: date' });
  });

  it("says for which years a preset is an official production calendar, and nothing for other presets", () => {
    expect(officialYearsNote('RU')).toMatch(/^For 2024, 2025 and 2026, RU is the official production calendar/);
    expect(officialYearsNote('FR')).toBeNull();
    expect(officialYearsNote('')).toBeNull();
    expect(officialYearsNote('Atlantis')).toBeNull();
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
