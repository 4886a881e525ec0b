import type { BusinessCalendar } from '../../calendars/business-time/index.js';

export interface QuotaPace {
  /** Share of the period's working time gone by, 0–1. */
  elapsedShare: number;
  /** The count the period ends with if events keep coming at this pace; null before any working time. */
  projected: number | null;
  /** Whether that projection reaches the minimum. */
  onTrack: boolean | null;
}

/**
 * "At this pace: 170 of 200." Pace is measured in the calendar's working time, so a quiet
 * weekend does not drag the projection down and a holiday week does not inflate it.
 */
export function quotaPace(
  calendar: BusinessCalendar,
  count: number,
  minimum: number,
  periodStart: number,
  periodEnd: number,
  now: number,
): QuotaPace {
  const total = calendar.businessSecondsBetween(new Date(periodStart), new Date(periodEnd));
  const upTo = Math.min(Math.max(now, periodStart), periodEnd);
  const elapsed = calendar.businessSecondsBetween(new Date(periodStart), new Date(upTo));
  if (total <= 0 || elapsed <= 0) return { elapsedShare: 0, projected: null, onTrack: null };
  const projected = Math.floor((count * total) / elapsed);
  return { elapsedShare: elapsed / total, projected, onTrack: projected >= minimum };
}
