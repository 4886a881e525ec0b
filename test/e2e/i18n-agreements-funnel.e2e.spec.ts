import { LOCALES, type Locale } from '../../src/i18n/locales.js';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { expectNoMissingMessages, rawKeysIn } from '../support/locale-rendering.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 15, area G2: the agreements, funnel stages and funnel pages in the reader's language,
 * targets in words, and event types by the names the organisation gives them. SQLite by
 * default; DATABASE_URL runs it on PostgreSQL.
 */
describe('agreements and the funnel in the reader’s language', () => {
  let t: TestApp;
  let org: SeededOrg;
  let agreementId: string;
  let quotaId: string;
  let draftId: string;
  let session: Awaited<ReturnType<typeof pageSession>>;

  /** The marketing head reads Concord in `locale` from now on. */
  const speak = async (locale: Locale | null) => {
    const changed = await t.as().patch(`/api/people/${org.marketingHead.id}`).send({ locale });
    expect(changed.status).toBe(200);
  };

  /** A page as the marketing head sees it: 200, in its language, no catalogue key shown raw. */
  const page = async (path: string, locale: Locale) => {
    const response = await session.get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    expect(response.text).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(rawKeysIn(response.text)).toEqual([]);
    return response.text;
  };

  beforeAll(async () => {
    t = await TestApp.start({ strictMessages: true });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-11-02T09:00:00Z');
    agreementId = await signAgreement(t, org, hotLeads(org, calendarId));
    quotaId = await signAgreement(t, org, { ...qualifiedLeads(org, calendarId), name: 'Qualified leads' });
    const draft = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Warm leads too' });
    draftId = draft.body.id;
    expect((await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`)).status).toBe(200);
    await t.as(org.marketingMember.token).post('/api/events').send([crmEvent('lead.handed_over', 'L-1', '2026-11-02T10:00:00+01:00', { score: 'hot' })]);
    session = await pageSession(t, org.marketingHead.token);
  });
  afterAll(async () => speak(null));
  afterAll(async () => t?.close());
  afterEach(() => expectNoMissingMessages(t.missingMessages()));

  describe('event type names (PUT/GET /api/event-types/:type/names)', () => {
    it('gives the conventional types their default names in every language', async () => {
      const list = await t.as().get('/api/event-types/names');
      expect(list.status).toBe(200);
      const handedOver = list.body.items.find((item: { type: string }) => item.type === 'lead.handed_over');
      expect(handedOver.names).toEqual(expect.objectContaining({ en: 'Lead handed over to sales', ru: 'Лид передан в продажи' }));
      expect(handedOver.custom).toEqual({});
    });

    it('lets a head name a type per language, a null going back to the default', async () => {
      const set = await t.as(org.salesHead.token).put('/api/event-types/lead.demo_booked/names').send({ ru: '  Демо назначено ', fr: 'Démo planifiée' });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        type: 'lead.demo_booked',
        custom: { ru: 'Демо назначено', fr: 'Démo planifiée' },
        names: { en: 'lead.demo_booked', fr: 'Démo planifiée', ru: 'Демо назначено', uk: 'lead.demo_booked', ar: 'lead.demo_booked' },
      });
      const reset = await t.as(org.salesHead.token).put('/api/event-types/lead.demo_booked/names').send({ fr: null });
      expect(reset.body.custom).toEqual({ ru: 'Демо назначено' });
      const got = await t.as(org.marketingMember.token).get('/api/event-types/lead.demo_booked/names');
      expect(got.body.names.fr).toBe('lead.demo_booked');
      const listed = await t.as().get('/api/event-types/names');
      expect(listed.body.items.map((item: { type: string }) => item.type)).toContain('lead.demo_booked');
    });

    it('refuses, naming the field, an unknown language, an empty or overlong name, a bad type; a member may not name', async () => {
      const unknown = await t.as().put('/api/event-types/lead.sql/names').send({ de: 'Verkaufsbereit', ru: 'ok' });
      expect(unknown.status).toBe(400);
      expect(Object.keys(unknown.body.errors)).toEqual(['de']);
      const empty = await t.as().put('/api/event-types/lead.sql/names').send({ ru: '   ', uk: 'x'.repeat(121), fr: 5 });
      expect(empty.status).toBe(400);
      expect(Object.keys(empty.body.errors).sort()).toEqual(['fr', 'ru', 'uk']);
      const badType = await t.as().put('/api/event-types/..bad/names').send({ ru: 'x' });
      expect(badType.status).toBe(400);
      expect(Object.keys(badType.body.errors)).toEqual(['type']);
      const member = await t.as(org.salesMember.token).put('/api/event-types/lead.sql/names').send({ ru: 'x' });
      expect(member.status).toBe(403);
      // Nothing of the refused requests was stored.
      const sql = await t.as().get('/api/event-types/lead.sql/names');
      expect(sql.body.custom).toEqual({});
    });
  });

  describe('pages', () => {
    for (const locale of LOCALES) {
      it(`shows the agreements list, a detail with its figures, clocks and replay, and the editor in ${locale}`, async () => {
        await speak(locale);
        await page('/agreements', locale);
        await page(`/agreements/${agreementId}`, locale);
        await page(`/agreements/${agreementId}?from=2026-10-01&to=2026-11-30`, locale);
        await page(`/agreements/${quotaId}`, locale);
        await page(`/agreements/${draftId}`, locale);
        await page(`/agreements/${agreementId}/edit`, locale);
        await page('/agreements/new', locale);
      });
    }

    it('shows a Russian reader the agreements in Russian, targets in words', async () => {
      await speak('ru');
      const list = await page('/agreements', 'ru');
      expect(list).toContain('<h1>Соглашения</h1>');
      expect(list).toContain('Срок реакции');
      expect(list).toContain('Действует');
      const detail = await page(`/agreements/${agreementId}`, 'ru');
      expect(detail).toContain('<td>1 рабочий час</td>');
      expect(detail).toContain('<td>2 рабочих дня</td>');
      expect(detail).toContain('Запускается при');
      expect(detail).not.toContain('Starts on');
      expect(detail).not.toContain('>PT1H<');
    });

    it('names event types by the organisation’s name in the reader’s language, the raw type beside for integrators', async () => {
      await speak('ru');
      const before = await page(`/agreements/${agreementId}`, 'ru');
      expect(before).toContain('<span class="event-type-name">Лид передан в продажи</span> <code>lead.handed_over</code>');
      expect((await t.as(org.salesHead.token).put('/api/event-types/lead.handed_over/names').send({ ru: 'Лид ушёл в продажи' })).status).toBe(200);
      const after = await page(`/agreements/${agreementId}`, 'ru');
      expect(after).toContain('<span class="event-type-name">Лид ушёл в продажи</span> <code>lead.handed_over</code>');
      // English readers keep the default name: the organisation named it in Russian only.
      await speak('en');
      expect(await page(`/agreements/${agreementId}`, 'en')).toContain('<span class="event-type-name">Lead handed over to sales</span> <code>lead.handed_over</code>');
      await t.as(org.salesHead.token).put('/api/event-types/lead.handed_over/names').send({ ru: null });
    });
  });
});
