import { periodCounts } from './period-counts.js';

describe('periodCounts', () => {
  it('counts each period once: met, missed as breached, open as running; the share met of those decided', () => {
    expect(periodCounts(['met', 'missed', 'met', 'open'])).toEqual({
      total: 4,
      met: 2,
      breached: 1,
      breachedOpen: 0,
      running: 1,
      paused: 0,
      cancelled: 0,
      metPercent: 66.67,
      medianSeconds: null,
      p90Seconds: null,
    });
    expect(periodCounts(['open']).metPercent).toBeNull();
    expect(periodCounts([]).total).toBe(0);
  });
});
