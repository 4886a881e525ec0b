import { percentile } from './statistics.js';

/** The part of a clock compliance figures need: live clocks and replayed ones alike. */
export interface ClockFigures {
  targetName: string;
  state: 'running' | 'paused' | 'stopped' | 'cancelled' | 'void';
  outcome: 'pending' | 'met' | 'breached' | 'cancelled';
  elapsedSeconds: number;
}

/**
 * The five parts every clock of a window falls in, exactly one each: `met + breached + running +
 * paused + cancelled = total`. `breachedOpen` is not a part but a share of `breached`.
 */
export type CompliancePart = 'met' | 'breached' | 'running' | 'paused' | 'cancelled';

export interface ComplianceCounts {
  total: number;
  met: number;
  /** Stopped late, cancelled after the due time, or past the due time and still open. */
  breached: number;
  /** Of `breached`: past the due time and still open (running or paused), the leads nobody called yet. */
  breachedOpen: number;
  /** Open and not yet due. */
  running: number;
  /** Paused before they fell due. */
  paused: number;
  /** Abandoned (cancelOn) before they fell due; one cancelled later counts as breached instead. */
  cancelled: number;
  /**
   * met ÷ (met + breached): clocks still running on time are not counted either way yet, and
   * cancelled ones never are.
   */
  metPercent: number | null;
  /** Working seconds from start to stop, over stopped clocks (a cancelled one was never answered). */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface ComplianceFigures extends ComplianceCounts {
  goalPercent: number;
  goalMet: boolean | null;
  targets: (ComplianceCounts & { name: string })[];
}

/**
 * The one part a clock counts in. The outcome decides first: a clock past its due time is
 * breached whether it still runs, is paused or was cancelled late; only an undecided clock is
 * running or paused, by its state.
 */
export function partOf(clock: Pick<ClockFigures, 'state' | 'outcome'>): CompliancePart {
  if (clock.outcome !== 'pending') return clock.outcome;
  return clock.state === 'paused' ? 'paused' : 'running';
}

/** A breached clock nobody has stopped or cancelled yet. */
export function isBreachedOpen(clock: Pick<ClockFigures, 'state' | 'outcome'>): boolean {
  return clock.outcome === 'breached' && (clock.state === 'running' || clock.state === 'paused');
}

/** Counts of one group of clocks, accumulated one clock at a time. */
class Tally {
  readonly parts: Record<CompliancePart, number> = { met: 0, breached: 0, running: 0, paused: 0, cancelled: 0 };
  breachedOpen = 0;
  readonly durations: number[] = [];

  add(clock: ClockFigures): void {
    this.parts[partOf(clock)] += 1;
    if (isBreachedOpen(clock)) this.breachedOpen += 1;
    if (clock.state === 'stopped') this.durations.push(clock.elapsedSeconds);
  }

  counts(): ComplianceCounts {
    const durations = Float64Array.from(this.durations).sort();
    return complianceCounts({ ...this.parts, breachedOpen: this.breachedOpen }, percentile(durations, 0.5), percentile(durations, 0.9));
  }
}

/** How many clocks fall in each part, and how many of the breached are still open. */
export type PartCounts = Record<CompliancePart | 'breachedOpen', number>;

/** The counts of a group of clocks from its parts and the percentiles of its times to stop. */
export function complianceCounts(parts: PartCounts, medianSeconds: number | null, p90Seconds: number | null): ComplianceCounts {
  const { met, breached, breachedOpen, running, paused, cancelled } = parts;
  const decided = met + breached;
  return {
    total: met + breached + running + paused + cancelled,
    met,
    breached,
    breachedOpen,
    running,
    paused,
    cancelled,
    metPercent: decided === 0 ? null : Math.round((met * 10_000) / decided) / 100,
    medianSeconds,
    p90Seconds,
  };
}

/** The figures of a response agreement from the counts of all its clocks and of each target. */
export function complianceFigures(goalPercent: number, all: ComplianceCounts, targets: (ComplianceCounts & { name: string })[]): ComplianceFigures {
  return {
    ...all,
    goalPercent,
    goalMet: all.metPercent === null ? null : all.metPercent >= goalPercent,
    targets,
  };
}

/**
 * Compliance of a response agreement, fed one clock at a time (a replay over a million events
 * never holds its clocks), in total and per target, targets in the agreement's order.
 */
export class ComplianceTally {
  private readonly all = new Tally();
  private readonly byTarget = new Map<string, Tally>();

  constructor(
    private readonly goalPercent: number,
    targetNames: readonly string[],
  ) {
    for (const name of targetNames) this.byTarget.set(name, new Tally());
  }

  add(clock: ClockFigures): void {
    if (clock.state === 'void') return;
    this.all.add(clock);
    let target = this.byTarget.get(clock.targetName);
    if (!target) this.byTarget.set(clock.targetName, (target = new Tally()));
    target.add(clock);
  }

  figures(): ComplianceFigures {
    return complianceFigures(
      this.goalPercent,
      this.all.counts(),
      [...this.byTarget].map(([name, tally]) => ({ name, ...tally.counts() })),
    );
  }
}

/** Compliance of a response agreement over some clocks, in total and per target (in target order). */
export function complianceOf(clocks: Iterable<ClockFigures>, goalPercent: number, targetNames: readonly string[]): ComplianceFigures {
  const tally = new ComplianceTally(goalPercent, targetNames);
  for (const clock of clocks) tally.add(clock);
  return tally.figures();
}
