import fc from 'fast-check';
import { BusinessCalendar, parseBusinessDuration } from '../../calendars/business-time/index.js';
import { closingTime, conversionFigures, conversionsShort, hasConverted, projectedPercent, statusAt, verdict, type CohortMember, type ConversionFigures } from './conversion.js';
import { periodContaining } from './periods.js';

const weekdays = [['09:00', '18:00']];
const paris = BusinessCalendar.compile({ timezone: 'Europe/Paris', hours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } });
const tenDays = parseBusinessDuration('P10D');
const windowEnd = (enteredAt: number) => paris.dueAtMs(enteredAt, tenDays);
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('conversion of a cohort', () => {
  const november = periodContaining(at('2026-11-15T12:00:00Z'), 'month', 'Europe/Paris');

  it('gives a subject ten business days from its own entry, the end included', () => {
    // Friday 27 November, 10:00 in Paris: ten business days later is Friday 11 December, 10:00.
    const entered = at('2026-11-27T09:00:00Z');
    expect(new Date(windowEnd(entered)).toISOString()).toBe('2026-12-11T09:00:00.000Z');
    expect(hasConverted({ enteredAt: entered, reachedAt: at('2026-12-11T09:00:00Z') }, windowEnd)).toBe(true);
    expect(hasConverted({ enteredAt: entered, reachedAt: at('2026-12-11T09:00:01Z') }, windowEnd)).toBe(false);
    expect(hasConverted({ enteredAt: entered, reachedAt: entered - 1 }, windowEnd)).toBe(false);
    expect(hasConverted({ enteredAt: entered, reachedAt: null }, windowEnd)).toBe(false);
  });

  it('counts the closed-loop month: 20 MQLs, 8 SQLs a day later, 40 %; open until the last window passes', () => {
    const members: CohortMember[] = [];
    for (let i = 0; i < 20; i++) {
      const week = Math.floor(i / 5);
      const enteredAt = at('2026-11-02T09:00:00Z') + (week * 7 + (i % 5)) * DAY;
      members.push({ enteredAt, reachedAt: (i < 6 || (i >= 10 && i < 12)) ? enteredAt + DAY : null });
    }
    const early = conversionFigures(members, windowEnd, at('2026-12-05T09:00:00Z'));
    expect(early).toMatchObject({ cohort: 20, converted: 8, percent: 40 });
    expect(early.pending).toBeGreaterThan(0);
    expect(new Date(early.lastWindowEnd as number).toISOString()).toBe('2026-12-11T09:00:00.000Z');
    expect(statusAt(early, november.end, 50, at('2026-12-05T09:00:00Z'))).toBe('open');
    expect(statusAt(early, november.end, 50, at('2026-12-11T08:59:59Z'))).toBe('open');
    const final = conversionFigures(members, windowEnd, at('2026-12-11T09:00:00Z'));
    expect(final).toMatchObject({ cohort: 20, converted: 8, lapsed: 12, pending: 0 });
    expect(statusAt(final, november.end, 50, at('2026-12-11T09:00:00Z'))).toBe('missed');
    expect(statusAt(final, november.end, 40, at('2026-12-11T09:00:00Z'))).toBe('met');
  });

  it('closes no earlier than the end of the period, even when every window ends before it', () => {
    expect(closingTime(november.end, null)).toBe(november.end);
    expect(closingTime(november.end, november.end - DAY)).toBe(november.end);
    expect(closingTime(november.end, november.end + DAY)).toBe(november.end + DAY);
  });

  it('meets an empty cohort, and a 0 % minimum always', () => {
    const empty = conversionFigures([], windowEnd, 0);
    expect(empty).toEqual({ cohort: 0, converted: 0, percent: null, lapsed: 0, pending: 0, lastWindowEnd: null });
    expect(verdict(empty, 50)).toBe('met');
    expect(verdict({ percent: 0 }, 0)).toBe('met');
    expect(projectedPercent(empty)).toBeNull();
  });

  it('projects the pending subjects at the rate of the decided ones', () => {
    const figures: ConversionFigures = { cohort: 20, converted: 6, lapsed: 4, pending: 10, percent: 30, lastWindowEnd: 0 };
    // 6 of 10 decided converted: 10 pending → 6 more; 12 of 20.
    expect(projectedPercent(figures)).toBe(60);
    expect(projectedPercent({ ...figures, converted: 0, lapsed: 0, pending: 20, percent: 0 })).toBeNull();
    expect(projectedPercent({ ...figures, lapsed: 14, pending: 0 })).toBe(30);
  });

  it('says how many conversions a missed period lacked', () => {
    expect(conversionsShort({ cohort: 20, converted: 8 }, 50)).toBe(2);
    expect(conversionsShort({ cohort: 20, converted: 9 }, 50)).toBe(1);
    expect(conversionsShort({ cohort: 20, converted: 10 }, 50)).toBe(0);
    expect(conversionsShort({ cohort: 0, converted: 0 }, 50)).toBe(0);
    expect(conversionsShort({ cohort: 7, converted: 0 }, 100)).toBe(7);
    // Two of three is 66.67 %, rounded as the verdict rounds: a 66.67 % minimum is met by two.
    expect(conversionsShort({ cohort: 3, converted: 1 }, 66.67)).toBe(1);
    expect(conversionsShort({ cohort: 3, converted: 2 }, 66.67)).toBe(0);
  });
});

