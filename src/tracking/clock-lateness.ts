import type { BusinessCalendar } from '../calendars/business-time/index.js';
import type { SlaClock } from './sla-clock.entity.js';

/** Stopped or cancelled: the clock counts no more. */
export function hasClosed(clock: Pick<SlaClock, 'state'>): boolean {
  return clock.state === 'stopped' || clock.state === 'cancelled';
}

/**
 * Past its due time and not yet marked so by the sweep: already breached for whoever reads it.
 * A paused clock has a due time only when it fell due while counting.
 */
export function fellDueUnswept(clock: Pick<SlaClock, 'state' | 'outcome'>, dueAt: number | null, now: number): boolean {
  return clock.outcome === 'pending' && (clock.state === 'running' || clock.state === 'paused') && dueAt !== null && dueAt <= now;
}

/**
 * How late a breached clock is, in working seconds: fixed once it closed (a request cancelled
 * after its due time is late up to the cancel, not for ever), else counted up to now.
 */
export async function lateSecondsOf(
  clock: Pick<SlaClock, 'state' | 'elapsedSeconds' | 'targetSeconds'>,
  dueAt: Date,
  now: Date,
  calendar: () => Promise<BusinessCalendar>,
): Promise<number> {
  if (hasClosed(clock)) return Math.max(0, clock.elapsedSeconds - clock.targetSeconds);
  return Math.max(0, (await calendar()).businessSecondsBetween(dueAt, now));
}
