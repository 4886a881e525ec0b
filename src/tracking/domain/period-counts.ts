import type { ComplianceCounts } from './compliance.js';

/**
 * The compliance counts of an agreement measured per period (quota, conversion): each period of
 * the window is one part — met, breached (missed) or running (open); a period is missed only once
 * closed, so none is breached and still open, and none is paused or cancelled.
 */
export function periodCounts(statuses: readonly ('open' | 'met' | 'missed')[]): ComplianceCounts {
  const met = statuses.filter((status) => status === 'met').length;
  const missed = statuses.filter((status) => status === 'missed').length;
  return {
    total: statuses.length,
    met,
    breached: missed,
    breachedOpen: 0,
    running: statuses.filter((status) => status === 'open').length,
    paused: 0,
    cancelled: 0,
    metPercent: met + missed === 0 ? null : Math.round((met * 10_000) / (met + missed)) / 100,
    medianSeconds: null,
    p90Seconds: null,
  };
}
