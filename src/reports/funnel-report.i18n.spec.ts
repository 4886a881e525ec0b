import { NOVEMBER_FUNNEL } from '../../test/support/funnel-report-sample.js';
import { renderInLocale, strictRenderer } from '../../test/support/locale-rendering.js';
import { loadCatalogues } from '../i18n/catalogues.js';
import { direction, LOCALES, type Locale } from '../i18n/locales.js';
import { presentFunnelPage } from '../web/reports/funnel-page.view.js';
import { funnelContext, reportReader } from './funnel-report.view.js';

/**
 * Issue 15: the funnel report (emailed HTML and text, and the page) and the history-measured email
 * in every language, strictly: a missing key, a raw id or an English message left in fails.
 */
const catalogues = loadCatalogues();
const ZONE = 'Europe/Paris';

function englishLeftIn(output: string, locale: Locale): string[] {
  if (locale === 'en') return [];
  const text = output.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');
  return Object.entries(catalogues.en)
    .filter(([key, message]) => /^(funnelReport|agreements\.historyMeasured)\./.test(key) && !message.includes('{') && message.length >= 8 && catalogues[locale][key] !== message)
    .map(([, message]) => message)
    .filter((message) => text.includes(message));
}

const reader = (locale: Locale) => reportReader(locale, strictRenderer().translator);

describe('the funnel report and the history-measured email in five languages', () => {
  for (const locale of LOCALES) {
    it(`renders the emailed report, its text twin and the page in ${locale}`, () => {
      const context = { ...funnelContext(NOVEMBER_FUNNEL, ZONE, reader(locale)), dir: direction(locale) };
      const html = renderInLocale('reports/funnel.html', context, locale);
      const text = renderInLocale('reports/funnel.text', context, locale);
      expect(html).toContain(`<html lang="${locale}" dir="${direction(locale)}">`);
      expect(englishLeftIn(html, locale)).toEqual([]);
      expect(englishLeftIn(text, locale)).toEqual([]);
      const values = { from: '2026-11-01', to: '2026-11-30', by: 'source', neverWorkedDays: '14' };
      const page = renderInLocale('pages/reports/funnel.html', presentFunnelPage({ values, errors: {}, model: NOVEMBER_FUNNEL, attributes: ['source'], zone: ZONE }, reader(locale)), locale);
      expect(englishLeftIn(page, locale)).toEqual([]);
      for (const english of ['win rate', 'Never worked', 'Response times', 'leads per stage', 'Group by']) expect(page).not.toContain(locale === 'en' ? '\u0000' : english);
    });

    it(`renders the history-measured email in ${locale}`, () => {
      const context = {
        title: 'Measuring',
        recipient: { name: 'Марина', email: 'm@example.com', timezone: ZONE, locale },
        agreement: 'Hot leads',
        measureFrom: '2026-11-01T00:00:00+01:00',
        found: '3',
        breaches: 2,
        agreementUrl: 'https://concord.example/agreements/1',
        breachesUrl: 'https://concord.example/breaches?agreementId=1',
        publicUrl: 'https://concord.example',
      };
      for (const format of ['html', 'text']) expect(englishLeftIn(renderInLocale(`emails/history-measured.${format}`, context, locale), locale)).toEqual([]);
    });
  }

  it('writes a Russian reader’s report in Russian: leads counted by Russian plurals, durations in words', () => {
    const context = { ...funnelContext(NOVEMBER_FUNNEL, ZONE, reader('ru')), dir: 'ltr' };
    const text = renderInLocale('reports/funnel.text', context, 'ru');
    expect(context.title).toBe('Воронка по source');
    expect(context.groups[0].cohortText).toBe('10 лидов');
    expect(context.groups[1].cohortText).toBe('2 лида');
    expect(context.groups[0].stages[1].medianText).toBe('1 дн.');
    expect(text).toContain('trade-show: 10 лидов, доля выигранных 0');
  });
});
