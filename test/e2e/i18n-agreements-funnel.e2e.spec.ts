import { loadCatalogues } from '../../src/i18n/catalogues.js';
import { LOCALES, type Locale } from '../../src/i18n/locales.js';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { expectNoMissingMessages, rawKeysIn } from '../support/locale-rendering.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

const catalogues = loadCatalogues();
const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * The English messages of this area (whole sentences and labels, without arguments) found in a
 * page in another language: text that fell through to English, from the catalogue's own words.
 */
function englishLeftIn(html: string, locale: Locale): string[] {
  if (locale === 'en') return [];
  const text = decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
  return Object.entries(catalogues.en)
    .filter(([key, message]) => /^(agreements|funnel|funnelReport|eventTypes)\./.test(key) && !message.includes('{') && message.length >= 12 && catalogues[locale][key] !== message)
    .map(([, message]) => message)
    .filter((message) => text.includes(message));
}

/** English sentences of these pages that are not messages (typed in a template or a presenter): none may be left. */
const ENGLISH_WORDS = ['Starts on', 'Version history', 'Replay over past events', 'The clock starts on', 'Funnel stages', 'Subjects entered', 'Save draft', 'working hour', 'business day', 'received)'];

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
  let stageId: string;
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
    expect({ path, english: englishLeftIn(response.text, locale) }).toEqual({ path, english: [] });
    if (locale !== 'en') expect({ path, english: ENGLISH_WORDS.filter((words) => response.text.includes(words)) }).toEqual({ path, english: [] });
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
    const stage = await t.as().post('/api/stages').send({ name: 'Webinar MQL', departmentId: org.marketing.id, doneDefinition: 'Marketing qualified the lead.', enteredOn: { type: 'lead.mql', when: { source: ['webinar', 'trade-show'] } } });
    expect(stage.status).toBe(201);
    stageId = stage.body.id;
    await t.as().post('/api/stages').send({ name: 'Demo', doneDefinition: 'A demo was held.', enteredOn: { type: 'lead.demo_held' } });
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
        await page('/agreements/new?kind=quota', locale);
        await page('/funnel', locale);
        await page(`/funnel/${stageId}/edit`, locale);
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
  
    it('shows a Russian reader the funnel stages in Russian, event types by name', async () => {
      await speak('ru');
      const funnel = await page('/funnel', 'ru');
      expect(funnel).toContain('<h1>Этапы воронки</h1>');
      expect(funnel).toContain('вход при событии «Лид квалифицирован маркетингом (MQL)» (<code>lead.mql</code>), если source &#x3D; webinar или trade-show');
      // A type without a name shows as it is, until the organisation names it.
      expect(funnel).toContain('вход при событии <code>lead.demo_held</code>');
      expect((await t.as().put('/api/event-types/lead.demo_held/names').send({ ru: 'Демо проведено', en: 'Demo held' })).status).toBe(200);
      expect(await page('/funnel', 'ru')).toContain('вход при событии «Демо проведено» (<code>lead.demo_held</code>)');
      await speak('en');
      expect(await page('/funnel', 'en')).toContain('entered when “Demo held” (<code>lead.demo_held</code>) arrives');
    });

    it('takes a target as a number and a unit, stores the ISO form, and opens it again as a number and a unit', async () => {
      await speak('ru');
      const editor = await page(`/agreements/${draftId}/edit`, 'ru');
      expect(editor).toMatch(/<input type="number" id="f-response-targets-0-within"[^>]* value="1"/);
      expect(editor).toMatch(/<option value="hours" selected>рабочих часов<\/option>/);
      expect(editor).toMatch(/<option value="days" selected>рабочих дней<\/option>/);
    });
  });
});
