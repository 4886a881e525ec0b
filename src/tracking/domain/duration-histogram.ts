/**
 * A mergeable histogram of working seconds, so medians and 90th percentiles of a year of clocks
 * come from a few hundred counts instead of every clock.
 *
 * Buckets are log-linear (as in HdrHistogram): every second below 128 has a bucket of its own;
 * above, each power of two is cut into 64 buckets of equal width. A bucket's width is at most
 * 1/64 of its lower bound, so its midpoint is within 1/128 (0.78 %) of any value in it. Bucket
 * numbers are integers computed with integer arithmetic only, identical in any language: they
 * are stored (compliance_rollups.durations), so this layout must never change without a
 * migration that rebuilds them.
 */

/** Sub-buckets per power of two: 2^6. */
const SUB_BUCKET_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Values below this have a bucket each (two powers of two of exact buckets). */
export const EXACT_BUCKETS = 2 * SUB_BUCKETS;
/** floor(log2(EXACT_BUCKETS)): the power of two where log-linear buckets begin. */
const FIRST_EXPONENT = SUB_BUCKET_BITS + 1;

/** The largest relative distance from a bucket's representative value to any value in it. */
export const HISTOGRAM_RELATIVE_ERROR = 1 / EXACT_BUCKETS;

/** The longest duration the clocks store (a 32-bit integer column); longer ones share its bucket. */
const LONGEST = 2 ** 31 - 1;

/** The bucket of a duration in whole seconds (negative counts as 0). */
export function durationBucket(seconds: number): number {
  const value = seconds > 0 ? Math.floor(Math.min(seconds, LONGEST)) : 0;
  if (value < EXACT_BUCKETS) return value;
  const exponent = 31 - Math.clz32(value);
  const shift = exponent - SUB_BUCKET_BITS;
  const subBucket = Math.floor(value / 2 ** shift) - SUB_BUCKETS;
  return EXACT_BUCKETS + (exponent - FIRST_EXPONENT) * SUB_BUCKETS + subBucket;
}

/** The whole seconds a bucket holds: `lowest` to `lowest + width - 1`. */
export function bucketBounds(bucket: number): { lowest: number; width: number } {
  if (bucket < EXACT_BUCKETS) return { lowest: bucket, width: 1 };
  const above = bucket - EXACT_BUCKETS;
  const exponent = FIRST_EXPONENT + Math.floor(above / SUB_BUCKETS);
  const width = 2 ** (exponent - SUB_BUCKET_BITS);
  return { lowest: (SUB_BUCKETS + (above % SUB_BUCKETS)) * width, width };
}

/** The value a bucket stands for: its midpoint (exact below EXACT_BUCKETS). */
export function bucketValue(bucket: number): number {
  const { lowest, width } = bucketBounds(bucket);
  return lowest + (width - 1) / 2;
}

/** How many buckets there are: every duration's is below this. */
const BUCKETS = durationBucket(LONGEST) + 1;

/**
 * Counts of durations by bucket, in an array of every bucket (13 kB: no sorting, no lookups, to
 * merge histograms or walk them for percentiles). Merging two is adding their counts; counts may
 * be taken away too (a window read as a month less two hours), as long as what is left is what
 * was added.
 */
