import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Counter {
  /** When each counted hit happened (ms), oldest first. */
  hits: number[];
  blockedAt: number;
  blockedUntil: number;
}

/**
 * @nestjs/throttler's storage contract, kept in this process's memory and read on a clock it is
 * given (the service's injected Clock), so tests move time instead of waiting for it.
 *
 * - `blockDuration > 0`: every hit counts; the hit past `limit` within `ttl` blocks the key for
 *   `blockDuration`, after which counting starts afresh (guessers).
 * - `blockDuration <= 0`: a sliding window; a hit past `limit` is refused and not counted, until
 *   the oldest counted hit is `ttl` old (budgets).
 *
 * A clock set back in time (tests, replays) forgets hits and blocks "from the future" rather than
 * keeping them for longer. Keys idle for a window are dropped, at most once per window.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly counters = new Map<string, Counter>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private longestWindow = 0;

  constructor(private readonly now: () => number) {}

  /** How many keys are held (for tests of the sweep). */
  get size(): number {
    return this.counters.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.longestWindow = Math.max(this.longestWindow, ttl, blockDuration);
    this.sweep(now);
    const id = `${throttlerName}\u0000${key}`;
    let counter = this.counters.get(id);
    if (!counter) {
      counter = { hits: [], blockedAt: 0, blockedUntil: 0 };
      this.counters.set(id, counter);
    }
    forgetOld(counter, now, ttl);

    const blocked = counter.blockedAt <= now && now < counter.blockedUntil;
    if (blocked) return record(counter, now, ttl, counter.blockedUntil);
    if (counter.blockedUntil !== 0) Object.assign(counter, { blockedAt: 0, blockedUntil: 0 });

    if (blockDuration > 0) {
      counter.hits.push(now);
      if (counter.hits.length <= limit) return record(counter, now, ttl, null);
      Object.assign(counter, { hits: [], blockedAt: now, blockedUntil: now + blockDuration });
      return record(counter, now, ttl, counter.blockedUntil);
    }
    if (counter.hits.length >= limit) return record(counter, now, ttl, counter.hits[0] + ttl);
    counter.hits.push(now);
    return record(counter, now, ttl, null);
  }

  private sweep(now: number): void {
    if (now >= this.lastSweep && now - this.lastSweep < this.longestWindow) return;
    this.lastSweep = now;
    for (const [id, counter] of this.counters) {
      const blocked = counter.blockedAt <= now && now < counter.blockedUntil;
      const live = counter.hits.some((hit) => hit <= now && now - hit < this.longestWindow);
      if (!blocked && !live) this.counters.delete(id);
    }
  }
}

/** Drops hits older than the window, and hits after `now` when the clock was set back. */
function forgetOld(counter: Counter, now: number, ttl: number): void {
  const last = counter.hits[counter.hits.length - 1];
  if (last !== undefined && last > now) {
    counter.hits = counter.hits.filter((hit) => hit <= now && now - hit < ttl);
    return;
  }
  let expired = 0;
  while (expired < counter.hits.length && now - counter.hits[expired] >= ttl) expired += 1;
  if (expired > 0) counter.hits.splice(0, expired);
}

function record(counter: Counter, now: number, ttl: number, refusedUntil: number | null): ThrottlerStorageRecord {
  const oldest = counter.hits[0];
  return {
    totalHits: counter.hits.length,
    timeToExpire: oldest === undefined ? Math.ceil(ttl / 1000) : Math.ceil((oldest + ttl - now) / 1000),
    isBlocked: refusedUntil !== null,
    timeToBlockExpire: refusedUntil === null ? 0 : Math.max(1, Math.ceil((refusedUntil - now) / 1000)),
  };
}
