import { DateTime } from 'luxon';

/**
 * When a subscribed report is sent, as people write it, read in their own time zone:
 *   "every day 07:30", "every weekday 08:00", "every Monday 08:00",
 *   "every Monday and Thursday 08:00", "every month on day 1 09:00".
 * Plain TypeScript; occurrences are computed with luxon, so "08:00" stays 08:00 on the wall
 * clock across daylight-saving changes.
 */
export interface ReportSchedule {
  /** ISO weekdays (1 = Monday … 7 = Sunday) for daily and weekly schedules. */
  weekdays: number[] | null;
  /** Day of the month (1–28) for monthly schedules. */
  dayOfMonth: number | null;
  hour: number;
  minute: number;
}

export class ScheduleError extends Error {}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EXAMPLES = '"every Monday 08:00", "every weekday 07:30", "every day 18:00" or "every month on day 1 09:00"';

function dayNumber(word: string): number {
  const name = word.toLowerCase().replace(/s$/, '');
  const index = DAYS.findIndex((day) => day === name || day.slice(0, 3) === name);
  if (index < 0) throw new ScheduleError(`"${word}" is not a day of the week; write for example ${EXAMPLES}`);
  return index + 1;
}

export function parseReportSchedule(text: string): ReportSchedule {
  const normalized = text.trim().replace(/\s+/g, ' ');
  const match = /^every (.+?) (?:at )?([01]?\d|2[0-3]):([0-5]\d)$/i.exec(normalized);
  if (!match) throw new ScheduleError(`"${text}" is not a schedule; write for example ${EXAMPLES}`);
  const [, when, hour, minute] = match;
  const time = { hour: Number(hour), minute: Number(minute) };
  const lower = when.toLowerCase();
  if (lower === 'day') return { weekdays: [1, 2, 3, 4, 5, 6, 7], dayOfMonth: null, ...time };
  if (lower === 'weekday') return { weekdays: [1, 2, 3, 4, 5], dayOfMonth: null, ...time };
  const monthly = /^month on day (\d{1,2})$/.exec(lower);
  if (monthly) {
    const day = Number(monthly[1]);
    if (day < 1 || day > 28) throw new ScheduleError('the day of the month must be from 1 to 28, so that every month has it');
    return { weekdays: null, dayOfMonth: day, ...time };
  }
  const weekdays = [...new Set(when.split(/\s*(?:,|\band\b)\s*/i).filter(Boolean).map(dayNumber))].sort();
  return { weekdays, dayOfMonth: null, ...time };
}

/** The last occurrence at or before `instant`, in the zone; epoch ms. */
export function lastOccurrence(schedule: ReportSchedule, instant: number, timezone: string): number {
  let candidate = DateTime.fromMillis(instant, { zone: timezone }).set({ hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 });
  for (let step = 0; step < 400; step++) {
    if (candidate.toMillis() <= instant && matches(schedule, candidate)) return candidate.toMillis();
    candidate = candidate.minus({ days: 1 }).set({ hour: schedule.hour, minute: schedule.minute });
  }
  throw new ScheduleError('no occurrence in the last 400 days');
}

/** The occurrence before a given one: the start of the period a report covers. */
export function previousOccurrence(schedule: ReportSchedule, occurrence: number, timezone: string): number {
  return lastOccurrence(schedule, occurrence - 1, timezone);
}

function matches(schedule: ReportSchedule, local: DateTime): boolean {
  return schedule.weekdays ? schedule.weekdays.includes(local.weekday) : local.day === schedule.dayOfMonth;
}

/** The first occurrence after `instant`, in the zone; epoch ms. */
export function nextOccurrence(schedule: ReportSchedule, instant: number, timezone: string): number {
  let candidate = DateTime.fromMillis(instant, { zone: timezone }).set({ hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 });
  for (let step = 0; step < 400; step++) {
    if (candidate.toMillis() > instant && matches(schedule, candidate)) return candidate.toMillis();
    candidate = candidate.plus({ days: 1 }).set({ hour: schedule.hour, minute: schedule.minute });
  }
  throw new ScheduleError('no occurrence in the next 400 days');
}
