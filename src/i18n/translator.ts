import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { type Catalogues, loadCatalogues } from './catalogues.js';
import { FALLBACK_LOCALE, type Locale } from './locales.js';

/** Markup a message may hold, for `html()`: emphasis, and <bdi> to keep a name's own direction in Arabic. */
export const RICH_TAGS = ['strong', 'em', 'code', 'bdi'] as const;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (character) => HTML_ESCAPES[character]);
}

export type MessageValues = Record<string, PrimitiveType>;

/**
 * What happens when a language lacks a message: in production the English text is shown
 * (`fallback`); tests choose `throw`, or `record` to list every miss of a whole render.
 */
export type MissingPolicy = 'fallback' | 'throw' | 'record';

export interface MissingMessage {
  locale: Locale;
  key: string;
  /** `fallback`: shown in English; `unknown`: English lacks it too, the raw key was shown. */
  outcome: 'fallback' | 'unknown';
}

export class MissingMessageError extends Error {
  constructor(readonly missing: MissingMessage) {
    super(`message ${missing.key} is missing in ${missing.locale}${missing.outcome === 'unknown' ? ' and in English' : ''}`);
    this.name = 'MissingMessageError';
  }
}

/**
 * Turns a key and values into text in a language, through ICU MessageFormat (FormatJS): plurals
 * by the language's own rules (Russian and Ukrainian three forms, Arabic six), select, numbers.
 * Compiled messages are kept, so a page of a hundred labels compiles each once.
 */
export class Translator {
  private readonly compiled = new Map<string, IntlMessageFormat>();
  /** Under `record`: every miss since the last `takeMissing()`. */
  private missing: MissingMessage[] = [];

  constructor(
    readonly catalogues: Catalogues = loadCatalogues(),
    readonly policy: MissingPolicy = 'fallback',
  ) {}

  has(locale: Locale, key: string): boolean {
    return Object.hasOwn(this.catalogues[locale], key);
  }

  t(locale: Locale, key: string, values?: MessageValues): string {
    if (this.has(locale, key)) return this.format(locale, key, values);
    const miss: MissingMessage = { locale, key, outcome: this.has(FALLBACK_LOCALE, key) ? 'fallback' : 'unknown' };
    this.report(miss);
    return miss.outcome === 'fallback' ? this.format(FALLBACK_LOCALE, key, values) : key;
  }

  /**
   * A text that reached a reader untranslated by another road than a key (a field message no
   * catalogue entry matches: see field-messages.ts), handled by the same policy as a missing key.
   */
  report(miss: MissingMessage): void {
    if (this.policy === 'throw') throw new MissingMessageError(miss);
    if (this.policy === 'record') this.missing.push(miss);
  }

  /**
   * A message holding markup (`Sign in as <strong>{name}</strong>?`) as HTML: the values are
   * escaped, only the tags of RICH_TAGS are allowed and become those elements. The catalogues
   * are ours; the values are what people typed.
   */
  html(locale: Locale, key: string, values: MessageValues = {}): string {
    const escaped: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) escaped[name] = typeof value === 'string' ? escapeHtml(value) : value;
    for (const tag of RICH_TAGS) escaped[tag] = (chunks: unknown[]) => `<${tag}>${chunks.join('')}</${tag}>`;
    return this.t(locale, key, escaped as MessageValues);
  }

  /** The misses recorded so far, forgetting them. */
  takeMissing(): MissingMessage[] {
    const taken = this.missing;
    this.missing = [];
    return taken;
  }

  private format(locale: Locale, key: string, values?: MessageValues): string {
    const id = `${locale}\u0000${key}`;
    let message = this.compiled.get(id);
    if (!message) {
      message = new IntlMessageFormat(this.catalogues[locale][key], locale);
      this.compiled.set(id, message);
    }
    const text = message.format(values) as string | unknown[];
    return Array.isArray(text) ? text.join('') : String(text);
  }
}

let shared: Translator | undefined;

/** The catalogues of locales/, loaded once per process, English fallback. */
export function sharedTranslator(): Translator {
  shared ??= new Translator();
  return shared;
}
