import { isBreachedOpen, partOf, type ClockFigures } from './compliance.js';
import { durationBucket } from './duration-histogram.js';

/**
 * Compliance rollups: per agreement, version, target and UTC hour, day and month of the clocks'
 * start, the counts compliance figures need and a histogram of the stopped clocks' durations.
 * A window is read as whole months, then whole days, then whole hours at its ends, and the few
 * clocks of its partial hours (see coverWindow).
 */

export const ROLLUP_SPANS = ['hour', 'day', 'month'] as const;
export type RollupSpan = (typeof ROLLUP_SPANS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The start of the UTC hour, day or month an instant falls in. */
export function bucketStart(span: RollupSpan, instant: number): number {
  if (span === 'hour') return Math.floor(instant / HOUR_MS) * HOUR_MS;
  if (span === 'day') return Math.floor(instant / DAY_MS) * DAY_MS;
  const date = new Date(instant);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(span: RollupSpan, start: number): number {
  if (span === 'hour') return start + HOUR_MS;
  if (span === 'day') return start + DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** The first bucket boundary at or after an instant. */
function boundaryAtOrAfter(span: RollupSpan, instant: number): number {
  const start = bucketStart(span, instant);
  return start === instant ? start : nextBucket(span, start);
}

/** Buckets of one span whose start lies in [from, to): each lies wholly inside it. */
export interface RollupRange {
  span: RollupSpan;
  from: number;
  to: number;
}

/** A window as rollup buckets, and the partial hours at its ends, read from the clocks. */
export interface WindowCover {
  ranges: RollupRange[];
  edges: { from: number; to: number }[];
}

/**
 * Cuts [from, to) into the fewest buckets: whole months inside, whole days beside them, whole
 * hours beside those, and what is left at each end (less than an hour) as edges. Every instant
 * of the window lies in exactly one range's bucket or one edge.
 */
export function coverWindow(from: number, to: number): WindowCover {
  const cover: WindowCover = { ranges: [], edges: [] };
  const start = boundaryAtOrAfter('hour', from);
  const end = bucketStart('hour', to);
  if (start >= end) {
    if (from < to) cover.edges.push({ from, to });
    return cover;
  }
  if (from < start) cover.edges.push({ from, to: start });
  if (end < to) cover.edges.push({ from: end, to });
  coverAligned(cover, start, end, 0);
  return cover;
}

/** Covers [from, to), aligned on ROLLUP_SPANS[level], with that span and the coarser ones. */
function coverAligned(cover: WindowCover, from: number, to: number, level: number): void {
  const span = ROLLUP_SPANS[level];
  const coarser = ROLLUP_SPANS[level + 1];
  if (coarser !== undefined) {
    const start = boundaryAtOrAfter(coarser, from);
    const end = bucketStart(coarser, to);
    if (start < end) {
      if (from < start) cover.ranges.push({ span, from, to: start });
      if (end < to) cover.ranges.push({ span, from: end, to });
      coverAligned(cover, start, end, level + 1);
      return;
    }
  }
  cover.ranges.push({ span, from, to });
}

/** The counts a rollup keeps; each clock adds to one part, and maybe to breachedOpen and stopped. */
export const ROLLUP_COUNTS = ['met', 'breached', 'running', 'paused', 'cancelled', 'breachedOpen', 'stopped'] as const;
export type RollupCounts = Record<(typeof ROLLUP_COUNTS)[number], number>;

export function zeroCounts(): RollupCounts {
  return { met: 0, breached: 0, running: 0, paused: 0, cancelled: 0, breachedOpen: 0, stopped: 0 };
}

/** What a clock contributes to rollups. */
export interface RollupClock extends ClockFigures {
  agreementId: string;
  versionId: string;
  /** Epoch ms. */
  startedAt: number;
}

export interface RollupKey {
  agreementId: string;
  versionId: string;
  targetName: string;
  span: RollupSpan;
  /** Epoch ms. */
  bucketStart: number;
}

/** A change to one rollup: counts to add (negative to take away) and duration buckets to add. */
export interface RollupDelta {
  key: RollupKey;
  counts: RollupCounts;
  /** Duration bucket → count to add; never 0. */
  durations: Map<number, number>;
}

/** A key's text form; sorts as the rollups' unique index does (agreement, span, start, version, target). */
export function rollupKeyText(key: RollupKey): string {
  return [key.agreementId, key.span, String(key.bucketStart).padStart(16, '0'), key.versionId, key.targetName].join('\u0000');
}

/**
 * The changes a set of clock writes makes to the rollups, summed per rollup: a write takes the
 * stored clock's contribution out and puts the new one in. Void clocks contribute nothing.
 */
export class RollupDeltas {
  private readonly byKey = new Map<string, RollupDelta>();

  /** A clock written: `previous` as stored before (none for a new one), `next` as stored after (none if deleted). */
  change(previous: RollupClock | undefined, next: RollupClock | undefined): this {
    if (previous) this.add(previous, -1);
    if (next) this.add(next, 1);
    return this;
  }

  add(clock: RollupClock, sign: 1 | -1): this {
    if (clock.state === 'void') return this;
    const part = partOf(clock);
    const open = isBreachedOpen(clock);
    const stopped = clock.state === 'stopped';
    const bucket = stopped ? durationBucket(clock.elapsedSeconds) : 0;
    for (const span of ROLLUP_SPANS) {
      const key: RollupKey = {
        agreementId: clock.agreementId,
        versionId: clock.versionId,
        targetName: clock.targetName,
        span,
        bucketStart: bucketStart(span, clock.startedAt),
      };
      const text = rollupKeyText(key);
      let delta = this.byKey.get(text);
      if (!delta) this.byKey.set(text, (delta = { key, counts: zeroCounts(), durations: new Map() }));
      delta.counts[part] += sign;
      if (open) delta.counts.breachedOpen += sign;
      if (stopped) {
        delta.counts.stopped += sign;
        const count = (delta.durations.get(bucket) ?? 0) + sign;
        if (count === 0) delta.durations.delete(bucket);
        else delta.durations.set(bucket, count);
      }
    }
    return this;
  }

  /**
   * The rollups that change, in key order (so that concurrent writers on PostgreSQL lock rollup
   * rows in one order); a rollup whose changes cancel out is left out.
   */
  changes(): RollupDelta[] {
    return [...this.byKey]
      .filter(([, delta]) => delta.durations.size > 0 || ROLLUP_COUNTS.some((name) => delta.counts[name] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, delta]) => delta);
  }
}
