import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { parseBusinessDuration } from './business-duration.js';
import type { CalendarDefinition, TimeRange } from './calendar-definition.js';

/** An instant written as local time in a zone, e.g. at('Europe/Paris', '2026-11-02T09:15'). */
function at(zone: string, local: string): Date {
  const parsed = DateTime.fromISO(local, { zone });
  if (!parsed.isValid) throw new Error(`bad test instant ${local}`);
  return parsed.toJSDate();
}

function show(zone: string, instant: Date): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

function due(calendar: BusinessCalendar, from: Date, iso: string): string {
  return show(calendar.timezone, calendar.dueAt(from, parseBusinessDuration(iso)));
}

function weekdays(ranges: TimeRange[]): CalendarDefinition['hours'] {
  return { mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges };
}

const PARIS = 'Europe/Paris';

describe('BusinessCalendar with dated hours', () => {
  // Paris, Mon–Fri 09:00–18:00; Christmas off; year-end: Saturday 26 December open 10:00–14:00,
  // Tuesday 29 closed, Wednesday 30 a short day until 16:00, Thursday 31 open 09:00–12:00 despite
  // a break that dated hours override; Monday 28 only opens at 12:00 (a break).
  const yearEnd = BusinessCalendar.compile({
    timezone: PARIS,
    hours: weekdays([['09:00', '18:00']]),
    holidays: ['2026-12-25'],
    breaks: { '2026-12-28': [['09:00', '12:00']], '2026-12-31': [['10:00', '11:00']] },
    dates: {
      '2026-12-26': [['10:00', '14:00']],
      '2026-12-29': [],
      '2026-12-30': [['09:00', '16:00']],
      '2026-12-31': [['09:00', '12:00']],
    },
  });

  it.each([
    ['into a working Saturday', '2026-12-24T17:00', 'PT2H', '2026-12-26T11:00:00+01:00'],
    ['from a working Saturday over Sunday into a break', '2026-12-26T13:00', 'PT2H', '2026-12-28T13:00:00+01:00'],
    ['over a closed weekday', '2026-12-28T17:00', 'PT2H', '2026-12-30T10:00:00+01:00'],
    ['over a short day ending at 16:00', '2026-12-30T15:00', 'PT2H', '2026-12-31T10:00:00+01:00'],
    ['landing on the short day\'s closing', '2026-12-30T15:00', 'PT1H', '2026-12-30T16:00:00+01:00'],
    ['from after the short day\'s closing', '2026-12-30T16:30', 'PT1H', '2026-12-31T10:00:00+01:00'],
    // With the break, 31 December would hold only 1 h 30 min after 09:30.
    ['within dated hours that ignore a break', '2026-12-31T09:30', 'PT2H', '2026-12-31T11:30:00+01:00'],
    ['one business day into a working Saturday', '2026-12-24T10:00', 'P1D', '2026-12-26T11:00:00+01:00'],
    ['one business day from a short day into a shorter one', '2026-12-30T15:30', 'P1D', '2026-12-31T12:00:00+01:00'],
  ])('adds working time %s', (_case, from, duration, expected) => {
    expect(due(yearEnd, at(PARIS, from), duration)).toBe(expected);
  });

  it('is open on the working Saturday and closed on the closed weekday and after the short day', () => {
    expect(yearEnd.isOpen(at(PARIS, '2026-12-26T10:00'))).toBe(true);
    expect(yearEnd.isOpen(at(PARIS, '2026-12-26T14:00'))).toBe(false);
    expect(yearEnd.isOpen(at(PARIS, '2026-12-29T10:00'))).toBe(false);
    expect(yearEnd.isOpen(at(PARIS, '2026-12-30T15:59:59'))).toBe(true);
    expect(yearEnd.isOpen(at(PARIS, '2026-12-30T16:00'))).toBe(false);
    expect(yearEnd.isOpen(at(PARIS, '2026-12-31T10:30'))).toBe(true);
    expect(show(PARIS, yearEnd.nextOpening(at(PARIS, '2026-12-28T18:00')))).toBe('2026-12-30T09:00:00+01:00');
  });

  it('counts the dated hours between two instants', () => {
    // 24th 9 h + 26th 4 h + 28th 6 h (after the break) + 30th 7 h + 31st 3 h.
    expect(yearEnd.businessSecondsBetween(at(PARIS, '2026-12-24T09:00'), at(PARIS, '2026-12-31T23:00'))).toBe(29 * 3600);
  });

  it('says what set the hours of a date', () => {
    expect(yearEnd.dayOn('2026-12-26')).toEqual({ date: '2026-12-26', hours: [['10:00', '14:00']], source: 'dates' });
    expect(yearEnd.dayOn('2026-12-29')).toEqual({ date: '2026-12-29', hours: [], source: 'dates' });
    expect(yearEnd.dayOn('2026-12-25')).toEqual({ date: '2026-12-25', hours: [], source: 'holidays' });
    expect(yearEnd.dayOn('2026-12-28')).toEqual({ date: '2026-12-28', hours: [['12:00', '18:00']], source: 'week' });
    expect(yearEnd.dayOn('2026-12-27')).toEqual({ date: '2026-12-27', hours: [], source: 'week' });
    expect(() => yearEnd.dayOn('2026-02-30')).toThrow(RangeError);
  });

  it('gives dated hours priority over the preset', () => {
    const france = BusinessCalendar.compile({
      timezone: PARIS,
      hours: weekdays([['09:00', '18:00']]),
      holidayPreset: 'FR',
      dates: { '2026-11-11': [['10:00', '12:00']] },
    });
    // Armistice Day, a public holiday in France, opened for two hours.
    expect(france.dayOn('2026-11-11')).toEqual({ date: '2026-11-11', hours: [['10:00', '12:00']], source: 'dates' });
    expect(due(france, at(PARIS, '2026-11-10T17:00'), 'PT2H')).toBe('2026-11-11T11:00:00+01:00');
    expect(france.dayOn('2026-12-25')).toMatchObject({ hours: [], source: 'preset', kind: 'closed' });
  });
});

