import { DateTime } from 'luxon';
import { BusinessCalendar, BusinessTimeRangeError } from './business-calendar.js';
import { parseBusinessDuration } from './business-duration.js';
import { CalendarDefinitionError, type CalendarDefinition, type TimeRange } from './calendar-definition.js';

/** An instant written as local time in a zone, e.g. at('Europe/Paris', '2026-11-02T09:15'). */
function at(zone: string, local: string): Date {
  const parsed = DateTime.fromISO(local, { zone });
  if (!parsed.isValid) throw new Error(`bad test instant ${local}`);
  return parsed.toJSDate();
}

/** An instant shown as local time with its offset, so failures read like a wall clock. */
function show(zone: string, instant: Date): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

function everyDay(ranges: TimeRange[]): CalendarDefinition['hours'] {
  return { mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges, sat: ranges, sun: ranges };
}

function weekdays(ranges: TimeRange[]): CalendarDefinition['hours'] {
  return { mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges };
}

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';

function due(calendar: BusinessCalendar, from: Date, iso: string): string {
  return show(calendar.timezone, calendar.dueAt(from, parseBusinessDuration(iso)));
}

describe('BusinessCalendar on a split Paris office day', () => {
  // Mon–Fri 09:00–12:30 and 13:30–18:00 (8 working hours), Christmas off, Christmas Eve afternoon off.
  const paris = BusinessCalendar.compile({
    timezone: PARIS,
    hours: weekdays([
      ['09:00', '12:30'],
      ['13:30', '18:00'],
    ]),
    holidays: ['2026-12-25'],
    breaks: { '2026-12-24': [['14:00', '18:00']] },
  });

  it.each([
    ['before the first interval', '2026-11-02T07:00', 'PT1H', '2026-11-02T10:00:00+01:00'],
    ['at the opening', '2026-11-02T09:00', 'PT1H', '2026-11-02T10:00:00+01:00'],
    ['inside an interval', '2026-11-02T10:15', 'PT1H', '2026-11-02T11:15:00+01:00'],
    ['across the lunch gap', '2026-11-02T12:00', 'PT1H', '2026-11-02T14:00:00+01:00'],
    ['between intervals', '2026-11-02T12:45', 'PT1H', '2026-11-02T14:30:00+01:00'],
    ['after the last interval', '2026-11-02T18:30', 'PT1H', '2026-11-03T10:00:00+01:00'],
    ['landing exactly on a closing', '2026-11-02T17:00', 'PT1H', '2026-11-02T18:00:00+01:00'],
    ['landing exactly on the lunch closing', '2026-11-02T11:30', 'PT1H', '2026-11-02T12:30:00+01:00'],
    ['over a weekend', '2026-11-06T17:30', 'PT1H', '2026-11-09T09:30:00+01:00'],
    ['nineteen working hours', '2026-11-02T09:00', 'PT19H', '2026-11-04T12:00:00+01:00'],
    ['seconds precision', '2026-11-02T09:00', 'PT1H2M3S', '2026-11-02T10:02:03+01:00'],
    ['into a break and over a holiday', '2026-12-24T13:45', 'PT1H', '2026-12-28T09:45:00+01:00'],
  ])('adds working time %s', (_case, from, duration, expected) => {
    expect(due(paris, at(PARIS, from), duration)).toBe(expected);
  });

  it.each([
    ['the same position two business days later', '2026-11-06T17:30', 'P2D', '2026-11-10T17:30:00+01:00'],
    ['from a weekend: counted from the next opening', '2026-11-07T10:00', 'P2D', '2026-11-11T09:00:00+01:00'],
    ['from the lunch gap: the afternoon opening', '2026-11-02T12:45', 'P1D', '2026-11-03T13:30:00+01:00'],
    ['into a shorter day: that day closes first', '2026-12-23T17:00', 'P1D', '2026-12-24T14:00:00+01:00'],
    ['over the holiday and the weekend', '2026-12-24T10:00', 'P1D', '2026-12-28T10:00:00+01:00'],
    ['days then minutes up to a closing', '2026-11-06T17:30', 'P1DT30M', '2026-11-09T18:00:00+01:00'],
    ['days then hours spilling over', '2026-11-06T17:30', 'P1DT2H', '2026-11-10T10:30:00+01:00'],
  ])('adds whole business days: %s', (_case, from, duration, expected) => {
    expect(due(paris, at(PARIS, from), duration)).toBe(expected);
  });

  it('counts working seconds between two instants, skipping nights, weekends and lunch', () => {
    expect(paris.businessSecondsBetween(at(PARIS, '2026-11-06T17:00'), at(PARIS, '2026-11-09T10:00'))).toBe(7200);
    expect(paris.businessSecondsBetween(at(PARIS, '2026-11-02T12:00'), at(PARIS, '2026-11-02T14:00'))).toBe(3600);
    expect(paris.businessSecondsBetween(at(PARIS, '2026-11-07T08:00'), at(PARIS, '2026-11-08T20:00'))).toBe(0);
    expect(paris.businessSecondsBetween(at(PARIS, '2026-11-09T10:00'), at(PARIS, '2026-11-06T17:00'))).toBe(-7200);
  });

  it('tells whether it is open, intervals including their start and excluding their end', () => {
    expect(paris.isOpen(at(PARIS, '2026-11-02T09:00'))).toBe(true);
    expect(paris.isOpen(at(PARIS, '2026-11-02T12:29:59'))).toBe(true);
    expect(paris.isOpen(at(PARIS, '2026-11-02T12:30'))).toBe(false);
    expect(paris.isOpen(at(PARIS, '2026-11-02T18:00'))).toBe(false);
    expect(paris.isOpen(at(PARIS, '2026-11-07T10:00'))).toBe(false);
    expect(paris.isOpen(at(PARIS, '2026-12-25T10:00'))).toBe(false);
    expect(paris.isOpen(at(PARIS, '2026-12-24T13:59'))).toBe(true);
    expect(paris.isOpen(at(PARIS, '2026-12-24T14:00'))).toBe(false);
  });

  it('gives the next opening', () => {
    expect(show(PARIS, paris.nextOpening(at(PARIS, '2026-11-06T18:00')))).toBe('2026-11-09T09:00:00+01:00');
    expect(show(PARIS, paris.nextOpening(at(PARIS, '2026-11-02T10:00')))).toBe('2026-11-02T10:00:00+01:00');
  });

  it('refuses zero and negative durations', () => {
    expect(() => paris.dueAt(at(PARIS, '2026-11-02T09:00'), { days: 0, seconds: 0 })).toThrow(RangeError);
    expect(() => paris.dueAt(at(PARIS, '2026-11-02T09:00'), { days: 0, seconds: -60 })).toThrow(RangeError);
    expect(() => paris.dueAt(at(PARIS, '2026-11-02T09:00'), { days: -1, seconds: 0 })).toThrow(RangeError);
  });

  it('lays out years on demand, backwards and forwards, with the same answers', () => {
    const fresh = BusinessCalendar.compile({ timezone: PARIS, hours: weekdays([['09:00', '18:00']]) });
    expect(due(fresh, at(PARIS, '2031-06-02T17:00'), 'PT2H')).toBe('2031-06-03T10:00:00+02:00');
    expect(due(fresh, at(PARIS, '2021-06-04T17:00'), 'PT2H')).toBe('2021-06-07T10:00:00+02:00');
    expect(due(fresh, at(PARIS, '2026-12-31T17:00'), 'P1000D')).toBe('2030-10-31T17:00:00+01:00');
    expect(fresh.businessSecondsBetween(at(PARIS, '2021-01-04T09:00'), at(PARIS, '2031-01-06T09:00'))).toBe(
      // Monday 2021-01-04 up to Monday 2031-01-06 holds 2,610 weekdays of nine hours each
      2610 * 9 * 3600,
    );
  });

  it('refuses instants outside the supported years', () => {
    expect(() => paris.isOpen(new Date('1800-01-01T00:00:00Z'))).toThrow(BusinessTimeRangeError);
    expect(() => paris.isOpen(new Date(Number.NaN))).toThrow(BusinessTimeRangeError);
  });
});

