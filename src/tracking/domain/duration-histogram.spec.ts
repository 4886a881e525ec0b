import fc from 'fast-check';
import { addToEncoded, bucketBounds, bucketValue, durationBucket, DurationHistogram, EXACT_BUCKETS, HISTOGRAM_RELATIVE_ERROR } from './duration-histogram.js';
import { percentile } from './statistics.js';

const exactPercentile = (values: number[], fraction: number) => percentile(Float64Array.from(values).sort(), fraction);
const histogramOf = (values: number[]) => values.reduce((histogram, value) => histogram.add(value), new DurationHistogram());

/** Working seconds as clocks store them: whole seconds from 0 to a few years, often small. */
const durations = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 86_400 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }));

describe('the duration histogram', () => {
  it('gives every second below 128 a bucket of its own, and numbers buckets without gaps', () => {
    for (let seconds = 0; seconds < EXACT_BUCKETS; seconds++) expect(durationBucket(seconds)).toBe(seconds);
    const gaps: number[] = [];
    for (let seconds = 1; seconds < 1_000_000; seconds++) {
      const step = durationBucket(seconds) - durationBucket(seconds - 1);
      if (step !== 0 && step !== 1) gaps.push(seconds);
    }
    expect(gaps).toEqual([]);
    expect([128, 129, 130, 255, 256, 3600, 86_400, 2 ** 31 - 1].map(durationBucket)).toEqual([128, 128, 129, 191, 192, 432, 724, 1663]);
  });

  it('puts each duration in the bucket whose bounds hold it, its value within 1/128 of it', () => {
    fc.assert(
      fc.property(durations, (seconds) => {
        const bucket = durationBucket(seconds);
        const { lowest, width } = bucketBounds(bucket);
        expect(seconds).toBeGreaterThanOrEqual(lowest);
        expect(seconds).toBeLessThan(lowest + width);
        expect(Math.abs(bucketValue(bucket) - seconds)).toBeLessThanOrEqual(seconds * HISTOGRAM_RELATIVE_ERROR);
      }),
      { numRuns: 2000 },
    );
    expect(durationBucket(-5)).toBe(0);
  });

  it('merges by adding counts: histograms of parts merged equal the histogram of the whole', () => {
    fc.assert(
      fc.property(fc.array(fc.array(durations, { maxLength: 40 }), { maxLength: 6 }), (parts) => {
        const merged = parts.map(histogramOf).reduce((all, part) => all.merge(part), new DurationHistogram());
        const whole = histogramOf(parts.flat());
        expect(merged.buckets()).toEqual(whole.buckets());
        expect(merged.total).toBe(parts.flat().length);
      }),
    );
  });

  it('gives the exact median and 90th percentile when every duration is below 128 seconds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: EXACT_BUCKETS - 1 }), { maxLength: 300 }), (values) => {
        const histogram = histogramOf(values);
        expect(histogram.percentile(0.5)).toBe(exactPercentile(values, 0.5));
        expect(histogram.percentile(0.9)).toBe(exactPercentile(values, 0.9));
      }),
    );
  });

  it('gives any percentile within 1/128 (0.8 %) of the exact one, plus a second of rounding', () => {
    fc.assert(
      fc.property(fc.array(durations, { minLength: 1, maxLength: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, fraction) => {
        const exact = exactPercentile(values, fraction) as number;
        const estimated = histogramOf(values).percentile(fraction) as number;
        expect(Math.abs(estimated - exact)).toBeLessThanOrEqual(exact * HISTOGRAM_RELATIVE_ERROR + 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes durations away as it adds them: a whole less a part is the rest', () => {
    fc.assert(
      fc.property(fc.array(durations, { maxLength: 60 }), fc.array(durations, { maxLength: 60 }), (kept, removed) => {
        const whole = histogramOf([...kept, ...removed]);
        for (const seconds of removed) whole.add(seconds, -1);
        expect(whole.buckets()).toEqual(histogramOf(kept).buckets());
        expect(whole.total).toBe(kept.length);
        expect(whole.percentile(0.9)).toBe(histogramOf(kept).percentile(0.9));
      }),
    );
  });

  it('is stored as text and read back as it was, and adds a stored one by a weight', () => {
    fc.assert(
      fc.property(fc.array(durations, { maxLength: 80 }), fc.integer({ min: -3, max: 3 }), (values, weight) => {
        const histogram = histogramOf(values);
        expect(new DurationHistogram().addEncoded(histogram.encode()).buckets()).toEqual(histogram.buckets());
        const weighted = new DurationHistogram().addEncoded(histogram.encode(), weight);
        expect(weighted.total).toBe(weight * values.length + 0);
        expect(weighted.buckets()).toEqual(weight === 0 ? [] : histogram.buckets().map(([bucket, count]) => [bucket, weight * count]));
      }),
    );
    expect(histogramOf([5, 5, 300]).encode()).toBe('5:2,203:1');
    expect(new DurationHistogram().encode()).toBe('');
  });

  it('has no percentile when empty, and counts a bucket left below zero as empty', () => {
    expect(new DurationHistogram().percentile(0.5)).toBeNull();
    expect(new DurationHistogram().add(10).add(10, -1).percentile(0.5)).toBeNull();
    const histogram = new DurationHistogram().addToBucket(10, 0).addToBucket(20, -3).addToBucket(30, 2);
    expect(histogram.buckets()).toEqual([
      [20, -3],
      [30, 2],
    ]);
    expect(histogram.percentile(0.1)).toBe(30);
  });
});

describe('addToEncoded', () => {
  it('writes what a DurationHistogram writes for the same sum, dropping buckets that come to 0', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1663), fc.integer({ min: -3, max: 3 }))), fc.array(fc.tuple(fc.nat(1663), fc.integer({ min: -3, max: 3 }))), (stored, added) => {
        const before = new DurationHistogram();
        for (const [bucket, count] of stored) before.addToBucket(bucket, count);
        const text = before.encode();
        const after = new DurationHistogram().addEncoded(text);
        for (const [bucket, count] of added) after.addToBucket(bucket, count);
        expect(addToEncoded(text, added)).toBe(after.encode());
      }),
    );
  });

  it('refuses a bucket that does not exist and a malformed text', () => {
    expect(() => addToEncoded('', [[-1, 1]])).toThrow('no duration bucket -1');
    expect(() => addToEncoded('3:x', [])).toThrow('malformed');
  });
});
