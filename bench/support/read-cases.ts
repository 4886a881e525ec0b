/**
 * The reads bench/reads.bench.ts times, as a list of named cases: the funnel report and the
 * dashboard go here too. Each is read through the service as the endpoint does, recomputed the
 * slow way it replaces (the baseline of the ratio), and checked against that recomputation.
 * Timed in the service's own process (bench/support/serve-child.ts), whose heap holds nothing
 * of the benchmark's.
 */
import type { INestApplication } from '@nestjs/common';
import { HISTOGRAM_RELATIVE_ERROR } from '../../src/tracking/domain/duration-histogram.js';
import { ComplianceService } from '../../src/tracking/compliance.service.js';
import type { ComplianceView } from '../../src/tracking/tracking.dto.js';
import type { ClockCounts } from './lead-stories.js';
import { nowMs, timed } from './concord.js';

/** What the benchmark knows of the data: the agreement read, and the clocks it generated. */
export interface ReadData {
  agreementId: string;
  /** Counts of every clock generated: in total, then per target name. */
  expected: { all: ClockCounts; byTarget: [string, ClockCounts][] };
}

interface ReadContext extends ReadData {
  app: INestApplication;
}

export interface ReadCase {
  name: string;
  read(context: ReadContext): Promise<unknown>;
  recompute(context: ReadContext): Promise<unknown>;
  /** Throws when the read differs from the recomputation (or from what was generated). */
  check(read: unknown, recomputed: unknown, context: ReadContext): void;
  /** The request a client sends for it. */
  path(data: ReadData): string;
  /** Shown beside the timings, from the recomputation: e.g. how many stopped clocks it read. */
  size(recomputed: unknown): string;
}

/** Compliance of the response agreement over a window, as a head asks for it. */
function complianceCase(name: string, window: { from: string; to: string }, holdsEveryClock: boolean): ReadCase {
  return {
    name,
    read: ({ app, agreementId }) => app.get(ComplianceService).live(agreementId, window),
    recompute: ({ app, agreementId }) => app.get(ComplianceService).live(agreementId, window, 'clocks'),
    check: (read, recomputed, { expected }) => {
      checkFigures(name, read as ComplianceView, recomputed as ComplianceView);
      if (holdsEveryClock) checkGenerated(name, read as ComplianceView, expected);
    },
    path: ({ agreementId }) => `/api/agreements/${agreementId}/compliance?from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`,
    size: (recomputed) => {
      // Met, or breached and closed: none of the generated leads is cancelled.
      const view = recomputed as ComplianceView;
      return `${(view.met + view.breached - view.breachedOpen).toLocaleString('en-US')} stopped clocks`;
    },
  };
}

export const READ_CASES: ReadCase[] = [
  complianceCase('compliance, one month (June, Paris)', { from: '2026-06-01T00:00:00+02:00', to: '2026-07-01T00:00:00+02:00' }, false),
  // In UTC: the leads handed over in the hour before now (the approval) are in it.
  complianceCase('compliance, the year (2026, UTC)', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, true),
];

export interface CaseTiming {
  name: string;
  /** Median of `rounds` reads through the service, after two warm-ups. */
  serviceMs: number;
  /** Median of `recomputeRounds` recomputations. */
  recomputeMs: number;
  size: string;
}

/** Times every case in this process, each checked before and after its timed reads. */
export async function timeCases(app: INestApplication, data: ReadData, rounds: number, recomputeRounds: number): Promise<CaseTiming[]> {
  const context: ReadContext = { ...data, app };
  const timings: CaseTiming[] = [];
  for (const readCase of READ_CASES) {
    const recomputed = await timed(() => readCase.recompute(context));
    const recomputeTimes = [recomputed.ms];
    for (let round = 1; round < recomputeRounds; round++) recomputeTimes.push((await timed(() => readCase.recompute(context))).ms);
    for (let warm = 0; warm < 2; warm++) readCase.check(await readCase.read(context), recomputed.value, context);
    const times: number[] = [];
    let last: unknown;
    for (let round = 0; round < rounds; round++) {
      const begin = nowMs();
      last = await readCase.read(context);
      times.push(nowMs() - begin);
    }
    readCase.check(last, recomputed.value, context);
    timings.push({ name: readCase.name, serviceMs: quantile(times, 0.5), recomputeMs: quantile(recomputeTimes, 0.5), size: readCase.size(recomputed.value) });
  }
  return timings;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function checkFigures(name: string, read: ComplianceView, recomputed: ComplianceView): void {
  const problems: string[] = [];
  type Figures = Pick<ComplianceView, 'total' | 'met' | 'breached' | 'breachedOpen' | 'running' | 'paused' | 'cancelled' | 'metPercent' | 'medianSeconds' | 'p90Seconds'>;
  const compare = (what: string, actual: Figures | undefined, expected: Figures) => {
    for (const field of ['total', 'met', 'breached', 'breachedOpen', 'running', 'paused', 'cancelled', 'metPercent'] as const) {
      if (actual?.[field] !== expected[field]) problems.push(`${what} ${field}: ${String(actual?.[field])}, recomputed ${String(expected[field])}`);
    }
    for (const field of ['medianSeconds', 'p90Seconds'] as const) {
      const got = actual?.[field] ?? null;
      const want = expected[field];
      const close = want === null ? got === null : got !== null && Math.abs(got - want) <= want * HISTOGRAM_RELATIVE_ERROR + 1;
      if (!close) problems.push(`${what} ${field}: ${String(got)}, recomputed ${String(want)}`);
    }
  };
  compare('all', read, recomputed);
  if (read.goalMet !== recomputed.goalMet) problems.push(`goalMet: ${read.goalMet}, recomputed ${recomputed.goalMet}`);
  for (const target of recomputed.targets) compare(target.name, read.targets.find((t) => t.name === target.name), target);
  if (read.targets.length !== recomputed.targets.length) problems.push(`${read.targets.length} targets, recomputed ${recomputed.targets.length}`);
  if (problems.length > 0) throw new Error(`${name} read otherwise than recomputed:\n  ${problems.join('\n  ')}`);
}

/** A window holding every clock counts what was generated. */
function checkGenerated(name: string, view: ComplianceView, expected: ReadData['expected']): void {
  const problems: string[] = [];
  const compare = (what: string, actual: Partial<ComplianceView> | undefined, counts: ClockCounts) => {
    for (const field of ['total', 'met', 'breached', 'running', 'paused'] as const) {
      if (actual?.[field] !== counts[field]) problems.push(`${what} ${field}: ${actual?.[field]}, generated ${counts[field]}`);
    }
  };
  compare('all', view, expected.all);
  for (const [target, counts] of expected.byTarget) compare(target, view.targets.find((t) => t.name === target), counts);
  if (problems.length > 0) throw new Error(`${name} counted otherwise than generated:\n  ${problems.join('\n  ')}`);
}
