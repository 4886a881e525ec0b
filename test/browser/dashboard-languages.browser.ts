import type { Page } from 'playwright-core';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { sendEvents } from '../support/tracking-fixture.js';
import { BrowserHarness, expectPageOk, screenshot } from './support/browser.js';

/** A hot lead handed over at `at` (Paris office hours) and called `minutes` later. */
function lead(subject: string, at: string, minutes: number) {
  const contacted = new Date(new Date(at).getTime() + minutes * 60_000).toISOString();
  return [crmEvent('lead.handed_over', subject, at, { score: 'hot' }), crmEvent('lead.contacted', subject, contacted)];
}

/**
 * Issue 15: the dashboard of a head of sales who reads Russian, then Arabic — in the language,
 * Arabic right to left, usable on a 375 px phone without sideways scrolling, axe-core clean.
 */
describe('the dashboard in Russian and in Arabic', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start({ strictMessages: true });
    const t = h.t;
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-08-03T08:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    await signAgreement(t, org, qualifiedLeads(org, calendarId));
    t.clock.set('2026-11-24T10:00:00Z');
    await sendEvents(t, org.salesHead.token, [
      ...lead('L-SEP-1', '2026-09-07T09:00:00+02:00', 20),
      ...lead('L-OCT-1', '2026-10-05T09:00:00+02:00', 20),
      ...lead('L-OCT-2', '2026-10-06T09:00:00+02:00', 150),
      ...lead('L-NOV-1', '2026-11-09T09:00:00+01:00', 10),
      ...lead('L-NOV-3', '2026-11-16T09:00:00+01:00', 95),
      ...Array.from({ length: 60 }, (_, i) => crmEvent('lead.mql', `M-${i}`, `2026-11-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00+01:00`, { region: 'EU' })),
    ]);
    t.clock.set('2026-10-20T08:00:00Z');
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org, { startsOn: '2026-11-03T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3' }));
    expect(series.status).toBe(201);
    const meetingId = series.body.meetings[0].id;
    t.clock.set('2026-11-03T10:30:00Z');
    await t.as(org.marketingHead.token).post(`/api/meetings/${meetingId}/outcomes`).send({ type: 'action', text: 'Опубликовать график дежурств', ownerId: org.salesHead.id, dueOn: '2026-11-20' });
    t.clock.set('2026-11-24T10:00:00Z');
  });
  afterAll(async () => h?.close());
  afterEach(() => expectNoMissingMessages(h.t.missingMessages()));

  async function dashboardIn(locale: 'ru' | 'ar', width: number): Promise<Page> {
    expect((await h.t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale })).status).toBe(200);
    return h.signIn(org.salesHead.token, width);
  }

  it('reads in Russian: headings, months, dates and lateness in words', async () => {
    const page = await dashboardIn('ru', 1280);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    const breaches = page.getByRole('region', { name: 'Нарушения, ожидающие объяснения' });
    const lines = await breaches.textContent();
    expect(lines).toContain('опоздание — 1 рабочий час и 30 минут');
    expect(lines).toContain('16 нояб. 2026 г.');
    const card = page.getByRole('article').filter({ hasText: 'Hot leads' });
    expect(await card.textContent()).toContain('в срок в этом месяце при цели 95 %');
    expect(await card.getByRole('img').getAttribute('aria-label')).toMatch(/^Последние шесть месяцев: май 2026 –, июнь 2026 –, июль 2026 –, авг\. 2026 –, сент\. 2026 100\s%, окт\. 2026 50\s%$/);
    expect(await page.getByRole('region', { name: 'Мои открытые поручения' }).textContent()).toContain('просрочено');
    await expectPageOk(page);
    await screenshot(page, 'dashboard-ru');

    const phone = await dashboardIn('ru', 375);
    await expectPageOk(phone);
  });

  it('reads right to left in Arabic, on a desktop and on a 375 px phone', async () => {
    const page = await dashboardIn('ar', 1280);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^أهلًا بك، /);
    const breaches = page.getByRole('region', { name: 'إخلالات بانتظار التوضيح' });
    expect(await breaches.textContent()).toContain('التأخير: ساعة عمل واحدة و30 دقيقة');
    // The main column starts on the right: its text is aligned to the start of an RTL line.
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    const main = await page.locator('main').boundingBox();
    expect(heading && main && heading.x + heading.width).toBeGreaterThan((main?.x ?? 0) + (main?.width ?? 0) - 40);
    await expectPageOk(page);
    await screenshot(page, 'dashboard-ar');

    const phone = await dashboardIn('ar', 375);
    await expectPageOk(phone);
    await screenshot(phone, 'dashboard-ar-phone');
  });
});
