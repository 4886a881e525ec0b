import type Handlebars from 'handlebars';
import { durationInWords } from '../../i18n/formats.js';
import { FALLBACK_LOCALE } from '../../i18n/locales.js';
import type { Translator } from '../../i18n/translator.js';
import { formatDuration, localeOfHelper } from '../../notifications/template-renderer.js';

/**
 * `{{workingTime seconds}}`: how late a breach is, in working time, as its reader writes it.
 * English keeps the short form its pages and emails always had ("3 h 20 min"); every other
 * language says it in words with its own plurals ("3 рабочих часа и 20 минут", "2 heures ouvrées"),
 * as issue 15 asks. Registered once on the shared TemplateRenderer by AlertMessages (emails) — the
 * breach pages and the dashboard render through the same instance.
 */
export function registerWorkingTimeHelper(handlebars: typeof Handlebars, translator: Translator): void {
  handlebars.registerHelper('workingTime', (seconds: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    if (locale === FALLBACK_LOCALE) return formatDuration(Number(seconds));
    return durationInWords(translator, locale, Number(seconds), { business: true, style: 'long' });
  });
}
