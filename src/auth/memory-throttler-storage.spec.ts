import { MemoryThrottlerStorage } from './memory-throttler-storage.js';

const MINUTE = 60_000;

describe('MemoryThrottlerStorage', () => {
  let now: number;
  let storage: MemoryThrottlerStorage;
  beforeEach(() => {
    now = Date.parse('2026-11-02T08:00:00Z');
    storage = new MemoryThrottlerStorage(() => now);
  });

  const hits = async (count: number, key = 'a', blockDuration = MINUTE, limit = 3) => {
    const records = [];
    for (let i = 0; i < count; i++) records.push(await storage.increment(key, MINUTE, limit, blockDuration, 'test'));
    return records;
  };

  describe('with a block (guessers)', () => {
    it('lets `limit` hits through, blocks the next one for the block duration, then counts afresh', async () => {
      const records = await hits(4);
      expect(records.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
      expect(records[2]).toMatchObject({ totalHits: 3, timeToBlockExpire: 0 });
      expect(records[3].timeToBlockExpire).toBe(60);

      now += 45_000;
      const still = await storage.increment('a', MINUTE, 3, MINUTE, 'test');
      expect(still).toMatchObject({ isBlocked: true, timeToBlockExpire: 15 });

      now += 15_000;
      const after = await hits(4);
      expect(after.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
    });

    it('keeps keys and throttler names apart', async () => {
      await hits(4, 'a');
      expect((await hits(1, 'b'))[0].isBlocked).toBe(false);
      expect((await storage.increment('a', MINUTE, 3, MINUTE, 'other')).isBlocked).toBe(false);
    });

    it('forgets hits older than the window', async () => {
      await hits(3);
      now += MINUTE;
      expect((await hits(3)).every((r) => !r.isBlocked)).toBe(true);
    });
  });

  describe('without a block (budgets)', () => {
    it('refuses hits past the limit without counting them, until the oldest is a window old', async () => {
      await hits(1, 'a', 0);
      now += 20_000;
      await hits(2, 'a', 0);
      const refused = await hits(2, 'a', 0);
      expect(refused.map((r) => [r.isBlocked, r.totalHits, r.timeToBlockExpire])).toEqual([
        [true, 3, 40],
        [true, 3, 40],
      ]);
      now += 40_000;
      const [again, full] = await hits(2, 'a', 0);
      expect(again).toMatchObject({ isBlocked: false, totalHits: 3 });
      expect(full.isBlocked).toBe(true);
    });
  });

  it('forgets hits and blocks "from the future" when the clock is set back', async () => {
    await hits(4);
    now -= 86_400_000;
    expect((await hits(3)).every((r) => !r.isBlocked)).toBe(true);
  });

  it('drops idle keys once a window has passed', async () => {
    for (let i = 0; i < 50; i++) await storage.increment(`ip-${i}`, MINUTE, 3, MINUTE, 'test');
    expect(storage.size).toBe(50);
    now += MINUTE;
    await storage.increment('fresh', MINUTE, 3, MINUTE, 'test');
    expect(storage.size).toBe(1);
  });
});
