/**
 * A mergeable histogram of working seconds, so medians and 90th percentiles of a year of clocks
 * come from a few hundred counts instead of every clock.
 *
 * Buckets are log-linear (as in HdrHistogram): every second below 128 has a bucket of its own;
 * above, each power of two is cut into 64 buckets of equal width. A bucket's width is at most
 * 1/64 of its lower bound, so its midpoint is within 1/128 (0.78 %) of any value in it. Bucket
 * numbers are integers computed with integer arithmetic only, identical in any language: they
 * are stored (compliance_rollup_durations.bucket), so this layout must never change without a
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

/** The bucket of a duration in whole seconds (negative counts as 0; the clocks store integers below 2^31). */
export function durationBucket(seconds: number): number {
  const value = seconds > 0 ? Math.floor(seconds) : 0;
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

/** Counts of durations by bucket. Merging two is adding their counts. */
export class DurationHistogram {
  private readonly counts = new Map<number, number>();
  private count = 0;

  /** How many durations it holds. */
  get total(): number {
    return this.count;
  }

  add(seconds: number): this {
    return this.addToBucket(durationBucket(seconds), 1);
  }

  /** Adds `count` durations to a bucket (a stored row); counts that are not positive are ignored. */
  addToBucket(bucket: number, count: number): this {
    if (count <= 0) return this;
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.count += count;
    return this;
  }

  merge(other: DurationHistogram): this {
    for (const [bucket, count] of other.counts) this.addToBucket(bucket, count);
    return this;
  }

  /** [bucket, count] pairs, smallest durations first. */
  buckets(): [number, number][] {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }

  /**
   * The percentile as `percentile` (statistics.ts) computes it over the sorted durations —
   * linear interpolation between closest ranks, rounded to a second — with each ranked duration
   * replaced by its bucket's value: within HISTOGRAM_RELATIVE_ERROR of the exact figure, plus a
   * second of rounding.
   */
  percentile(fraction: number): number | null {
    if (this.count === 0) return null;
    const position = (this.count - 1) * fraction;
    const lowerRank = Math.floor(position);
    const upperRank = Math.ceil(position);
    const sorted = this.buckets();
    let lower: number | undefined;
    let upper: number | undefined;
    let seen = 0;
    for (const [bucket, count] of sorted) {
      seen += count;
      if (lower === undefined && lowerRank < seen) lower = bucketValue(bucket);
      if (upperRank < seen) {
        upper = bucketValue(bucket);
        break;
      }
    }
    const low = lower as number;
    const high = upper as number;
    return Math.round(low + (high - low) * (position - lowerRank));
  }
}
