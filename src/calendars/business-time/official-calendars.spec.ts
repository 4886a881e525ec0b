import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { parseBusinessDuration } from './business-duration.js';
import type { CalendarDefinition, TimeRange } from './calendar-definition.js';
import { officialProductionCalendar, officialYears, presetDays } from './official-calendars.js';

const MOSCOW = 'Europe/Moscow';
const OFFICE: TimeRange[] = [['09:00', '18:00']];
const SHORT: TimeRange[] = [['09:00', '17:00']];

function at(local: string): Date {
  return DateTime.fromISO(local, { zone: MOSCOW }).toJSDate();
}

function show(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: MOSCOW }).toFormat("yyyy-MM-dd'T'HH:mm");
}

function russianOffice(extra: Partial<CalendarDefinition> = {}): BusinessCalendar {
  return BusinessCalendar.compile({
    timezone: MOSCOW,
    hours: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE },
    holidayPreset: 'RU',
    ...extra,
  });
}

function range(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = DateTime.fromISO(from); day <= DateTime.fromISO(to); day = day.plus({ days: 1 })) dates.push(day.toISODate()!);
  return dates;
}

/**
 * Each year as its decree and the labour code make it, written out here independently of the
 * shipped files: every day off on a weekday or weekend, every short day, every working weekend day,
 * and where each moved day off comes from.
 */
const YEARS: Record<number, { closed: string[]; short: string[]; working: string[]; moved: Record<string, string> }> = {
  // Decree № 1314 of 10 August 2023.
  2024: {
    closed: [
      ...range('2024-01-01', '2024-01-08'),
      ...['2024-02-23', '2024-03-08', '2024-04-29', '2024-04-30', '2024-05-01', '2024-05-09', '2024-05-10'],
      ...['2024-06-12', '2024-11-04', '2024-12-30', '2024-12-31'],
    ],
    short: ['2024-02-22', '2024-03-07', '2024-05-08', '2024-06-11', '2024-11-02'],
    working: ['2024-04-27', '2024-11-02', '2024-12-28'],
    moved: {
      '2024-04-29': '2024-04-27',
      '2024-04-30': '2024-11-02',
      '2024-05-10': '2024-01-06',
      '2024-12-30': '2024-12-28',
      '2024-12-31': '2024-01-07',
    },
  },
  // Decree № 1335 of 4 October 2024.
  2025: {
    closed: [
      ...range('2025-01-01', '2025-01-08'),
      ...['2025-02-23', '2025-03-08', '2025-05-01', '2025-05-02', '2025-05-08', '2025-05-09', '2025-06-12'],
      ...['2025-06-13', '2025-11-03', '2025-11-04', '2025-12-31'],
    ],
    short: ['2025-03-07', '2025-04-30', '2025-06-11', '2025-11-01'],
    working: ['2025-11-01'],
    moved: {
      '2025-05-02': '2025-01-04',
      '2025-05-08': '2025-02-23',
      '2025-06-13': '2025-03-08',
      '2025-11-03': '2025-11-01',
      '2025-12-31': '2025-01-05',
    },
  },
  // Decree № 1466 of 24 September 2025 (and art. 112 part 2 for 9 March and 11 May).
  2026: {
    closed: [
      ...range('2026-01-01', '2026-01-09'),
      ...['2026-02-23', '2026-03-08', '2026-03-09', '2026-05-01', '2026-05-09', '2026-05-11', '2026-06-12'],
      ...['2026-11-04', '2026-12-31'],
    ],
    short: ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03'],
    working: [],
    moved: { '2026-01-09': '2026-01-03', '2026-03-09': '2026-03-08', '2026-05-11': '2026-05-09', '2026-12-31': '2026-01-04' },
  },
};

