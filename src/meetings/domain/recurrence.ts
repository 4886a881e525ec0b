import { DateTime } from 'luxon';
import rrule from 'rrule';

const { RRule } = rrule;

/**
 * Occurrences of a meeting series: an RFC 5545 RRULE read on local wall-clock times in the
 * series' zone (RRULE matching is done on "floating" times), each occurrence then placed in the
 * zone with luxon, so "monthly on the first Tuesday at 10:00 Paris" is 10:00 in winter and summer.
 */
export class RecurrenceError extends Error {}

export interface Recurrence {
  rule: string;
  /** Local start of the first occurrence, "YYYY-MM-DDTHH:mm". */
  startsOn: string;
  timezone: string;
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const MAX_OCCURRENCES = 500;

function parse(rule: string, startsOn: string) {
  if (!LOCAL.test(startsOn) || !DateTime.fromISO(startsOn, { zone: 'utc' }).isValid) {
    throw new RecurrenceError(`startsOn "${startsOn}" must be a local date and time such as "2027-01-05T10:00"`);
  }
  const text = rule.replace(/^RRULE:/i, '').trim();
  if (/DTSTART|TZID/i.test(text)) throw new RecurrenceError('write the rule without DTSTART or TZID: startsOn and timezone say when it starts');
  let parsed;
  try {
    parsed = RRule.fromString(`DTSTART:${startsOn.replace(/[-:]/g, '')}00Z\nRRULE:${text}`);
  } catch (error) {
    throw new RecurrenceError(`"${rule}" is not an RFC 5545 recurrence rule: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed.options.count === null && parsed.options.until === null) {
    throw new RecurrenceError(`"${rule}" never ends: give it a COUNT or an UNTIL`);
  }
  if (parsed.options.count !== null && parsed.options.count > MAX_OCCURRENCES) {
    throw new RecurrenceError(`"${rule}" has more than ${MAX_OCCURRENCES} occurrences`);
  }
  if (![RRule.DAILY, RRule.WEEKLY, RRule.MONTHLY, RRule.YEARLY].includes(parsed.options.freq)) {
    throw new RecurrenceError('meetings recur daily, weekly, monthly or yearly (quarterly: FREQ=MONTHLY;INTERVAL=3)');
  }
  return parsed;
}

/** Checks a rule; throws RecurrenceError saying what is wrong. */
export function checkRecurrence(recurrence: Recurrence): void {
  const occurrences = parse(recurrence.rule, recurrence.startsOn).all((_date, index) => index < MAX_OCCURRENCES + 1);
  if (occurrences.length === 0) throw new RecurrenceError('the rule has no occurrence at or after startsOn');
  if (occurrences.length > MAX_OCCURRENCES) throw new RecurrenceError(`the rule has more than ${MAX_OCCURRENCES} occurrences`);
}

/** A local wall-clock time of the zone as an instant (a skipped time moves forward, as calendars do). */
export function localToInstant(local: string, timezone: string): number {
  return DateTime.fromISO(local, { zone: timezone }).toMillis();
}

/** Every occurrence start, as instants (epoch ms), in order. */
export function occurrences(recurrence: Recurrence): number[] {
  return parse(recurrence.rule, recurrence.startsOn)
    .all((_date, index) => index < MAX_OCCURRENCES)
    .map((floating) => localToInstant(floating.toISOString().slice(0, 16), recurrence.timezone));
}
