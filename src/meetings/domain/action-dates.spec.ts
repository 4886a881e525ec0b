import { isOverdue, localToday } from './action-dates.js';

describe('action item dates', () => {
  // 23:30 UTC on 20 November: already the 21st in Paris and Sydney, still the 20th in New York.
  const now = new Date('2026-11-20T23:30:00Z');

  it('reads today in the owner’s zone', () => {
    expect(localToday(now, 'Europe/Paris')).toBe('2026-11-21');
    expect(localToday(now, 'America/New_York')).toBe('2026-11-20');
  });

  it('is overdue once the due date has passed where the owner lives', () => {
    expect(isOverdue('2026-11-20', now, 'Europe/Paris')).toBe(true);
    expect(isOverdue('2026-11-20', now, 'America/New_York')).toBe(false);
    expect(isOverdue('2026-11-21', now, 'Australia/Sydney')).toBe(false);
    expect(isOverdue(null, now, 'Europe/Paris')).toBe(false);
  });
});
