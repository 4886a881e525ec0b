import { Inject, Injectable } from '@nestjs/common';
import { type DurationStyle, durationInWords, isoDurationInWords } from './formats.js';
import { DEFAULT_LOCALE, type Locale, negotiate, resolveLocale } from './locales.js';
import { type MessageValues, Translator } from './translator.js';

/** The cookie the language switch of signed-out pages leaves (`?lang=fr`). */
export const LANG_COOKIE = 'lang';

/**
 * Nest's handle on the pure functions of this folder: the catalogues loaded once, the
 * organisation's DEFAULT_LOCALE, and a request's language.
 */
@Injectable()
export class I18nService {
  /** DEFAULT_LOCALE is provided by the config module (config reads LOCALES from here, so the value comes by token, not by import). */
  constructor(
    @Inject(DEFAULT_LOCALE) readonly defaultLocale: Locale,
    readonly translator: Translator,
  ) {}

  t(locale: Locale, key: string, values?: MessageValues): string {
    return this.translator.t(locale, key, values);
  }

  /** A language for an API answer: Accept-Language only (a token's person does not change the contract), then English. */
  forApi(acceptLanguage: string | string[] | undefined): Locale {
    return negotiate(acceptLanguage, 'en');
  }

  /** A page's language: the person's, the visitor's switch, Accept-Language, DEFAULT_LOCALE (see resolveLocale). */
  forPage(sources: { person?: string | null; chosen?: unknown; acceptLanguage?: string | string[] | null }): Locale {
    return resolveLocale(sources, this.defaultLocale);
  }

  /**
   * An error's message for a reader: in English its own message, unchanged; in another language
   * its catalogue key when it carries one (DomainError.withMessageKey), else the general message
   * `fallbackKey` names, never English in the middle of a French page.
   */
  errorMessage(locale: Locale, error: { message: string; messageKey?: { key: string; values?: MessageValues } }, fallbackKey: string, fallbackValues?: MessageValues): string {
    if (locale === 'en') return error.message;
    if (error.messageKey && this.translator.has(locale, error.messageKey.key)) return this.t(locale, error.messageKey.key, error.messageKey.values);
    return this.t(locale, fallbackKey, fallbackValues);
  }

  duration(locale: Locale, seconds: number, style?: DurationStyle): string {
    return durationInWords(this.translator, locale, seconds, style);
  }

  isoDuration(locale: Locale, iso: string, style?: DurationStyle): string {
    return isoDurationInWords(this.translator, locale, iso, style);
  }
}
