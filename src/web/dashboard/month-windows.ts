import { DateTime } from 'luxon';

export interface MonthWindow {
  /** "Nov 2026". */
  label: string;
  from: string;
  to: string;
}

/**
 * The calendar months ending with the current one, oldest first, cut at midnight in the given
 * zone: a head in Paris sees November as Paris sees it. The current month is not over yet: its
 * window ends just after now (now included: at midnight on the first it holds that instant,
 * rather than being empty — a window compliance refuses), so its figures are "so far".
 */
export function monthWindows(now: Date, zone: string, count: number): MonthWindow[] {
  const local = DateTime.fromJSDate(now, { zone });
  const windows: MonthWindow[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const start = local.startOf('month').minus({ months: back });
    const end = back === 0 ? local.plus({ milliseconds: 1 }) : start.plus({ months: 1 });
    windows.push({ label: start.toFormat('LLL yyyy'), from: start.toISO() as string, to: end.toISO() as string });
  }
  return windows;
}
