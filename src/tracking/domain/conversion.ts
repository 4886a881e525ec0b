/**
 * The arithmetic of a conversion KPI, plain TypeScript shared by live tracking, replays and the
 * sweep: of a period's cohort (the subjects that entered the first stage in it), how many entered
 * the second stage within the window of their own entry, when the period can close, and where it
 * is heading while it is open.
 */

/** One subject of a cohort: when it entered the first stage, and the second (null: not yet). */
export interface CohortMember {
  enteredAt: number;
  reachedAt: number | null;
}

/** The end of a subject's window: its entry plus the agreement's `within` in business time. */
export type WindowEnd = (enteredAt: number) => number;

export interface ConversionFigures {
  cohort: number;
  /** Entered the second stage at or after their entry into the first, and by the end of their window. */
  converted: number;
  /** converted ÷ cohort × 100, to two decimals; null for an empty cohort. */
  percent: number | null;
  /** Not converted, and their window has passed: they count against the KPI for good. */
  lapsed: number;
  /** Not converted, and their window is still open: they may yet convert. */
  pending: number;
  /** The end of the latest window of the cohort; null for an empty cohort. */
  lastWindowEnd: number | null;
}

export type ConversionStatus = 'open' | 'met' | 'missed';

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Whether a subject converted: it entered the second stage no earlier than the first (an entry
 * before it is another story: a lead recycled, a stage skipped) and no later than its window's end.
 */
export function hasConverted(member: CohortMember, windowEnd: WindowEnd): boolean {
  return member.reachedAt !== null && member.reachedAt >= member.enteredAt && member.reachedAt <= windowEnd(member.enteredAt);
}

/** The figures of a cohort at `now`: a window ending at or before `now` has passed. */
export function conversionFigures(members: Iterable<CohortMember>, windowEnd: WindowEnd, now: number): ConversionFigures {
  let cohort = 0;
  let converted = 0;
  let lapsed = 0;
  let lastWindowEnd: number | null = null;
  for (const member of members) {
    cohort += 1;
    const end = windowEnd(member.enteredAt);
    if (lastWindowEnd === null || end > lastWindowEnd) lastWindowEnd = end;
    if (hasConverted(member, windowEnd)) converted += 1;
    else if (end <= now) lapsed += 1;
  }
  return {
    cohort,
    converted,
    percent: cohort === 0 ? null : round2((converted * 100) / cohort),
    lapsed,
    pending: cohort - converted - lapsed,
    lastWindowEnd,
  };
}

/**
 * When a period can close: once it has ended (no subject can join its cohort any more) and the
 * window of its last subject has passed (none of them can convert any more).
 */
export function closingTime(periodEnd: number, lastWindowEnd: number | null): number {
  return lastWindowEnd === null ? periodEnd : Math.max(periodEnd, lastWindowEnd);
}

/**
 * A closed period's verdict: met when the share converted reaches the minimum. An empty cohort
 * is met: nobody entered, so nobody was let down (and a 0 % minimum is always met).
 */
export function verdict(figures: Pick<ConversionFigures, 'percent'>, minimumPercent: number): 'met' | 'missed' {
  return figures.percent === null || figures.percent >= minimumPercent ? 'met' : 'missed';
}

/** Where a period stands at `now`, measured afresh (a replay): open until it can close, then its verdict. */
export function statusAt(figures: ConversionFigures, periodEnd: number, minimumPercent: number, now: number): ConversionStatus {
  return closingTime(periodEnd, figures.lastWindowEnd) > now ? 'open' : verdict(figures, minimumPercent);
}

/**
 * The share a period is heading for: the subjects still inside their window are assumed to convert
 * at the rate seen so far among the decided ones (converted, or lapsed). Null for an empty cohort
 * and while nobody is decided yet (no rate to go by); the final share once nobody is pending.
 */
export function projectedPercent(figures: ConversionFigures): number | null {
  if (figures.cohort === 0) return null;
  if (figures.pending === 0) return figures.percent;
  const decided = figures.converted + figures.lapsed;
  if (decided === 0) return null;
  const expected = figures.converted + (figures.pending * figures.converted) / decided;
  return round2((expected * 100) / figures.cohort);
}

/**
 * How many more of the cohort had to convert for the period to be met: 0 when it is. Counted with
 * the verdict's own rounding, so a period is missed exactly when this is above 0 ("8 of 20, 2 short
 * of 50 %").
 */
export function conversionsShort(figures: Pick<ConversionFigures, 'cohort' | 'converted'>, minimumPercent: number): number {
  const { cohort, converted } = figures;
  if (cohort === 0) return 0;
  const percentOf = (count: number) => round2((count * 100) / cohort);
  // The estimate is exact but for rounding: walk down, then up, to the fewest that meet it.
  let needed = Math.min(cohort, Math.max(0, Math.floor((minimumPercent * cohort) / 100)));
  while (needed > 0 && percentOf(needed - 1) >= minimumPercent) needed -= 1;
  while (needed < cohort && percentOf(needed) < minimumPercent) needed += 1;
  return Math.max(0, needed - converted);
}
