import { Injectable, Logger } from '@nestjs/common';
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

/** A job as a feature registers it: its name for the logs, its phase, the counts it answers. */
export interface DueJobRegistration {
  name: string;
  phase: DueWorkPhase;
  /** Every count the job may answer; no two jobs may share one, or one would hide the other's. */
  counts: readonly string[];
  run: DueJob;
}

/**
 * What time passing makes due, gathered from every feature without the runner knowing any of
 * them: tracking registers its sweep, reports their scheduled reports, meetings their action
 * reminders. A round runs every job at one instant, phase by phase, and answers their counts in
 * that order. The sweep's interval task and POST /api/admin/sweep both run a round.
 *
 * Jobs are isolated: one that fails is logged with its name and its counts are left out of the
 * answer, and the round goes on — the features' work is independent, so a broken re-planning of
 * meetings must not hold back breaches, reports or reminders. The next round retries it.
 */
@Injectable()
export class DueWork {
  private readonly logger = new Logger(DueWork.name);
  private readonly jobs: (DueJobRegistration & { order: number; declared: ReadonlySet<string> })[] = [];

  constructor(private readonly clock: Clock) {}

  /** Adds a job; a name or a count another job (or this one twice) already has is a programming error, thrown here. */
  register(job: DueJobRegistration): void {
    if (this.jobs.some((other) => other.name === job.name)) throw new Error(`a due-work job named "${job.name}" is already registered`);
    const seen = new Set<string>();
    for (const count of job.counts) {
      const owner = seen.has(count) ? job : this.jobs.find((other) => other.declared.has(count));
      if (owner) throw new Error(`due-work job "${job.name}" answers count "${count}", which "${owner.name}" already answers`);
      seen.add(count);
    }
    this.jobs.push({ ...job, order: DUE_WORK_PHASES.indexOf(job.phase), declared: seen });
    // Stable: registration order within a phase.
    this.jobs.sort((a, b) => a.order - b.order);
  }

  /** One round: every job runs, a failing one logged and left out of the answer. */
  async runDue(): Promise<DueWorkCounts> {
    const now = this.clock.now();
    const counts: DueWorkCounts = {};
    for (const job of this.jobs) {
      let done: DueWorkCounts;
      try {
        done = await job.run(now);
      } catch (error) {
        this.logger.error(`due work "${job.name}" failed; the round goes on and the next one retries it`, error instanceof Error ? error.stack : String(error));
        continue;
      }
      for (const [count, value] of Object.entries(done)) {
        if (job.declared.has(count)) counts[count] = value;
        else this.logger.error(`due work "${job.name}" answered count "${count}" it did not register; left out`);
      }
    }
    return counts;
  }
}
