import { DurationHistogram } from '../../tracking/domain/duration-histogram.js';
import type { WeightedClockRollup, WeightedFunnelRollup } from '../../tracking/domain/funnel-rollups.js';
import { ALL, type ComplianceRow, type ReasonRow, type StageRow } from './funnel.js';

/** A funnel rollup as read for a window, counted `weight` times (−1: taken away). */
export type FunnelRollupPiece = WeightedFunnelRollup;

/** A rollup of the cohort's clocks as read for a window. */
export type ClockRollupPiece = WeightedClockRollup;

/**
 * Calls `add` for each piece with the group it counts in and its sign: ungrouped (`by` null), the
 * one group "all" holds the '' pieces; grouped, a value's pieces count for it, and the subjects
 * without the attribute (the `null` group) are the '' pieces less every value's.
 */
function byGroup<T extends { attribute: string; value: string }>(pieces: readonly T[], by: string | null, add: (group: string | null, piece: T, sign: number) => void): void {
  for (const piece of pieces) {
    if (piece.attribute === '') {
      add(by === null ? ALL : null, piece, 1);
    } else if (piece.attribute === by) {
      add(piece.value, piece, 1);
      add(null, piece, -1);
    }
  }
}

interface Tally {
  entered: number;
  histogram: DurationHistogram | null;
  firstAt: number | null;
}

const keyOf = (piece: Pick<FunnelRollupPiece, 'stageId' | 'kind' | 'reason' | 'competitor'>) =>
  JSON.stringify([piece.stageId, piece.kind, piece.reason, piece.competitor]);

/**
 * The funnel's stage and reason rows from rollups (and the entries at the window's ends, as
 * pieces too): pieces summed with their weights per group. Ungrouped (`by` null), the one group
 * "all" holds the '' pieces. Grouped, each value of `by` is a group, and the subjects without it
 * are the `null` group: the ungrouped sums less every value's. Medians come from the summed
 * histograms (within HISTOGRAM_RELATIVE_ERROR); counts are exact.
 */
export function sumFunnelRollups(pieces: readonly FunnelRollupPiece[], by: string | null, cohortStageId: string): { stages: StageRow[]; reasons: ReasonRow[] } {
  const groups = new Map<string | null, Map<string, Tally & { piece: FunnelRollupPiece }>>();
  const add = (group: string | null, piece: FunnelRollupPiece, sign: number) => {
    let tallies = groups.get(group);
    if (!tallies) groups.set(group, (tallies = new Map()));
    const key = keyOf(piece);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { entered: 0, histogram: null, firstAt: null, piece }));
    const weight = piece.weight * sign;
    tally.entered += piece.entered * weight;
    if (piece.durations) (tally.histogram ??= new DurationHistogram()).addEncoded(piece.durations, weight);
    // The earliest entry is a tie-break between reasons counted alike: taken from what is added.
    if (weight > 0 && piece.firstAt !== null) tally.firstAt = tally.firstAt === null ? piece.firstAt : Math.min(tally.firstAt, piece.firstAt);
  };
  byGroup(pieces, by, add);
  const stages: StageRow[] = [];
  const reasons: ReasonRow[] = [];
  for (const [group, tallies] of groups) {
    const cohort = tallies.get(keyOf({ stageId: cohortStageId, kind: 'stage', reason: null, competitor: null }));
    if (!cohort || cohort.entered <= 0) continue;
    for (const tally of tallies.values()) {
      if (tally.entered <= 0) continue;
      const { piece } = tally;
      if (piece.kind === 'stage') {
        const median = piece.stageId === cohortStageId ? null : (tally.histogram?.percentile(0.5) ?? null);
        stages.push({ group, stageId: piece.stageId, entered: tally.entered, medianSeconds: median === null ? null : Math.round(median) });
      } else {
        reasons.push({ group, stageId: piece.stageId, reason: piece.reason, competitor: piece.competitor, count: tally.entered, firstAt: tally.firstAt ?? 0 });
      }
    }
  }
  return { stages, reasons };
}

/** How many subjects entered the cohort stage, from the ungrouped pieces. */
export function cohortSize(pieces: readonly FunnelRollupPiece[], cohortStageId: string): number {
  let size = 0;
  for (const piece of pieces) {
    if (piece.attribute === '' && piece.kind === 'stage' && piece.stageId === cohortStageId) size += piece.entered * piece.weight;
  }
  return size;
}

/**
 * Each group's response clocks per agreement and target from rollups, grouped as sumFunnelRollups
 * groups (the `null` group: ungrouped less every value). Rows with nothing decided are left out.
 */
export function sumClockRollups(pieces: readonly ClockRollupPiece[], by: string | null): ComplianceRow[] {
  const rows = new Map<string, ComplianceRow>();
  const add = (group: string | null, piece: ClockRollupPiece, sign: number) => {
    const key = JSON.stringify([group, piece.agreementId, piece.targetName]);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { group, agreementId: piece.agreementId, targetName: piece.targetName, met: 0, breached: 0 }));
    row.met += piece.met * piece.weight * sign;
    row.breached += piece.breached * piece.weight * sign;
  };
  byGroup(pieces, by, add);
  return [...rows.values()].filter((row) => row.met > 0 || row.breached > 0);
}
