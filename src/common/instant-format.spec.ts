import { describeInstant, formatInstant, isoLocalDate, longLocalDate } from './instant-format.js';

describe('instants as their reader reads them', () => {
  const tenInMoscow = '2026-12-01T07:00:00.000Z';

  it('shows the reader’s zone, with the ISO form beside', () => {
    expect(describeInstant('2026-11-02T09:00:00.000Z', 'Europe/Paris')).toBe('Mon 2 Nov 2026, 10:00 Europe/Paris');
    expect(describeInstant(new Date('2026-11-02T09:00:00.000Z'), 'UTC')).toBe('Mon 2 Nov 2026, 09:00 UTC');
    expect(formatInstant(tenInMoscow, 'Europe/Paris')).toBe('Tue 1 Dec 2026, 08:00 Europe/Paris (2026-12-01T08:00+01:00)');
    expect(formatInstant(Date.parse(tenInMoscow), 'Europe/Moscow')).toBe('Tue 1 Dec 2026, 10:00 Europe/Moscow (2026-12-01T10:00+03:00)');
  });

  it('adds the meeting’s own time only when its zone differs, with the date when that differs too', () => {
    expect(formatInstant(tenInMoscow, 'Europe/Paris', 'Europe/Moscow')).toBe(
      'Tue 1 Dec 2026, 08:00 Europe/Paris (2026-12-01T08:00+01:00) · 10:00 in Europe/Moscow',
    );
    expect(formatInstant(tenInMoscow, 'Europe/Moscow', 'Europe/Moscow')).toBe('Tue 1 Dec 2026, 10:00 Europe/Moscow (2026-12-01T10:00+03:00)');
    expect(formatInstant(tenInMoscow, 'Europe/Moscow', null)).toBe('Tue 1 Dec 2026, 10:00 Europe/Moscow (2026-12-01T10:00+03:00)');
    expect(formatInstant('2026-12-01T16:30:00Z', 'Europe/Paris', 'Asia/Tokyo')).toBe(
      'Tue 1 Dec 2026, 17:30 Europe/Paris (2026-12-01T17:30+01:00) · Wed 2 Dec, 01:30 in Asia/Tokyo',
    );
  });

  it('names the day an instant falls on in the reader’s zone', () => {
    // 23:30 UTC on 30 November is already 1 December in Moscow.
    expect(longLocalDate('2026-11-30T23:30:00Z', 'Europe/Moscow')).toBe('Tuesday 1 December 2026');
    expect(longLocalDate('2026-11-30T23:30:00Z', 'America/New_York')).toBe('Monday 30 November 2026');
    expect(isoLocalDate('2026-11-30T23:30:00Z', 'Europe/Moscow')).toBe('2026-12-01');
  });
});