export class DurationHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private count = 0;

  /** How many durations it holds. */
  get total(): number {
    return this.count;
  }

  add(seconds: number, times = 1): this {
    return this.addToBucket(durationBucket(seconds), times);
  }

  /** Adds `count` durations to a bucket (a stored row), or takes them away when negative. */
  addToBucket(bucket: number, count: number): this {
    if (!(bucket >= 0 && bucket < BUCKETS && Number.isInteger(bucket))) throw new Error(`no duration bucket ${bucket}`);
    this.counts[bucket] += count;
    this.count += count;
    return this;
  }

  merge(other: DurationHistogram): this {
    for (let bucket = 0; bucket < BUCKETS; bucket++) this.counts[bucket] += other.counts[bucket];
    this.count += other.count;
    return this;
  }

  /** [bucket, count] pairs of the buckets that hold any, smallest durations first. */
  buckets(): [number, number][] {
    const pairs: [number, number][] = [];
    for (let bucket = 0; bucket < BUCKETS; bucket++) if (this.counts[bucket] !== 0) pairs.push([bucket, this.counts[bucket]]);
    return pairs;
  }

  /**
   * Adds the buckets of a stored histogram (`encode`'s text), each count `weight` times: a
   * rollup's whole histogram is one short text, read with its row.
   */
  addEncoded(text: string, weight = 1): this {
    let start = 0;
    while (start < text.length) {
      const colon = text.indexOf(':', start);
      let end = text.indexOf(',', colon);
      if (end === -1) end = text.length;
      if (colon === -1 || colon > end) throw new Error(`a stored histogram is malformed near "${text.slice(start, start + 20)}"`);
      this.addToBucket(Number(text.slice(start, colon)), weight * Number(text.slice(colon + 1, end)));
      start = end + 1;
    }
    return this;
  }

  /** The histogram as stored: `bucket:count` pairs, by bucket, comma-separated; '' when empty. */
  encode(): string {
    return this.buckets()
      .map(([bucket, count]) => `${bucket}:${count}`)
      .join(',');
  }

  /**
   * Percentiles as `percentile` (statistics.ts) computes them over the sorted durations — linear
   * interpolation between closest ranks, rounded to a second — with each ranked duration replaced
   * by its bucket's value: within HISTOGRAM_RELATIVE_ERROR of the exact figure, plus a second of
   * rounding. A bucket left below zero (rollups out of step with their clocks) counts as empty.
   */
  percentiles(fractions: readonly number[]): (number | null)[] {
    let total = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) if (this.counts[bucket] > 0) total += this.counts[bucket];
    return fractions.map((fraction) => {
      if (total === 0) return null;
      const position = (total - 1) * fraction;
      const lowerRank = Math.floor(position);
      const low = this.valueAtRank(lowerRank);
      const high = this.valueAtRank(Math.ceil(position));
      return Math.round(low + (high - low) * (position - lowerRank));
    });
  }

  percentile(fraction: number): number | null {
    return this.percentiles([fraction])[0];
  }

  /** The value of the duration at a rank (0: the shortest), by its bucket. */
  private valueAtRank(rank: number): number {
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      if (this.counts[bucket] <= 0) continue;
      seen += this.counts[bucket];
      if (rank < seen) return bucketValue(bucket);
    }
    throw new Error(`no duration at rank ${rank} of ${seen}`);
  }
}

/**
 * A stored histogram (`encode`'s text) with counts added to some buckets, as `encode` would write
 * the sum — without the array of every bucket a DurationHistogram holds: a rollup write touches
 * a few buckets of thousands of rows. Buckets that come to 0 are left out.
 */
export function addToEncoded(text: string, additions: ReadonlyMap<number, number> | Iterable<[number, number]>): string {
  const counts = new Map<number, number>();
  if (text) {
    for (const pair of text.split(',')) {
      const colon = pair.indexOf(':');
      const bucket = Number(pair.slice(0, colon));
      const count = Number(pair.slice(colon + 1));
      if (colon <= 0 || !Number.isInteger(bucket) || !Number.isFinite(count)) throw new Error(`a stored histogram is malformed near "${pair.slice(0, 20)}"`);
      counts.set(bucket, (counts.get(bucket) ?? 0) + count);
    }
  }
  for (const [bucket, count] of additions) {
    if (!(bucket >= 0 && bucket < BUCKETS && Number.isInteger(bucket))) throw new Error(`no duration bucket ${bucket}`);
    counts.set(bucket, (counts.get(bucket) ?? 0) + count);
  }
  return [...counts.entries()]
    .filter(([, count]) => count !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([bucket, count]) => `${bucket}:${count}`)
    .join(',');
}
