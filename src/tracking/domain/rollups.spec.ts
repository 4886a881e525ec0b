import fc from 'fast-check';
import { durationBucket } from './duration-histogram.js';
import { bucketStart, coverWindow, ROLLUP_SPANS, RollupDeltas, type RollupClock, type RollupDelta } from './rollups.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** How many times a window's cover counts a clock started at an instant: its pieces' weights. */
function timesCounted(cover: ReturnType<typeof coverWindow>, instant: number): number {
  const inEdges = cover.edges.filter((edge) => edge.from <= instant && instant < edge.to).reduce((sum, edge) => sum + edge.weight, 0);
  const inRanges = cover.ranges
    .filter((range) => {
      const start = bucketStart(range.span, instant);
      return range.from <= start && start < range.to;
    })
    .reduce((sum, range) => sum + range.weight, 0);
  return inEdges + inRanges;
}

const plain = (changes: RollupDelta[]) => changes.map((change) => ({ ...change, durations: [...change.durations].sort((a, b) => a[0] - b[0]) }));

describe('rollup buckets', () => {
  it('starts hours, days, months and years in UTC', () => {
    const instant = at('2026-11-15T13:45:12.345Z');
    expect(ROLLUP_SPANS.map((span) => new Date(bucketStart(span, instant)).toISOString())).toEqual([
      '2026-11-15T13:00:00.000Z',
      '2026-11-15T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  const described = (cover: ReturnType<typeof coverWindow>) => ({
    ranges: cover.ranges.map((range) => [range.weight, range.span, new Date(range.from).toISOString(), new Date(range.to).toISOString()]),
    edges: cover.edges.map((edge) => [edge.weight, new Date(edge.from).toISOString(), new Date(edge.to).toISOString()]),
  });

  it('reads a Paris month as the UTC month, the hour before it added and its last hour taken away', () => {
    expect(described(coverWindow(at('2026-11-01T00:00:00+01:00'), at('2026-12-01T00:00:00+01:00')))).toEqual({
      ranges: [
        [1, 'hour', '2026-10-31T23:00:00.000Z', '2026-11-01T00:00:00.000Z'],
        [-1, 'hour', '2026-11-30T23:00:00.000Z', '2026-12-01T00:00:00.000Z'],
        [1, 'month', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      ],
      edges: [],
    });
  });

  it('reads a UTC year as one year, a summer Paris week as days and hours, and minutes from their clocks', () => {
    expect(described(coverWindow(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')))).toEqual({
      ranges: [[1, 'year', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']],
      edges: [],
    });
    expect(described(coverWindow(at('2026-06-08T00:00:00+02:00'), at('2026-06-15T00:00:00+02:00')))).toEqual({
      ranges: [
        [1, 'hour', '2026-06-07T22:00:00.000Z', '2026-06-08T00:00:00.000Z'],
        [-1, 'hour', '2026-06-14T22:00:00.000Z', '2026-06-15T00:00:00.000Z'],
        [1, 'day', '2026-06-08T00:00:00.000Z', '2026-06-15T00:00:00.000Z'],
      ],
      edges: [],
    });
    expect(described(coverWindow(at('2026-11-02T08:10:00Z'), at('2026-11-02T08:25:00Z')))).toEqual({
      ranges: [],
      edges: [[1, '2026-11-02T08:10:00.000Z', '2026-11-02T08:25:00.000Z']],
    });
  });

  it('counts every instant of any window once, and any instant outside it not at all, reading few pieces', () => {
    const start = at('2024-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 * 365 * 24 * 60 }),
        fc.oneof(fc.integer({ min: 1, max: 3 * 60 }), fc.integer({ min: 1, max: 45 * 24 * 60 }), fc.integer({ min: 1, max: 5 * 365 * 24 * 60 })),
        fc.integer({ min: 0, max: 59_999 }),
        fc.array(fc.double({ min: -0.05, max: 1.05, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (fromMinute, lengthMinutes, jitter, probes) => {
          const from = start + fromMinute * 60_000 + jitter;
          const to = from + lengthMinutes * 60_000 - jitter;
          const cover = coverWindow(from, to);
          for (const range of cover.ranges) {
            expect(bucketStart(range.span, range.from)).toBe(range.from);
            expect(bucketStart(range.span, range.to)).toBe(range.to);
            expect(range.from).toBeLessThan(range.to);
          }
          // Each end leaves about half an hour of clocks at most (a few minutes more may save an hour's rollups).
          expect(cover.edges.reduce((sum, edge) => sum + edge.to - edge.from, 0)).toBeLessThanOrEqual(70 * 60_000);
          // Each end is reached by its nearest boundaries: about half a day of hours, half a month of days, half a year of months.
          const length = (span: string) => cover.ranges.filter((range) => range.span === span).reduce((sum, range) => sum + range.to - range.from, 0);
          expect(length('hour')).toBeLessThanOrEqual(30 * HOUR);
          expect(length('day')).toBeLessThanOrEqual(36 * 24 * HOUR);
          expect(length('month')).toBeLessThanOrEqual(16 * 31 * 24 * HOUR);
          const boundaries = [...cover.ranges.flatMap((range) => [range.from, range.to]), ...cover.edges.flatMap((edge) => [edge.from, edge.to])];
          const instants = [from, to - 1, to, from - 1, ...boundaries, ...boundaries.map((b) => b - 1), ...probes.map((p) => Math.floor(from + p * (to - from)))];
          for (const instant of instants) expect(timesCounted(cover, instant)).toBe(instant >= from && instant < to ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('rollup changes', () => {
  const clock = (overrides: Partial<RollupClock> = {}): RollupClock => ({
    agreementId: 'a',
    versionId: 'v1',
    targetName: 'hot',
    state: 'stopped',
    outcome: 'met',
    elapsedSeconds: 3000,
    startedAt: at('2026-11-02T08:30:00Z'),
    ...overrides,
  });

  it('counts a clock in its part, in its hour, day, month and year, with its duration once stopped', () => {
    const changes = new RollupDeltas().change(undefined, clock()).changes();
    expect(changes.map((change) => [change.key.span, new Date(change.key.bucketStart).toISOString()])).toEqual([
      ['day', '2026-11-02T00:00:00.000Z'],
      ['hour', '2026-11-02T08:00:00.000Z'],
      ['month', '2026-11-01T00:00:00.000Z'],
      ['year', '2026-01-01T00:00:00.000Z'],
    ]);
    for (const change of changes) {
      expect(change.counts).toEqual({ met: 1, breached: 0, running: 0, paused: 0, cancelled: 0, breachedOpen: 0, stopped: 1 });
      expect([...change.durations]).toEqual([[durationBucket(3000), 1]]);
    }
  });

  it('moves a clock from running to breached and open when the sweep claims it, and leaves out void clocks', () => {
    const running = clock({ state: 'running', outcome: 'pending', elapsedSeconds: 0 });
    const [change] = new RollupDeltas().change(running, { ...running, outcome: 'breached' }).changes();
    expect(change.counts).toEqual({ met: 0, breached: 1, running: -1, paused: 0, cancelled: 0, breachedOpen: 1, stopped: 0 });
    expect(change.durations.size).toBe(0);
    expect(new RollupDeltas().change(undefined, clock({ state: 'void', outcome: 'pending' })).changes()).toEqual([]);
    expect(new RollupDeltas().change(clock(), clock({ elapsedSeconds: 3000 })).changes()).toEqual([]);
  });

  it('sums any sequence of rewrites of clocks to what their last versions contribute', () => {
    const states = fc.constantFrom(
      ['running', 'pending'],
      ['paused', 'pending'],
      ['running', 'breached'],
      ['paused', 'breached'],
      ['stopped', 'met'],
      ['stopped', 'breached'],
      ['cancelled', 'cancelled'],
      ['cancelled', 'breached'],
      ['void', 'pending'],
    );
    const version = fc.record({
      versionId: fc.constantFrom('v1', 'v2'),
      targetName: fc.constantFrom('hot', 'warm', 'default'),
      state: states,
      elapsedSeconds: fc.integer({ min: 0, max: 400_000 }),
      startedAt: fc.integer({ min: at('2026-10-30T00:00:00Z'), max: at('2026-11-02T00:00:00Z') }),
      // Most rewrites keep the clock's version, target and start (a sweep, a stop): its rollups stay the same.
      sameRollups: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fc.array(version, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (histories) => {
        const asClock = ({ state: [state, outcome], sameRollups, ...rest }: (typeof histories)[number][number], stored: RollupClock | undefined): RollupClock => {
          const identity = sameRollups && stored ? { versionId: stored.versionId, targetName: stored.targetName, startedAt: stored.startedAt } : {};
          return clock({ ...rest, ...identity, state: state as RollupClock['state'], outcome: outcome as RollupClock['outcome'] });
        };
        const rewritten = new RollupDeltas();
        const final = new RollupDeltas();
        for (const history of histories) {
          let stored: RollupClock | undefined;
          for (const version of history) {
            const next = asClock(version, stored);
            rewritten.change(stored, next);
            stored = next;
          }
          final.change(undefined, stored);
        }
        expect(plain(rewritten.changes())).toEqual(plain(final.changes()));
      }),
      { numRuns: 300 },
    );
  });
});
