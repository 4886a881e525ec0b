import fc from 'fast-check';
import { direction, isLocale, LOCALES, negotiate, resolveLocale } from './locales.js';

describe('locales', () => {
  it('knows its five languages and their direction', () => {
    expect(LOCALES).toEqual(['en', 'fr', 'ru', 'uk', 'ar']);
    expect(isLocale('uk')).toBe(true);
    expect(isLocale('de')).toBe(false);
    expect(isLocale('EN')).toBe(false);
    expect(LOCALES.map(direction)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'rtl']);
  });

  it('negotiates Accept-Language by quality, then order, ignoring regions and refusals', () => {
    expect(negotiate('uk-UA,uk;q=0.9,en;q=0.5')).toBe('uk');
    expect(negotiate('de-DE, fr-CA;q=0.4, ru;q=0.8')).toBe('ru');
    expect(negotiate('ar;q=0, fr;q=0.1')).toBe('fr');
    expect(negotiate('de, *;q=0.5', 'fr')).toBe('fr');
    expect(negotiate(undefined, 'ru')).toBe('ru');
    expect(negotiate('', 'ar')).toBe('ar');
    expect(negotiate('RU')).toBe('ru');
  });

  it('never answers anything but one of its languages, whatever the header', () => {
    fc.assert(fc.property(fc.string(), (header) => isLocale(negotiate(header))));
  });

  it('resolves a page: person, then switch, then Accept-Language, then the default', () => {
    expect(resolveLocale({ person: 'ru', chosen: 'fr', acceptLanguage: 'ar' }, 'en')).toBe('ru');
    expect(resolveLocale({ person: null, chosen: 'fr', acceptLanguage: 'ar' }, 'en')).toBe('fr');
    expect(resolveLocale({ person: null, chosen: 'xx', acceptLanguage: 'ar' }, 'en')).toBe('ar');
    expect(resolveLocale({ acceptLanguage: 'de' }, 'uk')).toBe('uk');
  });
});
