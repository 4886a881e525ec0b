import { MAX_DELIVERY_ATTEMPTS, nextRetry } from './delivery-retry.js';

describe('when a failed delivery is retried', () => {
  const failedAt = new Date('2026-11-17T10:00:00Z');

  it('backs off after each failure: 1 min, 5 min, 30 min, 2 h, 12 h', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => nextRetry(attempts, failedAt)?.toISOString())).toEqual([
      '2026-11-17T10:01:00.000Z',
      '2026-11-17T10:05:00.000Z',
      '2026-11-17T10:30:00.000Z',
      '2026-11-17T12:00:00.000Z',
      '2026-11-17T22:00:00.000Z',
    ]);
  });

  it('stops after MAX_DELIVERY_ATTEMPTS attempts in all, the first included', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(6);
    expect(nextRetry(MAX_DELIVERY_ATTEMPTS, failedAt)).toBeNull();
    expect(nextRetry(MAX_DELIVERY_ATTEMPTS + 3, failedAt)).toBeNull();
    expect(nextRetry(0, failedAt)).toBeNull();
  });
});
