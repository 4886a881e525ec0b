import { DateTime } from 'luxon';

/**
 * How every page, email, report and minutes shows an instant: in the reader's own time zone.
 * One place, so a page and the email about the same fact read alike. Pure (no Nest, no clock).
 */

export type InstantLike = string | number | Date;

function toDateTime(instant: InstantLike): DateTime {
  if (instant instanceof Date) return DateTime.fromJSDate(instant);
  if (typeof instant === 'number') return DateTime.fromMillis(instant);
  return DateTime.fromISO(String(instant), { setZone: true });
}

/** The instant on the wall clock of a zone. */
export function inZone(instant: InstantLike, zone: string): DateTime {
  return toDateTime(instant).setZone(zone);
}

/** "Mon 9 Nov 2026, 09:30 Europe/Paris": short, for a line of a page. */
export function describeInstant(instant: InstantLike, zone: string): string {
  const local = inZone(instant, zone);
  return `${local.toFormat('ccc d LLL yyyy, HH:mm')} ${local.zoneName}`;
}

/**
 * "Mon 9 Nov 2026, 09:30 Europe/Paris (2026-11-09T09:30+01:00)": the reader's zone with the
 * language-neutral ISO form beside. With `ownZone` (the zone a meeting is planned in) different
 * from the reader's, the time there follows: "… · 10:00 in Europe/Moscow", with its date when
 * that differs ("· Wed 2 Dec, 01:00 in Asia/Tokyo").
 */
export function formatInstant(instant: InstantLike, zone: string, ownZone?: string | null): string {
  const local = inZone(instant, zone);
  const text = `${describeInstant(instant, zone)} (${local.toISO({ suppressMilliseconds: true, suppressSeconds: true })})`;
  if (!ownZone) return text;
  const own = inZone(instant, ownZone);
  if (own.zoneName === local.zoneName) return text;
  const sameDay = own.toISODate() === local.toISODate();
  return `${text} · ${own.toFormat(sameDay ? 'HH:mm' : 'ccc d LLL, HH:mm')} in ${own.zoneName}`;
}

/** "Tuesday 1 December 2026": the day an instant falls on in a zone, written out. */
export function longLocalDate(instant: InstantLike, zone: string): string {
  return inZone(instant, zone).toFormat('cccc d LLLL yyyy');
}

/** "2026-11-09": the day an instant falls on in a zone. */
export function isoLocalDate(instant: InstantLike, zone: string): string {
  return inZone(instant, zone).toISODate() as string;
}
