import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { WEEKDAYS, type CalendarDefinition, type TimeRange } from './calendar-definition.js';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns'];

function hhmm(minute: number): string {
  return minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Up to three non-overlapping intervals on a quarter-hour grid, including 24:00 ends. */
const day = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: TimeRange[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([hhmm(sorted[i] * 15), hhmm(sorted[i + 1] * 15)]);
    return ranges;
  });

const definition: fc.Arbitrary<CalendarDefinition> = fc
  .record({ zone: fc.constantFrom(...ZONES), week: fc.array(day, { minLength: 7, maxLength: 7 }) })
  .filter(({ week }) => week.some((ranges) => ranges.length > 0))
  .map(({ zone, week }) => ({
    timezone: zone,
    hours: Object.fromEntries(WEEKDAYS.map((name, index) => [name, week[index]])),
  }));

const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) });
const workingSeconds = fc.integer({ min: 1, max: 30 * 86_400 });

/**
 * A calendar with dated hours near a start instant: up to eight dates from two days before to
 * forty days after it, each closed, opened on a day of its own, or re-timed (the random `day`).
 */
const datedScenario: fc.Arbitrary<{ def: CalendarDefinition; from: number }> = fc
  .record({
    def: definition,
    from: instant,
    dated: fc.uniqueArray(fc.record({ offset: fc.integer({ min: -2, max: 40 }), ranges: day }), {
      maxLength: 8,
      selector: (entry) => entry.offset,
    }),
  })
  .map(({ def, from, dated }) => ({
    from,
    def: {
      ...def,
      dates: Object.fromEntries(dated.map(({ offset, ranges }) => [new Date(from + offset * 86_400_000).toISOString().slice(0, 10), ranges])),
    },
  }));

const scenarios: [string, fc.Arbitrary<{ def: CalendarDefinition; from: number }>][] = [
  ['weekly hours', fc.record({ def: definition, from: instant })],
  ['weekly and dated hours', datedScenario],
];

describe.each(scenarios)('BusinessCalendar invariants with %s', (_name, scenario) => {
  it('counts back exactly the working time it added', () => {
    fc.assert(
      fc.property(scenario, workingSeconds, ({ def, from }, seconds) => {
        const calendar = BusinessCalendar.compile(def);
        const due = calendar.addBusinessSeconds(from, seconds);
        expect(calendar.businessSecondsBetween(new Date(from), new Date(due))).toBe(seconds);
      }),
      { numRuns: 150 },
    );
  });

  it('is open just before every due time, which never comes before the start', () => {
    fc.assert(
      fc.property(scenario, workingSeconds, ({ def, from }, seconds) => {
        const calendar = BusinessCalendar.compile(def);
        const due = calendar.addBusinessSeconds(from, seconds);
        expect(due).toBeGreaterThan(from);
        expect(calendar.isOpen(new Date(due - 1))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('moves due times forward as durations grow', () => {
    fc.assert(
      fc.property(scenario, workingSeconds, workingSeconds, ({ def, from }, a, b) => {
        const calendar = BusinessCalendar.compile(def);
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(calendar.addBusinessSeconds(from, shorter)).toBeLessThanOrEqual(calendar.addBusinessSeconds(from, longer));
      }),
      { numRuns: 100 },
    );
  });

  it('lands whole business days on an open instant, the same working position or a closing', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 40 }), ({ def, from }, days) => {
        const calendar = BusinessCalendar.compile(def);
        const due = calendar.dueAt(new Date(from), { days, seconds: 0 }).getTime();
        expect(due).toBeGreaterThan(from);
        expect(calendar.isOpen(new Date(due)) || calendar.isOpen(new Date(due - 1))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Dated hours', () => {
  it('are exactly the working time of their date, whatever the week says', () => {
    fc.assert(
      fc.property(definition, instant, day, (def, from, ranges) => {
        const date = new Date(from).toISOString().slice(0, 10);
        // Daylight-saving days have their own unit tests: Luxon moves a skipped time elsewhere.
        fc.pre(!isTransitionDay(def.timezone, date));
        const calendar = BusinessCalendar.compile({ ...def, dates: { [date]: ranges } });
        const zone = def.timezone;
        const midnight = DateTime.fromISO(date, { zone });
        const expected = ranges.reduce((total, [start, end]) => {
          const open = DateTime.fromISO(`${date}T${start}`, { zone });
          const close = end === '24:00' ? midnight.plus({ days: 1 }) : DateTime.fromISO(`${date}T${end}`, { zone });
          return total + Math.max(0, close.toMillis() - open.toMillis()) / 1000;
        }, 0);
        const seconds = calendar.businessSecondsBetween(midnight.toJSDate(), midnight.plus({ days: 1 }).toJSDate());
        expect(seconds).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });
});

/** Whether the zone changes its offset during a local date (where a time may not exist, or happen twice). */
function isTransitionDay(zone: string, date: string): boolean {
  const start = DateTime.fromISO(date, { zone });
  return start.offset !== start.plus({ days: 1 }).offset;
}
