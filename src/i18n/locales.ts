/**
 * The languages Concord speaks, and how a request's language is chosen. Pure: no Nest, no I/O.
 * English is the language of the code, the API contract and the fallback of every message.
 */
export const LOCALES = ['en', 'fr', 'ru', 'uk', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = 'en';
/** Injection token of the organisation's default language (the DEFAULT_LOCALE setting). */
export const DEFAULT_LOCALE = 'concord:default-locale';

/** Each language named in itself, for the language switch and the person's select. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  uk: 'Українська',
  ar: 'العربية',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Right to left for Arabic; the page's `dir` attribute. */
export function direction(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** A language tag as a user agent or a person sends it ("fr-CA", "uk_UA", "RU") reduced to one of ours, or null. */
export function localeOf(tag: unknown): Locale | null {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : null;
}

/**
 * The best of our languages for an Accept-Language header ("uk-UA,uk;q=0.9,en;q=0.5"): by
 * quality, then by order; a language refused with q=0 is never chosen; `*` or nothing we speak
 * gives the fallback.
 */
export function negotiate(header: string | string[] | undefined | null, fallback: Locale = FALLBACK_LOCALE): Locale {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = text
    .split(',')
    .map((part, order) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      const quality = q ? Number(q[1]) : 1;
      return { locale: localeOf(tag), quality: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((entry): entry is { locale: Locale; quality: number; order: number } => entry.locale !== null && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  return ranked[0]?.locale ?? fallback;
}

/**
 * Whose language a page is in: the signed-in person's own choice, else the visitor's switch
 * (`?lang=` or the `lang` cookie it leaves), else the browser's Accept-Language, else the
 * organisation's DEFAULT_LOCALE.
 */
export function resolveLocale(sources: { person?: string | null; chosen?: unknown; acceptLanguage?: string | string[] | null }, defaultLocale: Locale): Locale {
  return localeOf(sources.person) ?? localeOf(sources.chosen) ?? negotiate(sources.acceptLanguage, defaultLocale);
}
