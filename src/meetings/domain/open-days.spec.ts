import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../calendars/business-time/index.js';
import { occurrences } from './recurrence.js';
import { calendarYearsProblem, closedReason, nextOpenDay, OPEN_DAY_SEARCH_DAYS, placeOnOpenDays, withinCalendarYears } from './open-days.js';

const MOSCOW = 'Europe/Moscow';
const office = [['09:00', '18:00']] as const;
const weekdays = { mon: office, tue: office, wed: office, thu: office, fri: office };
/** 1–8 January 2027 closed by dated hours: the New Year holidays Russia takes every year. */
const newYear = Object.fromEntries(['01', '02', '03', '04', '05', '06', '07', '08'].map((day) => [`2027-01-${day}`, []]));
const moscow = BusinessCalendar.compile({ timezone: MOSCOW, hours: weekdays, dates: newYear });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** A Moscow wall-clock time as an instant. */
const at = (local: string) => DateTime.fromISO(local, { zone: MOSCOW }).toMillis();

const firstMondays = occurrences({ rule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=3', startsOn: '2027-01-04T10:00', timezone: MOSCOW });

describe('meetings on open days', () => {
  it('moves the first Monday of January 2027 past the New Year holidays and the weekend to Monday 11 January, same local time', () => {
    const placed = placeOnOpenDays(firstMondays, MOSCOW, moscow, 'next-open-day');
    expect(placed.map((p) => [iso(p.occurrenceStart), iso(p.startsAt), p.change])).toEqual([
      ['2027-01-04T07:00:00.000Z', '2027-01-11T07:00:00.000Z', 'moved'],
      ['2027-02-01T07:00:00.000Z', '2027-02-01T07:00:00.000Z', null],
      ['2027-03-01T07:00:00.000Z', '2027-03-01T07:00:00.000Z', null],
    ]);
  });

  it('skips a closed occurrence, and keeps it where the rule put it with "keep"', () => {
    expect(placeOnOpenDays(firstMondays, MOSCOW, moscow, 'skip').map((p) => [iso(p.startsAt), p.change])).toEqual([
      [null, 'skipped'],
      ['2027-02-01T07:00:00.000Z', null],
      ['2027-03-01T07:00:00.000Z', null],
    ]);
    expect(placeOnOpenDays(firstMondays, MOSCOW, moscow, 'keep').map((p) => [iso(p.startsAt), p.change])).toEqual(firstMondays.map((start) => [iso(start), null]));
  });

  it('leaves every occurrence where the rule put it without a calendar', () => {
    expect(placeOnOpenDays(firstMondays, MOSCOW, null, 'next-open-day').map((p) => p.startsAt)).toEqual(firstMondays);
  });

  it('counts a date open only when its hours hold the meeting time: 19:00 moves nowhere and is kept', () => {
    const evening = occurrences({ rule: 'FREQ=WEEKLY;COUNT=1', startsOn: '2027-02-01T19:00', timezone: MOSCOW });
    expect(placeOnOpenDays(evening, MOSCOW, moscow, 'next-open-day')).toEqual([{ occurrenceStart: evening[0], startsAt: evening[0], change: null }]);
    expect(closedReason(moscow, evening[0])).toBe("outside the calendar's hours that day (09:00–18:00)");
    // Monday closed, Tuesday a short day ending at 16:00: a 17:00 meeting moves on to Wednesday.
    const shortTuesday = BusinessCalendar.compile({ timezone: MOSCOW, hours: weekdays, dates: { '2027-02-01': [], '2027-02-02': [['09:00', '16:00']] } });
    expect(iso(nextOpenDay(shortTuesday, at('2027-02-01T17:00'), MOSCOW))).toBe('2027-02-03T14:00:00.000Z');
  });

  it(`gives up after ${OPEN_DAY_SEARCH_DAYS} dates and keeps the occurrence`, () => {
    const closedMonth = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10), []]));
    const shut = BusinessCalendar.compile({ timezone: MOSCOW, hours: weekdays, dates: closedMonth });
    expect(nextOpenDay(shut, firstMondays[0], MOSCOW)).toBeNull();
    expect(placeOnOpenDays(firstMondays.slice(0, 1), MOSCOW, shut, 'next-open-day')).toEqual([{ occurrenceStart: firstMondays[0], startsAt: firstMondays[0], change: null }]);
  });

  it('skips an occurrence whose next open day already holds a meeting of the series', () => {
    const daily = occurrences({ rule: 'FREQ=DAILY;COUNT=4', startsOn: '2027-01-15T10:00', timezone: MOSCOW });
    // Friday 15 open, Saturday and Sunday closed (both would move onto Monday 18), Monday open.
    expect(placeOnOpenDays(daily, MOSCOW, moscow, 'next-open-day').map((p) => [iso(p.occurrenceStart), iso(p.startsAt), p.change])).toEqual([
      ['2027-01-15T07:00:00.000Z', '2027-01-15T07:00:00.000Z', null],
      ['2027-01-16T07:00:00.000Z', null, 'skipped'],
      ['2027-01-17T07:00:00.000Z', null, 'skipped'],
      ['2027-01-18T07:00:00.000Z', '2027-01-18T07:00:00.000Z', null],
    ]);
    // Weekly on Saturdays: nothing else on Monday, so each moves there.
    const saturdays = occurrences({ rule: 'FREQ=WEEKLY;COUNT=2', startsOn: '2027-01-16T10:00', timezone: MOSCOW });
    expect(placeOnOpenDays(saturdays, MOSCOW, moscow, 'next-open-day').map((p) => iso(p.startsAt))).toEqual(['2027-01-18T07:00:00.000Z', '2027-01-25T07:00:00.000Z']);
  });

  it('keeps the series’ local time across a clock change, whatever the calendar’s own zone', () => {
    // Paris meeting at 10:00 on Friday 26 March 2027, the calendar (New York hours, all day) closed that date:
    // moved to Monday 29 March at 10:00 Paris, now summer time (08:00 UTC instead of 09:00).
    const allDay = [['00:00', '24:00']] as const;
    const newYork = BusinessCalendar.compile({ timezone: 'America/New_York', hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay }, dates: { '2027-03-26': [] } });
    const friday = occurrences({ rule: 'FREQ=WEEKLY;COUNT=1', startsOn: '2027-03-26T10:00', timezone: 'Europe/Paris' });
    expect(iso(friday[0])).toBe('2027-03-26T09:00:00.000Z');
    expect(placeOnOpenDays(friday, 'Europe/Paris', newYork, 'next-open-day').map((p) => iso(p.startsAt))).toEqual(['2027-03-29T08:00:00.000Z']);
  });

  describe('the reason a date is closed', () => {
    it('names the holiday of an official calendar, a day off moved by decree, and the calendar’s own closings', () => {
      const ru = BusinessCalendar.compile({ timezone: MOSCOW, hours: weekdays, holidayPreset: 'RU', holidays: ['2026-06-15'] });
      const reason = (local: string) => closedReason(ru, at(local));
      expect(reason('2025-11-04T10:00')).toBe('День народного единства');
      expect(reason('2025-11-03T10:00')).toBe('a day off moved from 2025-11-01');
      expect(reason('2026-06-15T10:00')).toBe('closed by the calendar');
      expect(reason('2026-06-20T10:00')).toBe('closed on Saturdays');
      expect(closedReason(moscow, at('2027-01-04T10:00'))).toBe('closed by the calendar');
      expect(closedReason(moscow, at('2027-01-11T10:00'))).toBeNull();
    });
  });

  it('says which field puts a rule outside the years a calendar tells of, before any planning', () => {
    const monthly = (startsOn: string, count = 3) => occurrences({ rule: `FREQ=MONTHLY;BYDAY=1MO;COUNT=${count}`, startsOn, timezone: MOSCOW });
    expect(calendarYearsProblem(firstMondays)).toBeNull();
    expect(calendarYearsProblem([])).toBeNull();
    expect(calendarYearsProblem(monthly('2999-01-04T10:00'))).toMatchObject({ field: 'startsOn', message: expect.stringMatching(/startsOn: .*1901 to 2998/) });
    expect(calendarYearsProblem(monthly('1850-01-07T10:00'))).toMatchObject({ field: 'startsOn' });
    // Starting in range, running past it: the rule (or the days a moved meeting searches) is at fault.
    expect(calendarYearsProblem(monthly('2998-06-01T10:00', 12))).toMatchObject({ field: 'rrule', message: expect.stringMatching(/^rrule: /) });
    const lastDays = occurrences({ rule: 'FREQ=DAILY;COUNT=1', startsOn: '2998-12-20T10:00', timezone: MOSCOW });
    expect(calendarYearsProblem(lastDays)).toMatchObject({ field: 'rrule' });
    // The arithmetic itself refuses what the check refuses: placing such starts would throw.
    expect(() => placeOnOpenDays(monthly('2999-01-04T10:00'), MOSCOW, moscow, 'next-open-day')).toThrow(RangeError);
    expect(withinCalendarYears(Number.NaN)).toBe(false);
  });

  it('does not flag, rather than fail on, a meeting beyond the calendar\'s years', () => {
    expect(closedReason(moscow, at('2999-01-04T10:00'))).toBeNull();
  });
});