describe('BusinessCalendar with a holiday preset', () => {
  it('closes on the public holidays of a country', () => {
    const france = BusinessCalendar.compile({ timezone: PARIS, hours: weekdays([['09:00', '18:00']]), holidayPreset: 'FR' });
    // Wednesday 11 November 2026 is Armistice Day.
    expect(due(france, at(PARIS, '2026-11-10T17:00'), 'PT2H')).toBe('2026-11-12T10:00:00+01:00');
    expect(france.isOpen(at(PARIS, '2026-11-11T10:00'))).toBe(false);
  });

  it('closes on the public holidays of a country region only', () => {
    const newYork = BusinessCalendar.compile({
      timezone: NEW_YORK,
      hours: weekdays([['09:00', '17:00']]),
      holidayPreset: 'US-NY',
    });
    // Thursday 26 November 2026 is Thanksgiving.
    expect(newYork.isOpen(at(NEW_YORK, '2026-11-26T10:00'))).toBe(false);
    expect(newYork.isOpen(at(NEW_YORK, '2026-11-27T10:00'))).toBe(true);
  });
});

describe('BusinessCalendar across daylight-saving changes', () => {
  const allDay = (zone: string) => BusinessCalendar.compile({ timezone: zone, hours: everyDay([['00:00', '24:00']]) });

  it.each([
    [PARIS, '2026-03-29', 23],
    [PARIS, '2026-10-25', 25],
    [NEW_YORK, '2026-03-08', 23],
    [NEW_YORK, '2026-11-01', 25],
    [SYDNEY, '2026-10-04', 23],
    [SYDNEY, '2026-04-05', 25],
    [SYDNEY, '2026-04-06', 24],
  ])('a 24/7 calendar in %s counts %s as %d hours', (zone, date, hours) => {
    const calendar = allDay(zone);
    const midnight = DateTime.fromISO(date, { zone });
    const nextMidnight = midnight.plus({ days: 1 });
    expect(calendar.businessSecondsBetween(midnight.toJSDate(), nextMidnight.toJSDate())).toBe(hours * 3600);
    expect(calendar.dueAt(midnight.toJSDate(), { days: 0, seconds: hours * 3600 }).getTime()).toBe(
      nextMidnight.toMillis(),
    );
  });

  it.each([
    // Real elapsed time: four hours of 24/7 work across the skipped or repeated hour.
    [PARIS, '2026-03-29T00:30', 'PT4H', '2026-03-29T05:30:00+02:00'],
    [PARIS, '2026-10-25T00:30', 'PT4H', '2026-10-25T03:30:00+01:00'],
    [NEW_YORK, '2026-03-08T00:30', 'PT4H', '2026-03-08T05:30:00-04:00'],
    [NEW_YORK, '2026-11-01T00:30', 'PT4H', '2026-11-01T03:30:00-05:00'],
    [SYDNEY, '2026-10-04T00:30', 'PT4H', '2026-10-04T05:30:00+11:00'],
    [SYDNEY, '2026-04-05T00:30', 'PT4H', '2026-04-05T03:30:00+10:00'],
  ])('in %s, from %s plus %s of 24/7 work is %s', (zone, from, duration, expected) => {
    expect(due(allDay(zone), at(zone, from), duration)).toBe(expected);
  });

  it.each([
    // Office hours are wall-clock hours: the offset changes over the weekend, not the working day.
    [PARIS, '2026-03-27T17:00', 'PT2H', '2026-03-30T10:00:00+02:00'],
    [PARIS, '2026-10-23T17:00', 'PT2H', '2026-10-26T10:00:00+01:00'],
    [NEW_YORK, '2026-03-06T17:00', 'PT2H', '2026-03-09T10:00:00-04:00'],
    [NEW_YORK, '2026-10-30T17:00', 'PT2H', '2026-11-02T10:00:00-05:00'],
    [SYDNEY, '2026-10-02T17:00', 'PT2H', '2026-10-05T10:00:00+11:00'],
    [SYDNEY, '2026-04-03T17:00', 'PT2H', '2026-04-06T10:00:00+10:00'],
    [PARIS, '2026-03-27T17:00', 'P1D', '2026-03-30T17:00:00+02:00'],
  ])('in %s, office hours from %s plus %s is %s', (zone, from, duration, expected) => {
    const office = BusinessCalendar.compile({ timezone: zone, hours: weekdays([['09:00', '18:00']]) });
    expect(due(office, at(zone, from), duration)).toBe(expected);
  });

  it('starts an interval whose opening does not exist at the spring-forward transition', () => {
    // New York, 8 March 2026: clocks jump from 02:00 to 03:00.
    const sundayNight = BusinessCalendar.compile({ timezone: NEW_YORK, hours: { sun: [['02:30', '04:00']] } });
    const opening = sundayNight.nextOpening(at(NEW_YORK, '2026-03-08T00:00'));
    expect(show(NEW_YORK, opening)).toBe('2026-03-08T03:00:00-04:00');
    expect(sundayNight.businessSecondsBetween(at(NEW_YORK, '2026-03-08T00:00'), at(NEW_YORK, '2026-03-08T12:00'))).toBe(3600);
    const skipped = BusinessCalendar.compile({ timezone: NEW_YORK, hours: { sun: [['02:00', '03:00']] } });
    expect(skipped.businessSecondsBetween(at(NEW_YORK, '2026-03-08T00:00'), at(NEW_YORK, '2026-03-08T12:00'))).toBe(0);
  });

  it('opens a repeated hour at its first occurrence when clocks fall back', () => {
    // New York, 1 November 2026: 01:00–02:00 happens twice; 01:00–02:00 by the wall lasts two hours.
    const calendar = BusinessCalendar.compile({ timezone: NEW_YORK, hours: { sun: [['01:00', '02:00']] } });
    const opening = calendar.nextOpening(at(NEW_YORK, '2026-11-01T00:00'));
    expect(opening.toISOString()).toBe('2026-11-01T05:00:00.000Z');
    expect(calendar.businessSecondsBetween(at(NEW_YORK, '2026-11-01T00:00'), at(NEW_YORK, '2026-11-01T12:00'))).toBe(7200);
  });
});

