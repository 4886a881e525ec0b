import { percentile } from './statistics.js';

/** The part of a clock compliance figures need: live clocks and replayed ones alike. */
export interface ClockFigures {
  targetName: string;
  state: 'running' | 'paused' | 'stopped' | 'void';
  outcome: 'pending' | 'met' | 'breached';
  elapsedSeconds: number;
}

export interface ComplianceCounts {
  total: number;
  met: number;
  breached: number;
  running: number;
  paused: number;
  /** met ÷ (met + breached): clocks still running on time are not counted either way yet. */
  metPercent: number | null;
  /** Working seconds from start to stop, over stopped clocks. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface ComplianceFigures extends ComplianceCounts {
  goalPercent: number;
  goalMet: boolean | null;
  targets: (ComplianceCounts & { name: string })[];
}

function count(clocks: readonly ClockFigures[]): ComplianceCounts {
  let met = 0;
  let breached = 0;
  let running = 0;
  let paused = 0;
  const durations: number[] = [];
  for (const clock of clocks) {
    if (clock.outcome === 'met') met += 1;
    if (clock.outcome === 'breached') breached += 1;
    if (clock.state === 'running') running += 1;
    if (clock.state === 'paused') paused += 1;
    if (clock.state === 'stopped') durations.push(clock.elapsedSeconds);
  }
  durations.sort((a, b) => a - b);
  const decided = met + breached;
  return {
    total: clocks.length,
    met,
    breached,
    running,
    paused,
    metPercent: decided === 0 ? null : Math.round((met * 10_000) / decided) / 100,
    medianSeconds: percentile(durations, 0.5),
    p90Seconds: percentile(durations, 0.9),
  };
}

/** Compliance of a response agreement over some clocks, in total and per target (in target order). */
export function complianceOf(clocks: readonly ClockFigures[], goalPercent: number, targetNames: readonly string[]): ComplianceFigures {
  const live = clocks.filter((clock) => clock.state !== 'void');
  const total = count(live);
  const names = [...targetNames, ...new Set(live.map((c) => c.targetName).filter((n) => !targetNames.includes(n)))];
  return {
    ...total,
    goalPercent,
    goalMet: total.metPercent === null ? null : total.metPercent >= goalPercent,
    targets: names.map((name) => ({ name, ...count(live.filter((clock) => clock.targetName === name)) })),
  };
}
