import { createCalendar, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
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

  beforeAll(async () => {
    t = await TestApp.start({ strictMessages: true });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    agreementId = await signAgreement(t, org, hotLeads(org, calendarId));
  });
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
});
