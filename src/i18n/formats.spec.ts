import fc from 'fast-check';
import { formatDuration } from '../notifications/template-renderer.js';
import { loadCatalogues } from './catalogues.js';
import { durationInWords, formatDate, formatDateTime, formatPercent, isoDurationInWords, splitSeconds } from './formats.js';
import { LOCALES } from './locales.js';
import { Translator } from './translator.js';

const translator = new Translator(loadCatalogues(), 'throw');

describe('formats', () => {
  it('writes dates as each language does, in the reader’s zone', () => {
    expect(formatDateTime('2026-11-02T09:00:00Z', 'Europe/Paris', 'fr', 'full')).toBe('lundi 2 novembre 2026 à 10:00');
    expect(formatDateTime('2026-11-02T07:00:00Z', 'Europe/Moscow', 'ru')).toMatch(/^2 ноября 2026 г\.,? (в )?10:00$/);
    expect(formatDate('2026-11-02T07:00:00Z', 'Europe/Kyiv', 'uk')).toBe('понеділок, 2 листопада 2026 р.');
    expect(formatDate('2026-11-02T23:30:00Z', 'Asia/Dubai', 'en')).toBe('Tuesday, November 3, 2026');
  });

  it('writes percents in the language, with "–" for nothing', () => {
    expect(formatPercent(95, 'en')).toBe('95%');
    expect(formatPercent(95.5, 'fr')).toBe('95,5\u00a0%');
    expect(formatPercent(null, 'ru')).toBe('–');
  });

  it('writes durations in words, business or calendar', () => {
    expect(durationInWords(translator, 'en', 3600, { business: true, style: 'long' })).toBe('1 working hour');
    expect(durationInWords(translator, 'ru', 3600, { business: true, style: 'long' })).toBe('1 рабочий час');
    expect(durationInWords(translator, 'fr', 12_000)).toBe('3 h 20 min');
    expect(durationInWords(translator, 'en', 12_000, { style: 'long' })).toBe('3 hours and 20 minutes');
    expect(durationInWords(translator, 'uk', 2 * 86_400 + 60, { style: 'long' })).toBe('2 дні і 1 хвилина');
    expect(isoDurationInWords(translator, 'fr', 'P2D')).toBe('2 jours ouvrés');
    expect(isoDurationInWords(translator, 'en', 'PT1H')).toBe('1 working hour');
    expect(isoDurationInWords(translator, 'ru', 'P1DT2H')).toBe('1 рабочий день и 2 рабочих часа');
    expect(isoDurationInWords(translator, 'ar', 'PT2H')).toBe('ساعتا عمل');
    expect(isoDurationInWords(translator, 'en', 'PT90M')).toBe('1 working hour and 30 minutes');
    expect(() => isoDurationInWords(translator, 'en', 'P1W')).toThrow(RangeError);
  });

  it('writes the English short form exactly as the templates always did', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (seconds) => {
        expect(durationInWords(translator, 'en', seconds)).toBe(formatDuration(seconds));
      }),
    );
  });

  it('keeps every minute of a duration, in every language, with a number in the words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400 }), fc.boolean(), fc.constantFrom(...LOCALES), (seconds, business, locale) => {
        const parts = splitSeconds(seconds, business);
        expect(parts.days * 1440 + parts.hours * 60 + parts.minutes).toBe(Math.round(seconds / 60));
        expect(parts.hours).toBeLessThan(business ? Infinity : 24);
        expect(durationInWords(translator, locale, seconds, { business, style: 'long' }).length).toBeGreaterThan(0);
      }),
    );
  });
});
