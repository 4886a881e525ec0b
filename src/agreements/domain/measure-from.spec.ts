import { MAX_MEASURE_FROM_DAYS, measureFromProblem, measuringStart } from './measure-from.js';

const DAY = 86_400_000;
const now = Date.parse('2026-12-06T10:00:00Z');

describe('measureFrom', () => {
  it('accepts the approval instant itself and anything up to 400 days before it', () => {
    expect(measureFromProblem(now, now)).toBeNull();
    expect(measureFromProblem(now - 30 * DAY, now)).toBeNull();
    expect(measureFromProblem(now - MAX_MEASURE_FROM_DAYS * DAY, now)).toBeNull();
  });

  it('refuses 400 days and a millisecond back, naming the earliest instant allowed', () => {
    expect(measureFromProblem(now - MAX_MEASURE_FROM_DAYS * DAY - 1, now)).toBe(
      'measureFrom must be at most 400 days before the approval (not before 2025-11-01T10:00:00.000Z)',
    );
    expect(measureFromProblem(now - 401 * DAY, now)).toMatch(/^measureFrom must be at most 400 days/);
  });

  it('refuses an instant after now', () => {
    expect(measureFromProblem(now + 1, now)).toMatch(/^measureFrom cannot be in the future/);
  });

  it('lets only the first version in force reach back before its approval', () => {
    const approved = now;
    expect(measuringStart(approved, now - 5 * DAY, true)).toBe(now - 5 * DAY);
    expect(measuringStart(approved, null, true)).toBe(approved);
    // A later version starts where the one before it stopped: its approval.
    expect(measuringStart(approved, now - 5 * DAY, false)).toBe(approved);
    // A measureFrom after the approval changes nothing.
    expect(measuringStart(approved, now + DAY, true)).toBe(approved);
  });
});