describe('BusinessCalendar around the clock', () => {
  const always = BusinessCalendar.compile({ timezone: 'UTC', hours: everyDay([['00:00', '24:00']]) });

  it('runs across midnight without a seam', () => {
    expect(always.dueAt(new Date('2026-11-02T23:30:00Z'), { days: 0, seconds: 3600 }).toISOString()).toBe(
      '2026-11-03T00:30:00.000Z',
    );
    expect(always.businessSecondsBetween(new Date('2026-11-02T23:30:00Z'), new Date('2026-11-03T00:30:00Z'))).toBe(3600);
    expect(always.isOpen(new Date('2026-11-03T00:00:00Z'))).toBe(true);
  });

  it('adds whole days as calendar days', () => {
    expect(always.dueAt(new Date('2026-11-02T23:30:00Z'), { days: 2, seconds: 0 }).toISOString()).toBe(
      '2026-11-04T23:30:00.000Z',
    );
  });
});

describe('BusinessCalendar.compile', () => {
  it('refuses a definition with problems, listing them all', () => {
    expect.assertions(2);
    try {
      BusinessCalendar.compile({ timezone: 'Mars/Olympus', hours: { mon: [['25:00', '18:00']] } });
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarDefinitionError);
      expect((error as CalendarDefinitionError).problems.map((p) => p.path)).toEqual(['timezone', 'hours.mon[0]']);
    }
  });
});

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
