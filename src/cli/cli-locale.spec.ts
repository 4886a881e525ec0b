import { cliLocale, cliText } from './cli-locale.js';

describe('the language of a command', () => {
  it('follows the terminal as POSIX picks it: LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(cliLocale({ LANG: 'uk_UA.UTF-8' })).toBe('uk');
    expect(cliLocale({ LC_MESSAGES: 'ru_RU.UTF-8', LANG: 'uk_UA.UTF-8' })).toBe('ru');
    expect(cliLocale({ LC_ALL: 'ar_AE.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8', LANG: 'uk_UA.UTF-8' })).toBe('ar');
    // An empty variable is an unset one.
    expect(cliLocale({ LC_ALL: '', LANG: 'fr_FR.UTF-8' })).toBe('fr');
  });

  it("takes DEFAULT_LOCALE when the terminal names no language Concord speaks, else English", () => {
    expect(cliLocale({ LANG: 'C.UTF-8', DEFAULT_LOCALE: 'fr' })).toBe('fr');
    expect(cliLocale({ LANG: 'POSIX', DEFAULT_LOCALE: 'ru' })).toBe('ru');
    expect(cliLocale({ LANG: 'de_DE.UTF-8', DEFAULT_LOCALE: 'uk' })).toBe('uk');
    expect(cliLocale({ DEFAULT_LOCALE: 'klingon' })).toBe('en');
    expect(cliLocale({})).toBe('en');
  });

  it('groups counts as the language writes them', () => {
    expect(cliText('en').count(1234567)).toBe('1,234,567');
    expect(cliText('fr').count(1234)).toMatch(/^1[\s\u202f]234$/u);
    expect(cliText('fr').decimal(0.4)).toBe('0,4');
    expect(cliText('en').decimal(12.34)).toBe('12.3');
    expect(cliText('ru').t('cli.import.noSuchFile', { file: 'a.csv' })).toBe('файл не найден: a.csv');
  });
});
