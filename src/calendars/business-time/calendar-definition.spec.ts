import { findDefinitionProblems, isIanaTimeZone, isIsoDate, parseTimeOfDay } from './calendar-definition.js';

const valid = {
  timezone: 'Europe/Paris',
  hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], tue: [['09:00', '18:00']], sat: [['00:00', '24:00']] },
  holidays: ['2026-12-25'],
  holidayPreset: 'FR',
  breaks: { '2026-12-24': [['14:00', '18:00']] },
};

function problemsOf(change: Record<string, unknown>) {
  return findDefinitionProblems({ ...valid, ...change });
}

describe('calendar definitions', () => {
  it('accepts the documented example', () => {
    expect(findDefinitionProblems(valid)).toEqual([]);
  });

  it('accepts intervals written out of order', () => {
    expect(problemsOf({ hours: { mon: [['13:30', '18:00'], ['09:00', '12:30']] } })).toEqual([]);
  });

  it.each([
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone', /IANA time zone/],
    ['an offset instead of a zone', { timezone: '+01:00' }, 'timezone', /IANA time zone/],
    ['a missing zone', { timezone: undefined }, 'timezone', /IANA time zone/],
    ['an hour past 23', { hours: { mon: [['25:00', '26:00']] } }, 'hours.mon[0]', /"25:00" is not a time of day/],
    ['24:00 as a start', { hours: { mon: [['24:00', '24:00']] } }, 'hours.mon[0]', /start "24:00"/],
    ['a reversed interval', { hours: { mon: [['18:00', '09:00']] } }, 'hours.mon[0]', /before or when it starts/],
    ['an empty interval', { hours: { mon: [['09:00', '09:00']] } }, 'hours.mon[0]', /before or when it starts/],
    [
      'overlapping intervals',
      { hours: { mon: [['09:00', '13:00'], ['12:00', '18:00']] } },
      'hours.mon[1]',
      /overlaps hours.mon\[0\]/,
    ],
    ['a single time instead of a pair', { hours: { mon: [['09:00']] } }, 'hours.mon[0]', /pair/],
    ['a day that is not a list', { hours: { mon: '09:00-18:00' } }, 'hours.mon', /list/],
    ['an unknown weekday', { hours: { funday: [['09:00', '18:00']] } }, 'hours.funday', /not a weekday/],
    ['no working time at all', { hours: {} }, 'hours', /at least one interval/],
    ['hours as a list', { hours: [] }, 'hours', /object keyed by weekday/],
    ['an impossible holiday', { holidays: ['2026-02-30'] }, 'holidays[0]', /not a date/],
    ['a holiday in another format', { holidays: ['25/12/2026'] }, 'holidays[0]', /not a date/],
    ['holidays not as a list', { holidays: '2026-12-25' }, 'holidays', /list of dates/],
    ['an unknown preset', { holidayPreset: 'XX' }, 'holidayPreset', /not a known country/],
    ['an unknown region', { holidayPreset: 'US-XX' }, 'holidayPreset', /not a known country/],
    ['a preset in lower case', { holidayPreset: 'fr' }, 'holidayPreset', /not a known country/],
    ['a break on an impossible date', { breaks: { '2026-13-01': [['09:00', '10:00']] } }, 'breaks.2026-13-01', /not a date/],
    ['a reversed break', { breaks: { '2026-12-24': [['18:00', '14:00']] } }, 'breaks.2026-12-24[0]', /before/],
    ['dated hours on an impossible date', { dates: { '2026-02-30': [['09:00', '12:00']] } }, 'dates.2026-02-30', /not a date/],
    ['dated hours not keyed by date', { dates: [['09:00', '12:00']] }, 'dates', /object keyed by date/],
    ['dated hours that are not a list', { dates: { '2026-12-26': '10:00-14:00' } }, 'dates.2026-12-26', /list/],
    ['a dated interval past 23', { dates: { '2026-12-26': [['10:00', '25:00']] } }, 'dates.2026-12-26[0]', /"25:00" is not a time/],
    ['a reversed dated interval', { dates: { '2026-12-26': [['14:00', '10:00']] } }, 'dates.2026-12-26[0]', /before/],
    [
      'overlapping dated intervals',
      { dates: { '2026-12-26': [['10:00', '14:00'], ['13:00', '15:00']] } },
      'dates.2026-12-26[1]',
      /overlaps dates.2026-12-26\[0\]/,
    ],
    [
      'a date both in holidays and in dates',
      { holidays: ['2026-12-25'], dates: { '2026-12-25': [] } },
      'dates.2026-12-25',
      /is also in holidays: keep it in holidays .* or in dates/,
    ],
  ])('reports %s at its path', (_case, change, path, message) => {
    const problems = problemsOf(change);
    expect(problems.map((p) => p.path)).toContain(path);
    expect(problems.find((p) => p.path === path)?.message).toMatch(message);
  });

  it('accepts dated hours, closed dates and 24:00 as an end', () => {
    expect(
      problemsOf({
        dates: { '2026-12-26': [['10:00', '14:00']], '2026-12-29': [], '2026-12-31': [['18:00', '24:00'], ['09:00', '12:00']] },
      }),
    ).toEqual([]);
    expect(problemsOf({ dates: null })).toEqual([]);
  });

  it('accepts region presets', () => {
    expect(problemsOf({ holidayPreset: 'US-NY' })).toEqual([]);
    expect(problemsOf({ holidayPreset: 'AU-NSW' })).toEqual([]);
  });

  it('refuses a definition that is not an object', () => {
    expect(findDefinitionProblems(null)).toEqual([{ path: '', message: 'a calendar must be an object' }]);
  });
});

describe('definition helpers', () => {
  it('parses times of day', () => {
    expect(parseTimeOfDay('09:30', false)).toBe(570);
    expect(parseTimeOfDay('24:00', true)).toBe(1440);
    expect(parseTimeOfDay('24:00', false)).toBeUndefined();
    expect(parseTimeOfDay('9:30', false)).toBeUndefined();
    expect(parseTimeOfDay('12:60', false)).toBeUndefined();
  });

  it('knows dates and zones', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIanaTimeZone('America/New_York')).toBe(true);
    expect(isIanaTimeZone('Nowhere/Else')).toBe(false);
  });
});
