import type { Locale } from './locales.js';
import type { Translator } from './translator.js';

/**
 * Dates, numbers and durations as a reader of each language writes them. Dates and numbers come
 * from Intl (the runtime's CLDR data); durations in words from the catalogues' ICU plural
 * messages (`common.duration.*`), joined by the language's own list pattern. Pure functions.
 */

export type InstantInput = string | number | Date;

function toDate(instant: InstantInput): Date {
  return instant instanceof Date ? instant : new Date(instant);
}

export type DateStyle = 'full' | 'long' | 'medium' | 'short';

/**
 * Intl formatters made once per language, zone and options: making one costs far more than
 * formatting with it, and a page or a batch of alerts formats hundreds of instants.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) {
    if (formatters.size >= 2_000) formatters.clear();
    formatters.set(key, (made = make()));
  }
  return made;
}
const dates = (locale: Locale, options: Intl.DateTimeFormatOptions) =>
  formatter(`d\u0000${locale}\u0000${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
const numbers = (locale: Locale, options: Intl.NumberFormatOptions) =>
  formatter(`n\u0000${locale}\u0000${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

/** "lundi 2 novembre 2026 à 10:00" (full), "2 ноября 2026 г. в 10:00" (long): an instant on the wall clock of a zone. */
export function formatDateTime(instant: InstantInput, zone: string, locale: Locale, style: DateStyle = 'long'): string {
  return dates(locale, { dateStyle: style, timeStyle: 'short', timeZone: zone }).format(toDate(instant));
}

/** "lun. 2 nov. 2026, 10:00", "пн, 2 нояб. 2026 г., 10:00": an instant for a line of a page, weekday included. */
export function formatShortDateTime(instant: InstantInput, zone: string, locale: Locale): string {
  return dates(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone }).format(toDate(instant));
}

/** "lundi 2 novembre 2026", "2 ноября 2026 г.": the day an instant falls on in a zone. */
export function formatDate(instant: InstantInput, zone: string, locale: Locale, style: DateStyle = 'full'): string {
  return dates(locale, { dateStyle: style, timeZone: zone }).format(toDate(instant));
}

/** "10:00": the time of day in a zone. */
export function formatTime(instant: InstantInput, zone: string, locale: Locale): string {
  return dates(locale, { timeStyle: 'short', timeZone: zone }).format(toDate(instant));
}

export function formatNumber(value: number, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return numbers(locale, { maximumFractionDigits: 1, ...options }).format(value);
}

/** A share given in percent (95.5 → "95,5 %" in French); null or undefined is "–". */
export function formatPercent(percent: number | null | undefined, locale: Locale): string {
  if (percent === null || percent === undefined || !Number.isFinite(Number(percent))) return '–';
  return numbers(locale, { style: 'percent', maximumFractionDigits: 1 }).format(Number(percent) / 100);
}

export interface DurationParts {
  /** Business days when `business`, else calendar days. */
  days: number;
  hours: number;
  minutes: number;
}

export interface DurationStyle {
  /** Working time ("1 working hour", "2 jours ouvrés") rather than calendar time ("1 hour"). */
  business?: boolean;
  /** `short`: "3 h 20 min"; `long`: "3 working hours and 20 minutes". */
  style?: 'short' | 'long';
}

/**
 * Seconds as days, hours and minutes (rounded to the minute). Calendar durations carry whole
 * days; business time has no fixed day length (that is the calendar's), so its seconds stay hours.
 */
export function splitSeconds(seconds: number, business = false): DurationParts {
  const total = Math.max(0, Math.round(seconds / 60));
  const days = business ? 0 : Math.floor(total / 1440);
  return { days, hours: Math.floor((total - days * 1440) / 60), minutes: total % 60 };
}

/** Each present unit through its plural message, the words joined as the language joins a list. */
export function durationPartsInWords(translator: Translator, locale: Locale, parts: DurationParts, { business = false, style = 'short' }: DurationStyle = {}): string {
  const unit = (name: 'days' | 'hours' | 'minutes') => {
    const working = business && name !== 'minutes' ? `working${name[0].toUpperCase()}${name.slice(1)}` : name;
    return translator.t(locale, `common.duration.${style}.${working}`, { count: parts[name] });
  };
  const words: string[] = [];
  if (parts.days) words.push(unit('days'));
  if (parts.hours) words.push(unit('hours'));
  if (parts.minutes || words.length === 0) words.push(unit('minutes'));
  const list = formatter(`l\u0000${locale}\u0000${style}`, () =>
    style === 'short' ? new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }) : new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }),
  );
  return list.format(words);
}

/** "1 h 15 min", "1 рабочий час", "2 heures ouvrées et 30 minutes": a number of seconds in words. */
export function durationInWords(translator: Translator, locale: Locale, seconds: number, style: DurationStyle = {}): string {
  return durationPartsInWords(translator, locale, splitSeconds(seconds, style.business), style);
}

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * An agreement's ISO 8601 target in words: "PT1H" → "1 working hour", "P2D" → "2 jours ouvrés",
 * "P1DT2H" → "1 рабочий день и 2 рабочих часа". Business time unless told otherwise; days stay
 * days (a business day is not 24 hours). Seconds round to the minute. Throws on anything else
 * than days, hours, minutes and seconds (calendars/business-time validates targets on the way in).
 */
export function isoDurationInWords(translator: Translator, locale: Locale, iso: string, { business = true, style = 'long' }: DurationStyle = {}): string {
  const match = ISO_DURATION.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) throw new RangeError(`"${iso}" is not an ISO 8601 duration of days, hours, minutes and seconds`);
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  const clockMinutes = hours * 60 + minutes + Math.round(seconds / 60);
  return durationPartsInWords(translator, locale, { days, hours: Math.floor(clockMinutes / 60), minutes: clockMinutes % 60 }, { business, style });
}
