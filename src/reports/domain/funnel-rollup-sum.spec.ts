import { DurationHistogram } from '../../tracking/domain/duration-histogram.js';
import { cohortSize, sumClockRollups, sumFunnelRollups, type FunnelRollupPiece } from './funnel-rollup-sum.js';

const piece = (attribute: string, value: string, stageId: string, entered: number, extra: Partial<FunnelRollupPiece> = {}): FunnelRollupPiece => ({
  attribute,
  value,
  stageId,
  kind: 'stage',
  reason: null,
  competitor: null,
  weight: 1,
  entered,
  durations: '',
  firstAt: null,
  ...extra,
});
const durations = (...seconds: number[]) => {
  const histogram = new DurationHistogram();
  for (const value of seconds) histogram.add(value);
  return histogram.encode();
};

/** Two days as the histogram holds it: its bucket's midpoint, within 0.78 %. */
const TWO_DAYS = new DurationHistogram().add(172_800).percentile(0.5) as number;

describe('sumFunnelRollups', () => {
  // 5 MQLs: 3 from the fair (2 became SQL, after 1 and 3 days), 2 without a source (1 SQL after 2 days, lost for price).
  const pieces = [
    piece('', '', 'mql', 5),
    piece('', '', 'sql', 3, { durations: durations(86_400, 172_800, 259_200) }),
    piece('', '', 'lost', 1),
    piece('', '', 'lost', 1, { kind: 'reason', reason: 'price', firstAt: 1000 }),
    piece('source', 'fair', 'mql', 3),
    piece('source', 'fair', 'sql', 2, { durations: durations(86_400, 259_200) }),
  ];

  it('sums the ungrouped pieces into one group "all"', () => {
    expect(Math.abs(TWO_DAYS - 172_800)).toBeLessThan(172_800 / 128);
    const { stages, reasons } = sumFunnelRollups(pieces, null, 'mql');
    expect(stages).toEqual([
      { group: 'all', stageId: 'mql', entered: 5, medianSeconds: null },
      { group: 'all', stageId: 'sql', entered: 3, medianSeconds: TWO_DAYS },
      { group: 'all', stageId: 'lost', entered: 1, medianSeconds: null },
    ]);
    expect(reasons).toEqual([{ group: 'all', stageId: 'lost', reason: 'price', competitor: null, count: 1, firstAt: 1000 }]);
  });

  it('groups by an attribute; the subjects without it are the ungrouped sums less every value', () => {
    const { stages, reasons } = sumFunnelRollups(pieces, 'source', 'mql');
    expect(stages.filter((row) => row.group === 'fair')).toEqual([
      { group: 'fair', stageId: 'mql', entered: 3, medianSeconds: null },
      { group: 'fair', stageId: 'sql', entered: 2, medianSeconds: new DurationHistogram().add(86_400).add(259_200).percentile(0.5) },
    ]);
    expect(stages.filter((row) => row.group === null)).toEqual([
      { group: null, stageId: 'mql', entered: 2, medianSeconds: null },
      { group: null, stageId: 'sql', entered: 1, medianSeconds: TWO_DAYS },
      { group: null, stageId: 'lost', entered: 1, medianSeconds: null },
    ]);
    expect(reasons).toEqual([{ group: null, stageId: 'lost', reason: 'price', competitor: null, count: 1, firstAt: 1000 }]);
  });

  it('takes away pieces of weight −1 (a window as a month less two hours), and leaves out a group with no cohort', () => {
    const less = [...pieces, piece('', '', 'mql', 5, { weight: -1 }), piece('source', 'fair', 'mql', 3, { weight: -1 })];
    expect(sumFunnelRollups(less, 'source', 'mql').stages).toEqual([]);
    expect(cohortSize(less, 'mql')).toBe(0);
    expect(cohortSize(pieces, 'mql')).toBe(5);
  });
});

describe('sumClockRollups', () => {
  const clock = (attribute: string, value: string, met: number, breached: number, weight = 1) => ({ attribute, value, agreementId: 'a', targetName: 'hot', weight, met, breached });

  it('groups the cohort clocks as the funnel, the null group as the rest, and leaves out lines with nothing decided', () => {
    const pieces = [clock('', '', 10, 4), clock('source', 'fair', 7, 1), clock('source', 'web', 3, 3), clock('', '', 1, 0, -1), clock('source', 'web', 1, 0, -1)];
    expect(sumClockRollups(pieces, null)).toEqual([{ group: 'all', agreementId: 'a', targetName: 'hot', met: 9, breached: 4 }]);
    expect(sumClockRollups(pieces, 'source')).toEqual([
      { group: 'fair', agreementId: 'a', targetName: 'hot', met: 7, breached: 1 },
      { group: 'web', agreementId: 'a', targetName: 'hot', met: 2, breached: 3 },
    ]);
  });
});
