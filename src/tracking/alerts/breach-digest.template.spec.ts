import { renderInLocale } from '../../../test/support/locale-rendering.js';
import { LOCALES } from '../../i18n/locales.js';

/** A digest line of a breach with no subject (a quota's, a conversion's period) says "open" in every language, as the HTML does. */
describe('the breach digest, text part', () => {
  const context = {
    recipient: { name: 'Ola', email: 'ola@example.com', timezone: 'Europe/Paris', locale: 'en' },
    title: 'digest',
    count: 2,
    breaches: [
      { agreement: 'SLA-1', what: 'L-7', dueAt: '2026-11-02T09:00:00.000Z', explainUrl: 'https://concord.example.com/breaches/b1' },
      { agreement: 'SLA-2', what: '', dueAt: '2026-11-02T10:00:00.000Z', explainUrl: 'https://concord.example.com/breaches/b2' },
    ],
    more: 0,
    breachesUrl: 'https://concord.example.com/breaches',
  };

  it('names a breach without a subject instead of leaving a hole', () => {
    expect(renderInLocale('emails/breach-digest.text', context, 'en')).toContain('- SLA-2 — open, due ');
  });

  for (const locale of LOCALES) {
    it(`leaves no empty place in ${locale}`, () => {
      const text = renderInLocale('emails/breach-digest.text', { ...context, recipient: { ...context.recipient, locale } }, locale);
      expect(text).not.toMatch(/— ,|—\s*,|،\s*،/);
    });
  }
});
