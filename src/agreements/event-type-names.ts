import { FALLBACK_LOCALE, type Locale } from '../i18n/locales.js';
import type { Translator } from '../i18n/translator.js';

/**
 * The event types Concord and its conventions speak of, each with a default name in every
 * catalogue (`eventTypes.<type>` in locales/<lang>/event-types.json): the lead lifecycle of the
 * funnel stages and response agreements, and the events briefs emit.
 */
export const CONVENTIONAL_EVENT_TYPES = [
  'lead.created',
  'lead.mql',
  'lead.accepted',
  'lead.rejected',
  'lead.sql',
  'lead.handed_over',
  'lead.contacted',
  'lead.on_hold',
  'lead.resumed',
  'lead.disqualified',
  'lead.won',
  'lead.lost',
  'lead.recycled',
  'brief.submitted',
  'brief.accepted',
  'brief.returned',
  'brief.started',
  'brief.completed',
  'brief.cancelled',
] as const;

/** The catalogue key of a type's default name. */
export function eventTypeKey(type: string): string {
  return `eventTypes.${type}`;
}

/** How a page names an event type for its reader. */
export type EventTypeNamer = (type: string) => string;

/** A namer that knows no names: the raw type (unit tests, and code that has no reader). */
export const rawEventTypes: EventTypeNamer = (type) => type;

/**
 * A type's name for a reader of `locale`: the organisation's own name in that language, else the
 * catalogue's default in that language (English when only English has one), else the raw type.
 */
export function eventTypeNamer(translator: Translator, locale: Locale, custom: ReadonlyMap<string, string>): EventTypeNamer {
  return (type) => {
    const own = custom.get(type);
    if (own) return own;
    const key = eventTypeKey(type);
    if (translator.has(locale, key) || translator.has(FALLBACK_LOCALE, key)) return translator.t(locale, key);
    return type;
  };
}
