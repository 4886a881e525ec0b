import { loadCatalogues } from '../../src/i18n/catalogues.js';
import { direction, FALLBACK_LOCALE, type Locale } from '../../src/i18n/locales.js';
import { type MissingMessage, Translator } from '../../src/i18n/translator.js';
import { TemplateRenderer } from '../../src/notifications/template-renderer.js';
import { registerFormHelpers } from '../../src/web/form-fields.js';
import type { PageFrame } from '../../src/web/page-renderer.js';

/**
 * Renders templates in a language and fails on anything that language lacks: a `t` key missing
 * from its catalogue (which production would show in English) or missing everywhere (the raw
 * id), and a catalogue key showing raw in the output. Use it for every page and email of an
 * area, in every language:
 *
 *   for (const locale of LOCALES) it(locale, () => {
 *     const html = renderInLocale('pages/sign-in.html', { next: '/', values: {}, errors: null, linkSent: false }, locale);
 *     expect(html).toContain(…);
 *   });
 *
 * Pages get a page frame of the language (`pageFrame`) unless the context brings its own `page`.
 * Over HTTP, start the app with `TestApp.start({ strictMessages: true })` and check
 * `expectNoMissingMessages(t.missingMessages())` after the requests.
 */

export class UntranslatedError extends Error {}

let shared: { renderer: TemplateRenderer; translator: Translator } | undefined;

/** One renderer for the whole test file, its translator recording misses instead of falling back. */
export function strictRenderer(): { renderer: TemplateRenderer; translator: Translator } {
  if (!shared) {
    const translator = new Translator(loadCatalogues(), 'record');
    const renderer = new TemplateRenderer(translator);
    renderer.addHelpers(registerFormHelpers);
    shared = { renderer, translator };
  }
  return shared;
}

/** What PageRenderer gives a page, in a language; `overrides` for a signed-in person or a notice. */
export function pageFrame(locale: Locale, overrides: Partial<PageFrame> = {}): PageFrame {
  return {
    title: 'Test page',
    locale,
    dir: direction(locale),
    languages: [],
    person: null,
    csrf: 'csrf-token',
    nav: [],
    notice: null,
    ...overrides,
  };
}

export function describeMisses(missing: MissingMessage[]): string {
  return missing.map((miss) => `${miss.key} (${miss.outcome === 'unknown' ? 'in no catalogue: raw id shown' : `missing in ${miss.locale}: English shown`})`).join('\n  ');
}

/** Fails listing every message a render asked for and its language lacked. */
export function expectNoMissingMessages(missing: MissingMessage[]): void {
  if (missing.length > 0) throw new UntranslatedError(`untranslated messages:\n  ${describeMisses(missing)}`);
}

/** Catalogue keys that appear raw in a rendered text: a key passed where its message was meant. */
export function rawKeysIn(text: string): string[] {
  return Object.keys(loadCatalogues()[FALLBACK_LOCALE]).filter((key) => text.includes(key));
}

/**
 * Renders templates/<name>.hbs with the context, `locale` set at its root (as PageRenderer and
 * the email composers do), strictly: throws UntranslatedError on any miss or raw key.
 */
export function renderInLocale(name: string, context: Record<string, unknown>, locale: Locale): string {
  const { renderer, translator } = strictRenderer();
  translator.takeMissing();
  const page = name.startsWith('pages/') && !('page' in context) ? { page: pageFrame(locale) } : {};
  const output = renderer.render(name, { ...page, ...context, locale });
  expectNoMissingMessages(translator.takeMissing());
  const raw = rawKeysIn(output);
  if (raw.length > 0) throw new UntranslatedError(`raw message ids in ${name} (${locale}): ${raw.join(', ')}`);
  return output;
}
