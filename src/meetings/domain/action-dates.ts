import { DateTime } from 'luxon';

/**
 * An action item is due on a calendar date, as its owner lives it: overdue once that date has
 * passed in the owner's own time zone (in Sydney a day before New York). Without an owner, the
 * series' zone decides. One rule for the room, the agenda, the reminders and the dashboard.
 */
export function localToday(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() as string;
}

export function isOverdue(dueOn: string | null, now: Date, zone: string): boolean {
  return dueOn !== null && dueOn < localToday(now, zone);
}
