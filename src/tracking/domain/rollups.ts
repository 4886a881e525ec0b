import { isBreachedOpen, partOf, type ClockFigures } from './compliance.js';
import { durationBucket } from './duration-histogram.js';

/**
 * Compliance rollups: per agreement, version, target and UTC hour, day, month and year of the
 * clocks' start, the counts compliance figures need and a histogram of the stopped clocks'
 * durations. A window is read as a few of them, added or taken away, and the clocks of the
 * minutes left at its ends (see coverWindow).
 */

export const ROLLUP_SPANS = ['hour', 'day', 'month', 'year'] as const;
export type RollupSpan = (typeof ROLLUP_SPANS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The start of the UTC hour, day, month or year an instant falls in. */
export function bucketStart(span: RollupSpan, instant: number): number {
  if (span === 'hour') return Math.floor(instant / HOUR_MS) * HOUR_MS;
  if (span === 'day') return Math.floor(instant / DAY_MS) * DAY_MS;
  const date = new Date(instant);
  return span === 'month' ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) : Date.UTC(date.getUTCFullYear(), 0, 1);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(span: RollupSpan, start: number): number {
  if (span === 'hour') return start + HOUR_MS;
  if (span === 'day') return start + DAY_MS;
  const date = new Date(start);
  return span === 'month' ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) : Date.UTC(date.getUTCFullYear() + 1, 0, 1);
}

/** The first bucket boundary at or after an instant. */
function boundaryAtOrAfter(span: RollupSpan, instant: number): number {
  const start = bucketStart(span, instant);
  return start === instant ? start : nextBucket(span, start);
}

/** How many buckets of a span start in [from, to), both aligned on it. */
function bucketsBetween(span: RollupSpan, from: number, to: number): number {
  if (span === 'hour') return (to - from) / HOUR_MS;
  if (span === 'day') return (to - from) / DAY_MS;
  let count = 0;
  for (let start = from; start < to; start = nextBucket(span, start)) count += 1;
  return count;
}

/** The rollups of one span whose bucket starts in [from, to), counted `weight` times (−1: taken away). */
export interface RollupRange {
  span: RollupSpan;
  from: number;
  to: number;
  weight: number;
}

/** Clocks that started in [from, to), read from the clocks table and counted `weight` times. */
export interface ClockRange {
  from: number;
  to: number;
  weight: number;
}

/** A window as rollups added and taken away, and the clocks of the minutes left at its ends. */
export interface WindowCover {
  ranges: RollupRange[];
  edges: ClockRange[];
}

/**
 * What reading costs, per bucket of each span (more stopped clocks, more histogram buckets to
 * read) and per hour of clocks read one by one: a Paris month is then one UTC month, two hours
 * added and two taken away, rather than thirty days and a day of hours.
 */
const READ_COST: Record<RollupSpan | 'clocks', number> = { hour: 1, day: 3, month: 6, year: 10, clocks: 30 };

/** Intervals of one kind, each with a weight, netted: maximal intervals of constant non-zero weight. */
function net(intervals: ClockRange[]): ClockRange[] {
  const changes = new Map<number, number>();
  for (const { from, to, weight } of intervals) {
    if (from === to || weight === 0) continue;
    changes.set(from, (changes.get(from) ?? 0) + weight);
    changes.set(to, (changes.get(to) ?? 0) - weight);
  }
  const points = [...changes.keys()].sort((a, b) => a - b);
  const netted: ClockRange[] = [];
  let weight = 0;
  for (let i = 0; i < points.length - 1; i++) {
    weight += changes.get(points[i]) as number;
    if (weight === 0) continue;
    const last = netted[netted.length - 1];
    if (last && last.to === points[i] && last.weight === weight) last.to = points[i + 1];
    else netted.push({ from: points[i], to: points[i + 1], weight });
  }
  return netted;
}

/**
 * The ways to reach an instant from the year boundaries: at each span, from the bucket boundary
 * before it or the one after it. `[year, month, day, hour]` boundaries.
 */
function pathsTo(instant: number): number[][] {
  let paths: number[][] = [[]];
  for (const span of [...ROLLUP_SPANS].reverse()) {
    const choices = [...new Set([bucketStart(span, instant), boundaryAtOrAfter(span, instant)])];
    paths = paths.flatMap((path) => choices.map((choice) => [...path, choice]));
  }
  return paths;
}

