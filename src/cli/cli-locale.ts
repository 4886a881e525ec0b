import { formatNumber } from '../i18n/formats.js';
import { FALLBACK_LOCALE, isLocale, localeOf, type Locale } from '../i18n/locales.js';
import { type MessageValues, sharedTranslator } from '../i18n/translator.js';

/**
 * The language a command-line tool writes in: the terminal's, as POSIX chooses it (LC_ALL, then
 * LC_MESSAGES, then LANG: `fr_FR.UTF-8` → fr), when it is one Concord speaks; else the
 * organisation's DEFAULT_LOCALE (a server's `C.UTF-8` or `POSIX` says nothing about its reader);
 * else English. Worked out from the environment alone, so a wrong command line or setting is
 * told in that language too, before the application starts.
 */
export function cliLocale(env: NodeJS.ProcessEnv): Locale {
  const terminal = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  const fromTerminal = localeOf(terminal);
  if (fromTerminal) return fromTerminal;
  return isLocale(env.DEFAULT_LOCALE) ? env.DEFAULT_LOCALE : FALLBACK_LOCALE;
}

/** Messages and numbers of a command, in one language. */
export interface CliText {
  locale: Locale;
  t(key: string, values?: MessageValues): string;
  /** A count as that language groups digits ("1,234", "1 234"). */
  count(value: number): string;
  /** A measure with one decimal ("0.4", "0,4"). */
  decimal(value: number): string;
}

export function cliText(locale: Locale): CliText {
  const translator = sharedTranslator();
  return {
    locale,
    t: (key, values) => translator.t(locale, key, values),
    count: (value) => formatNumber(value, locale, { maximumFractionDigits: 0 }),
    decimal: (value) => formatNumber(value, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }),
  };
}
