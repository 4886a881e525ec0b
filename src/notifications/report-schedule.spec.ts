import { lastOccurrence, parseReportSchedule, previousOccurrence, ScheduleError } from './report-schedule.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('report schedules', () => {
  it.each([
    ['every Monday 08:00', { weekdays: [1], dayOfMonth: null, hour: 8, minute: 0 }],
    ['every monday at 8:00', { weekdays: [1], dayOfMonth: null, hour: 8, minute: 0 }],
    ['every Mondays and Thursday 07:30', { weekdays: [1, 4], dayOfMonth: null, hour: 7, minute: 30 }],
    ['every Mon, Wed, Fri 17:45', { weekdays: [1, 3, 5], dayOfMonth: null, hour: 17, minute: 45 }],
    ['every weekday 09:00', { weekdays: [1, 2, 3, 4, 5], dayOfMonth: null, hour: 9, minute: 0 }],
    ['every day 18:00', { weekdays: [1, 2, 3, 4, 5, 6, 7], dayOfMonth: null, hour: 18, minute: 0 }],
    ['every month on day 1 09:00', { weekdays: null, dayOfMonth: 1, hour: 9, minute: 0 }],
  ])('reads "%s"', (text, expected) => expect(parseReportSchedule(text)).toEqual(expected));

  it.each(['weekly', 'every Funday 08:00', 'every Monday 25:00', 'every month on day 31 09:00', 'every Monday'])('refuses "%s"', (text) => {
    expect(() => parseReportSchedule(text)).toThrow(ScheduleError);
  });

  it('keeps 08:00 on the wall clock across the autumn change in Paris', () => {
    const monday = parseReportSchedule('every Monday 08:00');
    // Monday 26 October 2026 is the first Monday after clocks fell back on Sunday the 25th.
    const after = lastOccurrence(monday, Date.parse('2026-10-26T12:00:00Z'), 'Europe/Paris');
    expect(iso(after)).toBe('2026-10-26T07:00:00.000Z');
    expect(iso(previousOccurrence(monday, after, 'Europe/Paris'))).toBe('2026-10-19T06:00:00.000Z');
    expect(iso(lastOccurrence(monday, Date.parse('2026-10-26T06:59:59Z'), 'Europe/Paris'))).toBe('2026-10-19T06:00:00.000Z');
  });

  it('finds monthly occurrences in the person\'s zone', () => {
    const first = parseReportSchedule('every month on day 1 09:00');
    expect(iso(lastOccurrence(first, Date.parse('2026-11-15T00:00:00Z'), 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
    expect(iso(previousOccurrence(first, Date.parse('2026-11-01T14:00:00Z'), 'America/New_York'))).toBe('2026-10-01T13:00:00.000Z');
  });
});
