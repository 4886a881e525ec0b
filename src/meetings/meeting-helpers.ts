import type Handlebars from 'handlebars';
import { direction, FALLBACK_LOCALE, type Locale } from '../i18n/locales.js';
import { escapeHtml, type MessageValues, type Translator } from '../i18n/translator.js';
import { localeOfHelper } from '../notifications/template-renderer.js';

/**
 * Handlebars helpers of the meetings' templates (room, minutes, invitations), added to the shared
 * renderer by MeetingsModule and to the strict test renderer by the meetings' locale tests:
 *
 * - `{{day "2027-01-20"}}`: a calendar day (an action's due date) as the reader's language writes
 *   it ("20 janv. 2027", "20 янв. 2027 г."); in English the ISO day, as it always was. A day has no
 *   zone: it is formatted as the day it names, never shifted.
 * - `{{bdi name}}`: what people typed (a name) isolated in its own direction on a right-to-left
 *   page (`<bdi>`), so a Latin name or a number does not reorder the Arabic around it; as plain
 *   escaped text elsewhere.
 * - `{{nameOr person "–"}}`: a person's name, or the given stand-in when nobody is set.
 * - `{{joined names}}`: names one after the other, with the language's comma ("A, B"; "A، B").
 * - `{{agendaTitle item}}`: an agenda item's title; a generated one (with `titleMessage`, the
 *   catalogue message its builder kept) said again in a reader's language other than English.
 */
export function registerMeetingHelpers(handlebars: typeof Handlebars, translator: Translator): void {
  handlebars.registerHelper('joined', (list: unknown, options: Handlebars.HelperOptions) =>
    (Array.isArray(list) ? list : []).map(String).join(translator.t(localeOfHelper(options), 'meetings.minutes.comma')),
  );
  handlebars.registerHelper('day', (value: unknown, options: Handlebars.HelperOptions) => dayIn(localeOfHelper(options), value));
  handlebars.registerHelper('agendaTitle', (item: unknown, options: Handlebars.HelperOptions) => {
    const { title, titleMessage } = (item ?? {}) as { title?: unknown; titleMessage?: { key?: unknown; values?: unknown } | null };
    const locale = localeOfHelper(options);
    if (locale === FALLBACK_LOCALE || !titleMessage || typeof titleMessage.key !== 'string' || !translator.has(FALLBACK_LOCALE, titleMessage.key)) return String(title ?? '');
    return translator.t(locale, titleMessage.key, (titleMessage.values ?? {}) as MessageValues);
  });
  handlebars.registerHelper('bdi', (value: unknown, options: Handlebars.HelperOptions) => {
    const text = escapeHtml(String(value ?? ''));
    return new handlebars.SafeString(direction(localeOfHelper(options)) === 'rtl' ? `<bdi>${text}</bdi>` : text);
  });
  handlebars.registerHelper('nameOr', (...args: unknown[]) => {
    const [person, fallback] = args.length > 2 ? args : [args[0], '–'];
    const name = person && typeof person === 'object' && 'name' in person ? (person as { name: unknown }).name : null;
    return typeof name === 'string' && name !== '' ? name : String(fallback);
  });
}

/** "2027-01-20" in a language; anything that is not such a day is returned as it is. */
export function dayIn(locale: Locale, value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (locale === FALLBACK_LOCALE || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${text}T00:00:00Z`));
}
