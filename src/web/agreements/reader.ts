import { rawEventTypes, type EventTypeNamer } from '../../agreements/event-type-names.js';
import { describeInstant, inZone, type InstantLike } from '../../common/instant-format.js';
import { formatShortDateTime, isoDurationInWords } from '../../i18n/formats.js';
import type { Locale } from '../../i18n/locales.js';
import { sharedTranslator, type MessageValues, type Translator } from '../../i18n/translator.js';

/**
 * Who reads a page of agreements or of the funnel, as the presenters need it: their language's
 * messages, the organisation's names of event types in that language, targets and instants as
 * that language writes them. Built once per request by the controllers (readerFor).
 */
export interface Reader {
  locale: Locale;
  t(key: string, values?: MessageValues): string;
  /** "Lead handed over to sales" / "Лид передан в продажи" for lead.handed_over. */
  typeName: EventTypeNamer;
  /** An ISO 8601 business-time target in words: "PT1H" → "1 working hour", "1 рабочий час"; as typed when it is not one. */
  within(iso: string): string;
  /** An instant on a zone's wall clock, for a sentence: "Mon 2 Nov 2026, 10:00 Europe/Paris". */
  instant(instant: InstantLike, zone: string): string;
}

export function readerFor(locale: Locale, translator: Translator = sharedTranslator(), typeName: EventTypeNamer = rawEventTypes): Reader {
  return {
    locale,
    t: (key, values) => translator.t(locale, key, values),
    typeName,
    within: (iso) => {
      try {
        return isoDurationInWords(translator, locale, iso);
      } catch {
        return iso;
      }
    },
    instant: (instant, zone) => (locale === 'en' ? describeInstant(instant, zone) : `${formatShortDateTime(inZone(instant, zone).toJSDate(), zone, locale)} ${zone}`),
  };
}

/** The English reader with raw event types: the presenters' default, for tests and callers that have no request. */
export const ENGLISH: Reader = readerFor('en');
