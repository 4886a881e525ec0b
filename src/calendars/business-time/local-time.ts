import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Turns local wall-clock times of one IANA zone into instants.
 *
 * A local time is taken as the first instant at which the zone's clock shows it:
 * - a time that does not exist (the hour skipped when clocks spring forward) begins at the
 *   transition itself, e.g. 02:30 on Paris' spring-forward day is 03:00 CEST;
 * - a time that happens twice (clocks fall back) is its first occurrence.
 * So a working interval lasts exactly as long as the clock on the wall says it does.
 */
export class LocalTimeResolver {
  private readonly zone: IANAZone;

  constructor(timezone: string) {
    this.zone = IANAZone.create(timezone);
  }

  /** Offset in minutes east of UTC at an instant. */
  offsetAt(epochMs: number): number {
    return this.zone.offset(epochMs);
  }

  /**
   * The UTC offset (minutes) that holds for the whole local date, or undefined when the offset
   * changes on or near it. Lets the caller resolve a whole ordinary day with two zone look-ups.
   */
  steadyOffsetOn(year: number, month: number, day: number): number | undefined {
    const midnight = Date.UTC(year, month - 1, day);
    const before = this.offsetAt(midnight - DAY_MS);
    return this.offsetAt(midnight + 2 * DAY_MS) === before ? before : undefined;
  }

  /** The instant of `minuteOfDay` (0–1440) on the local date year-month-day, epoch ms. */
  instantOf(year: number, month: number, day: number, minuteOfDay: number): number {
    const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE_MS;
    const offsetBefore = this.offsetAt(wall - DAY_MS);
    const offsetAfter = this.offsetAt(wall + DAY_MS);
    const early = wall - offsetBefore * MINUTE_MS;
    const late = wall - offsetAfter * MINUTE_MS;
    const earlyValid = this.offsetAt(early) === offsetBefore;
    const lateValid = this.offsetAt(late) === offsetAfter;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // In the gap: the clock jumps over `wall`; the first instant showing a later time is the transition.
    return this.transitionBetween(Math.min(early, late), Math.max(early, late));
  }

  /** The first instant in (low, high] whose offset differs from the offset at `low`, to the second. */
  private transitionBetween(low: number, high: number): number {
    const offsetLow = this.offsetAt(low);
    let lo = low;
    let hi = high;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.offsetAt(mid) === offsetLow) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}