describe('conversion properties', () => {
  const start = at('2026-11-01T00:00:00Z');
  const member = fc
    .record({ entered: fc.integer({ min: 0, max: 60 * DAY }), lag: fc.option(fc.integer({ min: -5 * DAY, max: 40 * DAY }), { nil: null }) })
    .map(({ entered, lag }): CohortMember => ({ enteredAt: start + entered, reachedAt: lag === null ? null : start + entered + lag }));
  const now = fc.integer({ min: 0, max: 120 * DAY }).map((offset) => start + offset);

  it('splits every cohort into converted, lapsed and pending, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 40 }), now, (members, instant) => {
        const figures = conversionFigures(members, windowEnd, instant);
        expect(figures.converted + figures.lapsed + figures.pending).toBe(members.length);
        expect(figures.converted).toBeLessThanOrEqual(figures.cohort);
        if (figures.percent !== null) expect(figures.percent).toBeGreaterThanOrEqual(0);
        if (figures.percent !== null) expect(figures.percent).toBeLessThanOrEqual(100);
        expect(conversionFigures([...members].reverse(), windowEnd, instant)).toEqual(figures);
      }),
    );
  });

  it('projects between the share converted and the share that could still convert', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 40 }), now, (members, instant) => {
        const figures = conversionFigures(members, windowEnd, instant);
        const projected = projectedPercent(figures);
        if (projected === null) return;
        expect(projected).toBeGreaterThanOrEqual((figures.percent as number) - 0.01);
        expect(projected).toBeLessThanOrEqual(((figures.converted + figures.pending) * 100) / figures.cohort + 0.01);
      }),
    );
  });

  it('leaves nobody pending once the period can close, so the verdict no longer changes with time', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 40 }), fc.integer({ min: 0, max: 30 * DAY }), (members, later) => {
        const periodEnd = start + 61 * DAY;
        const probe = conversionFigures(members, windowEnd, start);
        const closes = closingTime(periodEnd, probe.lastWindowEnd);
        expect(closes).toBeGreaterThanOrEqual(periodEnd);
        for (const m of members) expect(closes).toBeGreaterThanOrEqual(windowEnd(m.enteredAt));
        const atClose = conversionFigures(members, windowEnd, closes);
        const after = conversionFigures(members, windowEnd, closes + later);
        expect(atClose.pending).toBe(0);
        expect(after).toEqual(atClose);
        expect(projectedPercent(atClose)).toBe(atClose.percent);
        expect(statusAt(atClose, periodEnd, 50, closes)).toBe(verdict(atClose, 50));
      }),
    );
  });

  it('lacks conversions exactly when the verdict is missed, and no more than it needs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }).chain((cohort) => fc.tuple(fc.constant(cohort), fc.integer({ min: 0, max: cohort }))),
        fc.integer({ min: 0, max: 10_000 }).map((hundredths) => hundredths / 100),
        ([cohort, converted], minimumPercent) => {
          // As conversionFigures rounds the percent.
          const percentOf = (count: number) => (cohort === 0 ? null : Math.round(((count * 100) / cohort) * 100) / 100);
          const short = conversionsShort({ cohort, converted }, minimumPercent);
          expect(short > 0).toBe(verdict({ percent: percentOf(converted) }, minimumPercent) === 'missed');
          expect(verdict({ percent: percentOf(converted + short) }, minimumPercent)).toBe('met');
          if (short > 0) expect(verdict({ percent: percentOf(converted + short - 1) }, minimumPercent)).toBe('missed');
        },
      ),
    );
  });

  it('never counts fewer conversions when a subject reaches the second stage earlier within its window', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 30 }), fc.nat(), now, (members, pick, instant) => {
        const index = pick % members.length;
        const moved = members.map((m, i) => (i === index ? { ...m, reachedAt: m.enteredAt } : m));
        expect(conversionFigures(moved, windowEnd, instant).converted).toBeGreaterThanOrEqual(conversionFigures(members, windowEnd, instant).converted);
      }),
    );
  });
});
