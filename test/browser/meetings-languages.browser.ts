import { holdAndApprove, monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, screenshot } from './support/browser.js';

/**
 * The meeting room in Russian and in Arabic, on a phone: the chair's page with its forms, an
 * agenda, outcomes and the minutes' steps; right to left in Arabic; no sideways scrolling at
 * 375 px; axe-core clean. Screenshots: docs/screenshots/meeting-room-ru.png and meeting-room-ar.png.
 */
describe('the meeting room in Russian and Arabic', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let meetingId: string;
  let heldId: string;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    h.t.clock.set('2026-12-01T09:00:00Z');
    const series = await h.t
      .as(org.marketingHead.token)
      .post('/api/meeting-series')
      .send(monthlyMeeting(org, { title: 'Совет Marketing & Sales', agendaTemplate: ['Итоги месяца', 'Campaign calendar'], location: 'Salle Jupiter' }));
    expect(series.status).toBe(201);
    meetingId = series.body.meetings[1].id;
    heldId = series.body.meetings[0].id;
    // The first meeting held and signed: the second carries its action item over.
    h.t.clock.set('2027-01-05T10:30:00Z');
    await holdAndApprove(h.t, org, heldId, [
      { type: 'decision', text: 'Горячие лиды — за один рабочий час', rationale: 'Sales has capacity', ownerId: org.salesHead.id },
      { type: 'action', text: 'Publish the lead rota', ownerId: org.salesHead.id, dueOn: '2027-01-20' },
    ]);
    h.t.clock.set('2027-01-25T09:00:00Z');
    const chair = h.t.as(org.marketingHead.token);
    expect((await chair.post(`/api/meetings/${meetingId}/agenda/build`)).status).toBe(200);
    expect((await chair.post(`/api/meetings/${meetingId}/outcomes`).send({ type: 'information', text: 'Бюджет согласован, 12 000 €' })).status).toBe(200);
  });
  afterAll(async () => h?.close());

  for (const locale of ['ru', 'ar'] as const) {
    it(`shows the chair's room in ${locale}, ${locale === 'ar' ? 'right to left' : 'left to right'}, on a phone`, async () => {
      expect((await h.t.as().patch(`/api/people/${org.marketingHead.id}`).send({ locale })).status).toBe(200);
      const phone = await h.signIn(org.marketingHead.token, 375);
      await phone.goto(`/meetings/${meetingId}`);
      expect(await phone.locator('html').getAttribute('lang')).toBe(locale);
      expect(await phone.locator('html').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      const heading = locale === 'ru' ? 'Повестка' : 'جدول الأعمال';
      expect(await phone.getByRole('heading', { level: 2, name: heading }).count()).toBe(1);
      const build = locale === 'ru' ? 'Пересобрать повестку по данным' : 'إعادة إعداد جدول الأعمال من البيانات';
      expect(await phone.getByRole('button', { name: build }).count()).toBe(1);
      // The carried-over action and the names typed keep their own alphabet.
      expect(await phone.locator('main').textContent()).toContain('Publish the lead rota');
      expect(await phone.locator('main').textContent()).toContain('Бюджет согласован');
      if (locale === 'ar') {
        // Latin names sit in their own direction inside the Arabic text.
        expect(await phone.locator('bdi', { hasText: 'Samir Head' }).count()).toBeGreaterThan(0);
        // The page's start is on the right: the headline's text ends at the right edge.
        const box = await phone.locator('h1').boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x + box!.width).toBeGreaterThan(375 - 40);
      }
      await expectPageOk(phone);
      await screenshot(phone, `meeting-room-${locale}`);

      // Recording an outcome reads back in the language, with its notice.
      await phone.locator('summary', { hasText: locale === 'ru' ? 'Записать итог встречи' : 'تسجيل نتيجة للاجتماع' }).click();
      await phone.getByLabel(locale === 'ru' ? 'Итог (встреча)' : 'النتيجة (الاجتماع)').fill(`Итог ${locale}`);
      await Promise.all([phone.waitForURL((url) => url.searchParams.has('notice')), phone.getByRole('button', { name: locale === 'ru' ? 'Записать итог встречи' : 'تسجيل النتيجة للاجتماع' }).click()]);
      expect(await phone.getByRole('status').textContent()).toBe(locale === 'ru' ? 'Итог записан.' : 'سُجّلت النتيجة.');
      await expectPageOk(phone);
    });
  }
});