/**
 * Cuts [from, to) into rollups added or taken away and the clocks of the minutes at its ends,
 * at the least reading cost. Counts and histograms add up, so any instant of the window is
 * counted exactly once over all pieces, and any instant outside it nets to nothing. Each end is
 * reached from a year boundary through month, day and hour boundaries (before or after it); the
 * years between the two ends' year boundaries, and each end's steps, are netted per span.
 */
export function coverWindow(from: number, to: number): WindowCover {
  const descending = [...ROLLUP_SPANS].reverse();
  let best: { cover: WindowCover; cost: number } | undefined;
  for (const fromPath of pathsTo(from)) {
    for (const toPath of pathsTo(to)) {
      const bySpan = new Map<RollupSpan, ClockRange[]>(ROLLUP_SPANS.map((span) => [span, []]));
      const edges: ClockRange[] = [];
      // The years from one end's year boundary to the other's…
      (bySpan.get('year') as ClockRange[]).push(signed(fromPath[0], toPath[0], 1));
      // …then, from each end's year boundary to the end itself, its month, day and hour steps and its minutes.
      for (const [path, instant, sign] of [
        [toPath, to, 1],
        [fromPath, from, -1],
      ] as const) {
        for (let level = 1; level < descending.length; level++) (bySpan.get(descending[level]) as ClockRange[]).push(signed(path[level - 1], path[level], sign));
        edges.push(signed(path[path.length - 1], instant, sign));
      }
      const cover: WindowCover = { ranges: [], edges: net(edges) };
      let cost = 0;
      for (const [span, intervals] of bySpan) {
        for (const range of net(intervals)) {
          cover.ranges.push({ span, ...range });
          cost += READ_COST[span] * bucketsBetween(span, range.from, range.to);
        }
      }
      for (const edge of cover.edges) cost += (READ_COST.clocks * (edge.to - edge.from)) / HOUR_MS;
      if (!best || cost < best.cost) best = { cover, cost };
    }
  }
  return (best as { cover: WindowCover }).cover;
}

