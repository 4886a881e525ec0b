import { monthWindows } from './month-windows.js';

describe('monthWindows', () => {
  it('cuts the months at midnight in the zone, the current one ending just after now', () => {
    const windows = monthWindows(new Date('2026-11-24T10:00:00Z'), 'Europe/Paris', 3);
    expect(windows).toEqual([
      { label: 'Sep 2026', from: '2026-09-01T00:00:00.000+02:00', to: '2026-10-01T00:00:00.000+02:00' },
      { label: 'Oct 2026', from: '2026-10-01T00:00:00.000+02:00', to: '2026-11-01T00:00:00.000+01:00' },
      { label: 'Nov 2026', from: '2026-11-01T00:00:00.000+01:00', to: '2026-11-24T11:00:00.001+01:00' },
    ]);
  });

  it('takes the local month, not the UTC one, at a month boundary', () => {
    // 23:30 UTC on 31 Dec is already January in Paris, still December in New York.
    expect(monthWindows(new Date('2026-12-31T23:30:00Z'), 'Europe/Paris', 1)[0].label).toBe('Jan 2027');
    expect(monthWindows(new Date('2026-12-31T23:30:00Z'), 'America/New_York', 1)[0].label).toBe('Dec 2026');
  });

  it('gives the current month a window at midnight on its first day, not an empty one', () => {
    const [current] = monthWindows(new Date('2027-01-01T00:00:00Z'), 'UTC', 1);
    expect(current).toEqual({ label: 'Jan 2027', from: '2027-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.001Z' });
  });

  it('crosses a year backwards', () => {
    expect(monthWindows(new Date('2027-02-10T12:00:00Z'), 'UTC', 4).map((w) => w.label)).toEqual(['Nov 2026', 'Dec 2026', 'Jan 2027', 'Feb 2027']);
  });
});
