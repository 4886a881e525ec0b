import { Injectable } from '@nestjs/common';
import { Clock } from './clock.js';

/**
 * The phases of a round, in the order they run: first the facts time passing makes (breaches,
 * quota periods closed), then the reports that tell of them, then the reminders of what people
 * owe. A feature registers its job in one phase; jobs of one phase run in registration order.
 */
export const DUE_WORK_PHASES = ['facts', 'reports', 'reminders'] as const;
export type DueWorkPhase = (typeof DUE_WORK_PHASES)[number];

/** What one job did, counted by name: `{ reportsQueued: 2 }`. */
export type DueWorkCounts = Record<string, number>;

/** One feature's share of a round: does what has fallen due at `now` and counts it. */
export type DueJob = (now: Date) => Promise<DueWorkCounts>;

/**
 * What time passing makes due, gathered from every feature without the runner knowing any of
 * them: tracking registers its sweep, reports their scheduled reports, meetings their action
 * reminders. A round runs every job at one instant, phase by phase, and answers their counts in
 * that order. The sweep's interval task and POST /api/admin/sweep both run a round.
 */
@Injectable()
export class DueWork {
  private readonly jobs: { phase: number; run: DueJob }[] = [];

  constructor(private readonly clock: Clock) {}

  register(phase: DueWorkPhase, run: DueJob): void {
    this.jobs.push({ phase: DUE_WORK_PHASES.indexOf(phase), run });
    // Stable: registration order within a phase.
    this.jobs.sort((a, b) => a.phase - b.phase);
  }

  /** One round: a failing job fails the round (the next tick retries it from the start). */
  async runDue(): Promise<DueWorkCounts> {
    const now = this.clock.now();
    let counts: DueWorkCounts = {};
    for (const job of this.jobs) counts = { ...counts, ...(await job.run(now)) };
    return counts;
  }
}