describe('the official RU production calendars', () => {
  const calendar = russianOffice();

  it('are shipped for 2024, 2025 and 2026', () => {
    expect(officialYears('RU')).toEqual([2024, 2025, 2026]);
    expect(officialYears('FR')).toEqual([]);
    expect(officialProductionCalendar('RU', 2023)).toBeUndefined();
    expect(officialProductionCalendar('RU', 2025)).toMatchObject({ year: 2025, country: 'ru', published: '2024-12-01' });
  });

  it.each(Object.keys(YEARS).map(Number))('give every day of %i the hours of the decree on a 09:00–18:00 week', (year) => {
    const { closed, short, working } = YEARS[year];
    const wrong: string[] = [];
    for (const date of range(`${year}-01-01`, `${year}-12-31`)) {
      const weekend = DateTime.fromISO(date).weekday >= 6;
      const expected = closed.includes(date)
        ? []
        : short.includes(date)
          ? SHORT
          : working.includes(date) || !weekend
            ? OFFICE
            : [];
      const actual = calendar.dayOn(date).hours;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${date}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(Object.keys(YEARS).map(Number))('name where each day off of %i was moved from', (year) => {
    const { moved } = YEARS[year];
    const days = officialProductionCalendar('RU', year)!.days;
    expect(Object.fromEntries(days.filter((day) => day.movedFrom).map((day) => [day.date, day.movedFrom]))).toEqual(moved);
    for (const [date, from] of Object.entries(moved)) {
      expect(calendar.dayOn(date)).toMatchObject({ hours: [], source: 'preset', kind: 'closed', movedFrom: from });
    }
  });

  describe('2025', () => {
    it('opens Saturday 1 November until 17:00 and closes on the days off by decree', () => {
      expect(calendar.isOpen(at('2025-11-01T09:00'))).toBe(true);
      expect(calendar.isOpen(at('2025-11-01T16:59'))).toBe(true);
      expect(calendar.isOpen(at('2025-11-01T17:00'))).toBe(false);
      for (const date of ['2025-11-03', '2025-05-02', '2025-05-08', '2025-06-13', '2025-12-31']) {
        expect(calendar.isOpen(at(`${date}T12:00`))).toBe(false);
      }
      expect(calendar.dayOn('2025-11-04')).toMatchObject({ kind: 'closed', holiday: 'День народного единства' });
    });

    it('counts the working Saturday in a due time over 31 October–1 November', () => {
      expect(show(calendar.dueAt(at('2025-10-31T17:00'), parseBusinessDuration('PT4H')))).toBe('2025-11-01T12:00');
      expect(show(calendar.dueAt(at('2025-10-31T17:00'), parseBusinessDuration('PT10H')))).toBe('2025-11-05T10:00');
      expect(show(calendar.dueAt(at('2025-10-31T10:00'), parseBusinessDuration('P1D')))).toBe('2025-11-01T10:00');
      expect(calendar.businessSecondsBetween(at('2025-10-31T09:00'), at('2025-11-05T09:00'))).toBe((9 + 8) * 3600);
    });
  });

  describe('2026', () => {
    it('closes 9 January, 9 March, 11 May and 31 December, and ends 3 November an hour early', () => {
      for (const date of ['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31']) {
        expect(calendar.isOpen(at(`${date}T12:00`))).toBe(false);
      }
      expect(calendar.isOpen(at('2026-11-03T16:59'))).toBe(true);
      expect(calendar.isOpen(at('2026-11-03T17:00'))).toBe(false);
      expect(show(calendar.dueAt(at('2026-11-03T16:00'), parseBusinessDuration('PT2H')))).toBe('2026-11-05T10:00');
    });
  });

  it('keeps date-holidays\' fixed holidays for years without data', () => {
    expect(calendar.dayOn('2023-06-12')).toMatchObject({ hours: [], source: 'preset', kind: 'closed' });
    expect(calendar.dayOn('2027-01-01')).toMatchObject({ hours: [], source: 'preset', kind: 'closed' });
    expect(calendar.dayOn('2027-06-15')).toEqual({ date: '2027-06-15', hours: OFFICE, source: 'week' });
  });
});

describe('precedence of dates, holidays, the official preset and breaks', () => {
  it('lets dated hours open a decree day off and override its breaks', () => {
    const calendar = russianOffice({
      dates: { '2025-11-03': [['10:00', '12:00']] },
      breaks: { '2025-11-03': [['10:00', '11:00']] },
    });
    expect(calendar.dayOn('2025-11-03')).toEqual({ date: '2025-11-03', hours: [['10:00', '12:00']], source: 'dates' });
  });

  it('lets the calendar\'s own holidays close a working Saturday', () => {
    const calendar = russianOffice({ holidays: ['2025-11-01'] });
    expect(calendar.dayOn('2025-11-01')).toEqual({ date: '2025-11-01', hours: [], source: 'holidays' });
  });

  it('applies breaks to the preset\'s days', () => {
    const calendar = russianOffice({ breaks: { '2025-11-01': [['13:00', '14:00']] } });
    expect(calendar.dayOn('2025-11-01')).toMatchObject({
      hours: [
        ['09:00', '13:00'],
        ['14:00', '17:00'],
      ],
      source: 'preset',
      kind: 'short',
    });
  });

  it('resolves the preset against the calendar\'s own hours and the weekday a working weekend day copies', () => {
    const split: MinuteWeek = [[[540, 780], [840, 1080]], [[600, 1140]], [], [], [], [], []];
    // Mon 09:00–13:00 + 14:00–18:00, Tue 10:00–19:00.
    const asMonday = presetDays('RU', 2024, split);
    expect(asMonday.get('2024-04-27')?.hours).toEqual([[540, 780], [840, 1080]]);
    expect(asMonday.get('2024-11-02')?.hours).toEqual([[540, 780], [840, 1020]]);
    const asTuesday = presetDays('RU', 2024, split, 'tue');
    expect(asTuesday.get('2024-04-27')?.hours).toEqual([[600, 1140]]);
    expect(asTuesday.get('2024-11-02')?.hours).toEqual([[600, 1080]]);
    // A weekday short day keeps its own weekday's hours: Thursday 22 February is closed on this week.
    expect(asTuesday.get('2024-02-22')?.hours).toEqual([]);
  });

  it('opens the decree\'s working Saturdays on a Tuesday-to-Saturday calendar with its own Saturday hours', () => {
    // Once closed: such a day took Monday's hours, and this week has none.
    const open: TimeRange[] = [['10:00', '19:00']];
    const shop = BusinessCalendar.compile({ timezone: MOSCOW, hours: { tue: open, wed: open, thu: open, fri: open, sat: open }, holidayPreset: 'RU' });
    expect(shop.dayOn('2025-10-25').hours).toEqual(open); // an ordinary Saturday
    expect(shop.dayOn('2024-04-27').hours).toEqual(open); // a working Saturday by decree № 1314
    expect(shop.dayOn('2024-12-28').hours).toEqual(open); // another, by the same decree
    expect(shop.dayOn('2025-11-01').hours).toEqual([['10:00', '18:00']]); // a short working Saturday by decree № 1335
    expect(shop.isOpen(at('2025-11-01T17:30'))).toBe(true);
    expect(shop.isOpen(at('2025-11-01T18:30'))).toBe(false);
  });

  it('runs around the clock on a 24/7 calendar except on the days off', () => {
    const always: TimeRange[] = [['00:00', '24:00']];
    const calendar = BusinessCalendar.compile({
      timezone: MOSCOW,
      hours: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always },
      holidayPreset: 'RU',
    });
    expect(calendar.dayOn('2026-11-03').hours).toEqual([['00:00', '23:00']]);
    expect(calendar.dayOn('2026-11-04').hours).toEqual([]);
    expect(calendar.dayOn('2026-11-07').hours).toEqual(always);
  });
});

type MinuteWeek = [number, number][][];
