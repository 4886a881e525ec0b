import { DateTime } from 'luxon';
import type { QuotaPeriodKind } from '../../agreements/domain/agreement-terms.js';

/** A quota period: [start, end) in epoch ms, cut at local midnight in the calendar's zone. */
export interface Period {
  start: number;
  end: number;
  /** "2026-W45", "2026-11", "2026-Q4". */
  label: string;
}

/** The week (ISO, from Monday), month or quarter containing an instant, in a time zone. */
export function periodContaining(instant: number, kind: QuotaPeriodKind, timezone: string): Period {
  const local = DateTime.fromMillis(instant, { zone: timezone });
  let start: DateTime;
  let label: string;
  if (kind === 'week') {
    start = local.startOf('week');
    label = `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
  } else if (kind === 'month') {
    start = local.startOf('month');
    label = start.toFormat('yyyy-MM');
  } else {
    start = local.startOf('quarter');
    label = `${start.year}-Q${start.quarter}`;
  }
  const end = start.plus(kind === 'week' ? { weeks: 1 } : kind === 'month' ? { months: 1 } : { months: 3 });
  return { start: start.toMillis(), end: end.toMillis(), label };
}

/** Every period overlapping [from, to), in order. */
export function periodsBetween(from: number, to: number, kind: QuotaPeriodKind, timezone: string): Period[] {
  const periods: Period[] = [];
  let cursor = from;
  while (cursor < to) {
    const period = periodContaining(cursor, kind, timezone);
    periods.push(period);
    cursor = period.end;
  }
  return periods;
}
