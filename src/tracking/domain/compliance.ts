import { percentile } from './statistics.js';

/** The part of a clock compliance figures need: live clocks and replayed ones alike. */
export interface ClockFigures {
  targetName: string;
  state: 'running' | 'paused' | 'stopped' | 'cancelled' | 'void';
  outcome: 'pending' | 'met' | 'breached' | 'cancelled';
  elapsedSeconds: number;
}

export interface ComplianceCounts {
  total: number;
  met: number;
  breached: number;
  running: number;
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

/** Counts of one group of clocks, accumulated one clock at a time. */
class Tally {
  met = 0;
  breached = 0;
  running = 0;
  paused = 0;
  cancelled = 0;
  total = 0;
  readonly durations: number[] = [];

  add(clock: ClockFigures): void {
    this.total += 1;
    if (clock.outcome === 'met') this.met += 1;
    else if (clock.outcome === 'breached') this.breached += 1;
    else if (clock.outcome === 'cancelled') this.cancelled += 1;
    if (clock.state === 'running') this.running += 1;
    else if (clock.state === 'paused') this.paused += 1;
    else if (clock.state === 'stopped') this.durations.push(clock.elapsedSeconds);
  }

  counts(): ComplianceCounts {
    const durations = Float64Array.from(this.durations).sort();
    const decided = this.met + this.breached;
    return {
      total: this.total,
      met: this.met,
      breached: this.breached,
      running: this.running,
      paused: this.paused,
      cancelled: this.cancelled,
      metPercent: decided === 0 ? null : Math.round((this.met * 10_000) / decided) / 100,
      medianSeconds: percentile(durations, 0.5),
      p90Seconds: percentile(durations, 0.9),
    };
  }
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
    const total = this.all.counts();
    return {
      ...total,
      goalPercent: this.goalPercent,
      goalMet: total.metPercent === null ? null : total.metPercent >= this.goalPercent,
      targets: [...this.byTarget].map(([name, tally]) => ({ name, ...tally.counts() })),
    };
  }
}

/** Compliance of a response agreement over some clocks, in total and per target (in target order). */
export function complianceOf(clocks: Iterable<ClockFigures>, goalPercent: number, targetNames: readonly string[]): ComplianceFigures {
  const tally = new ComplianceTally(goalPercent, targetNames);
  for (const clock of clocks) tally.add(clock);
  return tally.figures();
}
