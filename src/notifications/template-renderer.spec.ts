import { formatDuration, TemplateError, TemplateRenderer } from './template-renderer.js';

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer();
  const recipient = { name: '<b>Ada</b>', email: 'ada@example.com', timezone: 'Europe/Paris' };

  it('escapes hostile values in HTML and shows times in the given zone with the ISO form beside', () => {
    const html = renderer.render('emails/at-risk.html', {
      title: 'At risk',
      recipient,
      subject: '{{x}} <script>alert(1)</script>',
      target: 'hot',
      agreement: 'Hot leads',
      usedPercent: 80,
      dueAt: '2026-11-09T08:30:00.000Z',
    });
    expect(html).toContain('{{x}} &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;b&gt;Ada&lt;/b&gt;');
    expect(html).toContain('Mon 9 Nov 2026, 09:30 Europe/Paris (2026-11-09T09:30+01:00)');
  });

  it('leaves plain text unescaped', () => {
    expect(renderer.render('partials/email-footer.text', { recipient })).toContain('<b>Ada</b> <ada@example.com>');
  });

  it('refuses a missing variable instead of leaving a hole', () => {
    expect(() => renderer.render('partials/email-footer.text', {})).toThrow(TemplateError);
  });

  it('formats durations for people', () => {
    expect(formatDuration(75 * 60)).toBe('1 h 15 min');
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(2 * 86400 + 3600)).toBe('2 d 1 h');
  });
});

describe('TemplateRenderer in the reader’s language', () => {
  const renderer = new TemplateRenderer();
  const recipient = { name: 'Ada', email: 'ada@example.com', timezone: 'Europe/Paris' };
  const atRisk = { title: 'At risk', recipient, subject: 's-1', target: 'hot', agreement: 'Hot leads', usedPercent: 80, dueAt: '2026-11-09T08:30:00.000Z' };

  it('writes times in the language of the root locale, keeping the zone and the ISO form', () => {
    const html = renderer.render('emails/at-risk.html', { ...atRisk, locale: 'fr' });
    expect(html).toContain('Europe/Paris (2026-11-09T09:30+01:00)');
    expect(html).toMatch(/lun\. 9 nov\. 2026,? 09:30 Europe\/Paris/);
    expect(html).not.toContain('Mon 9 Nov 2026');
  });

  it('writes English exactly as before when the locale is en or absent', () => {
    expect(renderer.render('emails/at-risk.html', { ...atRisk, locale: 'en' })).toBe(renderer.render('emails/at-risk.html', atRisk));
  });
});