/** [a, b) counted `sign` times when a ≤ b, else [b, a) taken away. */
function signed(a: number, b: number, sign: number): ClockRange {
  return a <= b ? { from: a, to: b, weight: sign } : { from: b, to: a, weight: -sign };
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

/** A key's text form: the same for every writer, so sorting by it gives them all one order. */
export function rollupKeyText(key: RollupKey): string {
  return `${keyPrefix(key)}${key.span}\u0000${key.bucketStart}`;
}

function keyPrefix(key: Pick<RollupKey, 'agreementId' | 'versionId' | 'targetName'>): string {
  return `${key.agreementId}\u0000${key.versionId}\u0000${key.targetName}\u0000`;
}

/** The starts of the hour, day, month and year of an instant, with one Date for the last two. */
export function bucketStarts(instant: number): Record<RollupSpan, number> {
  const date = new Date(instant);
  return {
    hour: Math.floor(instant / HOUR_MS) * HOUR_MS,
    day: Math.floor(instant / DAY_MS) * DAY_MS,
    month: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    year: Date.UTC(date.getUTCFullYear(), 0, 1),
  };
}

/** What one clock adds to each rollup it counts in. */
interface Contribution {
  part: ReturnType<typeof partOf>;
  open: boolean;
  stopped: boolean;
  /** Its duration's histogram bucket, when stopped. */
  bucket: number;
}

function contributionOf(clock: RollupClock): Contribution | undefined {
  if (clock.state === 'void') return undefined;
  const stopped = clock.state === 'stopped';
  return { part: partOf(clock), open: isBreachedOpen(clock), stopped, bucket: stopped ? durationBucket(clock.elapsedSeconds) : 0 };
}

const sameContribution = (a: Contribution | undefined, b: Contribution | undefined) =>
  a === b || (!!a && !!b && a.part === b.part && a.open === b.open && a.stopped === b.stopped && a.bucket === b.bucket);

/**
 * The changes a set of clock writes makes to the rollups, summed per rollup: a write takes the
 * stored clock's contribution out and puts the new one in. Void clocks contribute nothing. A
 * sweep or a batch changes thousands of clocks: rollups are found by the clock's identity
 * (agreement, version, target) and then by number, each span's bucket start computed once.
 */
export class RollupDeltas {
  private readonly byIdentity = new Map<string, Map<RollupSpan, Map<number, RollupDelta>>>();

  /** `spans`: the rollups to change (a rebuild sums years from months instead). */
  constructor(private readonly spans: readonly RollupSpan[] = ROLLUP_SPANS) {}

  /** A clock written: `previous` as stored before (none for a new one), `next` as stored after (none if deleted). */
  change(previous: RollupClock | undefined, next: RollupClock | undefined): this {
    const before = previous && contributionOf(previous);
    const after = next && contributionOf(next);
    const previousPrefix = previous && keyPrefix(previous);
    const nextPrefix = next && keyPrefix(next);
    if (previous && next && previousPrefix === nextPrefix && previous.startedAt === next.startedAt) {
      // The same rollups before and after (the common rewrite, and every sweep): nothing, or one pass.
      if (sameContribution(before, after)) return this;
      return this.apply(next, nextPrefix as string, before, after);
    }
    if (previous && before) this.apply(previous, previousPrefix as string, before, undefined);
    if (next && after) this.apply(next, nextPrefix as string, undefined, after);
    return this;
  }

  add(clock: RollupClock, sign: 1 | -1): this {
    const contribution = contributionOf(clock);
    if (!contribution) return this;
    return sign > 0 ? this.apply(clock, keyPrefix(clock), undefined, contribution) : this.apply(clock, keyPrefix(clock), contribution, undefined);
  }

  /** Takes `out` away from and puts `into` into every rollup of the clock's identity (`prefix`) and start. */
  private apply(clock: RollupClock, prefix: string, out: Contribution | undefined, into: Contribution | undefined): this {
    const starts = bucketStarts(clock.startedAt);
    let bySpan = this.byIdentity.get(prefix);
    if (!bySpan) this.byIdentity.set(prefix, (bySpan = new Map()));
    for (const span of this.spans) {
      let byStart = bySpan.get(span);
      if (!byStart) bySpan.set(span, (byStart = new Map()));
      let delta = byStart.get(starts[span]);
      if (!delta) {
        const key: RollupKey = { agreementId: clock.agreementId, versionId: clock.versionId, targetName: clock.targetName, span, bucketStart: starts[span] };
        byStart.set(starts[span], (delta = { key, counts: zeroCounts(), durations: new Map() }));
      }
      if (out) addContribution(delta, out, -1);
      if (into) addContribution(delta, into, 1);
    }
    return this;
  }

  /** Adds to one rollup what another holds: its counts and histogram buckets (a year summed from its months). */
  addRollup(key: RollupKey, counts: RollupCounts, durations: Iterable<[number, number]>): this {
    const delta = this.deltaOf(key);
    for (const name of ROLLUP_COUNTS) delta.counts[name] += counts[name];
    for (const [bucket, count] of durations) addDuration(delta, bucket, count);
    return this;
  }

  private deltaOf(key: RollupKey): RollupDelta {
    const prefix = keyPrefix(key);
    let bySpan = this.byIdentity.get(prefix);
    if (!bySpan) this.byIdentity.set(prefix, (bySpan = new Map()));
    let byStart = bySpan.get(key.span);
    if (!byStart) bySpan.set(key.span, (byStart = new Map()));
    let delta = byStart.get(key.bucketStart);
    if (!delta) byStart.set(key.bucketStart, (delta = { key, counts: zeroCounts(), durations: new Map() }));
    return delta;
  }

  /**
   * The rollups that change, in the order of their keys' text (so that concurrent writers on
   * PostgreSQL lock rollup rows in one order); a rollup whose changes cancel out is left out.
   */
  changes(): RollupDelta[] {
    const changed: [string, RollupDelta][] = [];
    for (const bySpan of this.byIdentity.values()) {
      for (const byStart of bySpan.values()) {
        for (const delta of byStart.values()) {
          if (delta.durations.size > 0 || ROLLUP_COUNTS.some((name) => delta.counts[name] !== 0)) changed.push([rollupKeyText(delta.key), delta]);
        }
      }
    }
    return changed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
  }
}

function addContribution(delta: RollupDelta, contribution: Contribution, sign: number): void {
  delta.counts[contribution.part] += sign;
  if (contribution.open) delta.counts.breachedOpen += sign;
  if (contribution.stopped) {
    delta.counts.stopped += sign;
    addDuration(delta, contribution.bucket, sign);
  }
}

function addDuration(delta: RollupDelta, bucket: number, count: number): void {
  const left = (delta.durations.get(bucket) ?? 0) + count;
  if (left === 0) delta.durations.delete(bucket);
  else delta.durations.set(bucket, left);
}
