import { BusinessCalendar } from '../../calendars/business-time/index.js';
import { quotaPace } from './pacing.js';
import { periodContaining, periodsBetween } from './periods.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('quota periods', () => {
  it('cuts months at local midnight, across a daylight-saving change', () => {
    const october = periodContaining(Date.parse('2026-10-15T12:00:00Z'), 'month', 'Europe/Paris');
    expect(october.label).toBe('2026-10');
    expect(iso(october.start)).toBe('2026-09-30T22:00:00.000Z');
    expect(iso(october.end)).toBe('2026-10-31T23:00:00.000Z');
  });

  it('puts an instant just after local midnight in the new month', () => {
    expect(periodContaining(Date.parse('2026-10-31T23:30:00Z'), 'month', 'Europe/Paris').label).toBe('2026-11');
    expect(periodContaining(Date.parse('2026-10-31T23:30:00Z'), 'month', 'UTC').label).toBe('2026-10');
  });

  it('cuts ISO weeks from Monday and quarters from their first month', () => {
    const week = periodContaining(Date.parse('2026-11-04T10:00:00Z'), 'week', 'America/New_York');
    expect(week.label).toBe('2026-W45');
    expect(iso(week.start)).toBe('2026-11-02T05:00:00.000Z');
    const newYearWeek = periodContaining(Date.parse('2027-01-01T10:00:00Z'), 'week', 'UTC');
    expect(newYearWeek.label).toBe('2026-W53');
    const quarter = periodContaining(Date.parse('2026-11-04T10:00:00Z'), 'quarter', 'Australia/Sydney');
    expect(quarter.label).toBe('2026-Q4');
    expect(iso(quarter.end)).toBe('2026-12-31T13:00:00.000Z');
  });

  it('lists consecutive periods without gaps', () => {
    const periods = periodsBetween(Date.parse('2026-01-15T00:00:00Z'), Date.parse('2026-04-02T00:00:00Z'), 'month', 'Europe/Paris');
    expect(periods.map((p) => p.label)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    for (let i = 1; i < periods.length; i++) expect(periods[i].start).toBe(periods[i - 1].end);
  });
});

describe('quotaPace', () => {
  const office = BusinessCalendar.compile({
    timezone: 'UTC',
    hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  });
  const november = periodContaining(Date.parse('2026-11-10T00:00:00Z'), 'month', 'UTC');

  it('projects the count at the end of the period from the working time gone by', () => {
    // 21 working days in November 2026; after the first 7 (to Tuesday the 10th, close), 70 leads.
    const pace = quotaPace(office, 70, 200, november.start, november.end, Date.parse('2026-11-10T17:00:00Z'));
    expect(pace.projected).toBe(210);
    expect(pace.onTrack).toBe(true);
    expect(pace.elapsedShare).toBeCloseTo(7 / 21);
  });

  it('does not let a weekend drag the projection down', () => {
    const friday = quotaPace(office, 50, 200, november.start, november.end, Date.parse('2026-11-06T17:00:00Z'));
    const sunday = quotaPace(office, 50, 200, november.start, november.end, Date.parse('2026-11-08T20:00:00Z'));
    expect(sunday.projected).toBe(friday.projected);
    expect(friday.projected).toBe(210);
  });

  it('has no projection before any working time has passed', () => {
    expect(quotaPace(office, 3, 200, november.start, november.end, november.start).projected).toBeNull();
  });
});
