import { LOCALE_NAMES, LOCALES } from '../i18n/locales.js';
import { pageFrame, renderInLocale, UntranslatedError } from '../../test/support/locale-rendering.js';

/**
 * The pages converted to the catalogues, rendered in every language with nothing missing (the
 * helper fails on a key a language lacks or a raw id). Each area adds its own pages here or in
 * a file of its own.
 */
const signedIn = (locale: (typeof LOCALES)[number]) =>
  pageFrame(locale, {
    person: { id: 'p1', name: 'Олена', email: 'olena@example.com', timezone: 'Europe/Kyiv', locale, role: 'admin', departmentId: null },
    nav: [
      { href: '/', labelKey: 'common.nav.dashboard', current: true },
      { href: '/admin/people', labelKey: 'common.nav.people', current: false },
    ],
  });

describe('pages in every language', () => {
  for (const locale of LOCALES) {
    describe(locale, () => {
      it('signs in, with the fields, their errors and the switch in the language', () => {
        const html = renderInLocale('pages/sign-in.html', { next: '/', values: { email: 'a@b.c' }, errors: { email: ['email must be an email'] }, linkSent: true }, locale);
        expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
        expect(html).not.toContain('{{');
      });

      it('confirms a sign-in link, escaping the name', () => {
        const html = renderInLocale('pages/sign-in-link.html', { token: 't', person: { name: '<i>Ada</i>', email: 'ada@example.com' }, problem: null }, locale);
        expect(html).toContain('&lt;i&gt;Ada&lt;/i&gt;');
        expect(html).not.toContain('<i>Ada</i>');
        renderInLocale('pages/sign-in-link.html', { token: '', person: null, problem: 'expired' }, locale);
      });

      it('shows an error page and the signed-in layout', () => {
        const html = renderInLocale('pages/error.html', { page: signedIn(locale), status: 404, message: 'gone' }, locale);
        expect(html).toContain('<bdi>Олена</bdi>');
      });
    });
  }

  it('writes the sign-in page in each language’s own words', () => {
    expect(renderInLocale('pages/sign-in.html', { next: '/', values: {}, errors: null, linkSent: false }, 'uk')).toContain('Вхід до Concord');
    expect(renderInLocale('pages/sign-in.html', { next: '/', values: {}, errors: null, linkSent: false }, 'ar')).toContain('تسجيل الدخول إلى Concord');
    expect(renderInLocale('pages/error.html', { page: signedIn('fr'), status: 404, message: 'x' }, 'fr')).toContain('>Tableau de bord</a>');
  });

  it('lists the languages by their own names on signed-out pages', () => {
    const page = pageFrame('fr', { languages: LOCALES.map((locale) => ({ locale, name: LOCALE_NAMES[locale], href: `/sign-in?lang=${locale}`, current: locale === 'fr' })) });
    const html = renderInLocale('pages/sign-in.html', { page, next: '/', values: {}, errors: null, linkSent: false }, 'fr');
    expect(html).toContain('<a href="/sign-in?lang&#x3D;uk" lang="uk" hreflang="uk">Українська</a>');
    expect(html).toContain('aria-current="true">Français</a>');
  });

  it('fails on a message id that is in no catalogue (so the checks above can fail)', () => {
    const page = pageFrame('ru', { ...signedIn('ru'), nav: [{ href: '/', labelKey: 'common.nav.nowhere', current: false }] });
    expect(() => renderInLocale('pages/error.html', { page, status: 404, message: 'x' }, 'ru')).toThrow(UntranslatedError);
  });
});