describe('BusinessCalendar with dated hours across daylight-saving changes', () => {
  // Paris: clocks spring forward on Sunday 29 March 2026 (02:00 → 03:00) and fall back on
  // Sunday 25 October 2026 (03:00 → 02:00). Dated hours are wall-clock hours like any others.
  const sundays = BusinessCalendar.compile({
    timezone: PARIS,
    hours: weekdays([['09:00', '18:00']]),
    dates: {
      '2026-03-29': [['01:00', '04:00']],
      '2026-10-25': [['01:00', '04:00']],
    },
  });

  it('loses the skipped hour on the spring-forward day', () => {
    expect(sundays.businessSecondsBetween(at(PARIS, '2026-03-29T00:00'), at(PARIS, '2026-03-29T12:00'))).toBe(2 * 3600);
    expect(due(sundays, at(PARIS, '2026-03-29T01:00'), 'PT2H')).toBe('2026-03-29T04:00:00+02:00');
    expect(due(sundays, at(PARIS, '2026-03-29T01:30'), 'PT1H')).toBe('2026-03-29T03:30:00+02:00');
  });

  it('gains the repeated hour on the fall-back day', () => {
    expect(sundays.businessSecondsBetween(at(PARIS, '2026-10-25T00:00'), at(PARIS, '2026-10-25T12:00'))).toBe(4 * 3600);
    expect(due(sundays, at(PARIS, '2026-10-25T01:00'), 'PT4H')).toBe('2026-10-25T04:00:00+01:00');
    // From Saturday: the first 02:30 (summer time), then the second (winter time).
    expect(due(sundays, at(PARIS, '2026-10-24T12:00'), 'PT1H30M')).toBe('2026-10-25T02:30:00+02:00');
    expect(due(sundays, at(PARIS, '2026-10-24T12:00'), 'PT2H30M')).toBe('2026-10-25T02:30:00+01:00');
  });

  it('counts a dated 00:00–24:00 as 23 and 25 hours on those days', () => {
    const allDay = BusinessCalendar.compile({
      timezone: PARIS,
      hours: weekdays([['09:00', '18:00']]),
      dates: { '2026-03-29': [['00:00', '24:00']], '2026-10-25': [['00:00', '24:00']] },
    });
    expect(allDay.businessSecondsBetween(at(PARIS, '2026-03-29T00:00'), at(PARIS, '2026-03-30T00:00'))).toBe(23 * 3600);
    expect(allDay.businessSecondsBetween(at(PARIS, '2026-10-25T00:00'), at(PARIS, '2026-10-26T00:00'))).toBe(25 * 3600);
  });
});

describe('A 24/7 calendar with one closed date', () => {
  const always: TimeRange[] = [['00:00', '24:00']];
  const calendar = BusinessCalendar.compile({
    timezone: 'UTC',
    hours: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always },
    dates: { '2026-06-10': [] },
  });

  it('skips the closed date and only it', () => {
    expect(calendar.dueAt(new Date('2026-06-09T23:00:00Z'), { days: 0, seconds: 7200 }).toISOString()).toBe(
      '2026-06-11T01:00:00.000Z',
    );
    expect(calendar.businessSecondsBetween(new Date('2026-06-09T00:00:00Z'), new Date('2026-06-12T00:00:00Z'))).toBe(2 * 86_400);
    expect(calendar.isOpen(new Date('2026-06-10T12:00:00Z'))).toBe(false);
    expect(calendar.isOpen(new Date('2026-06-11T00:00:00Z'))).toBe(true);
    expect(calendar.dueAt(new Date('2026-06-09T12:00:00Z'), { days: 1, seconds: 0 }).toISOString()).toBe(
      '2026-06-11T12:00:00.000Z',
    );
  });
});
