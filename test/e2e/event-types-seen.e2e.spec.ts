import { createCalendar, crmEvent, hotLeads } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 13, "GET /api/event-types … the agreement editor offers these in pick-lists; a rule or
 * agreement naming a type never seen says so": the editor's <datalist>, the notes on the pages,
 * and `unseenTypes` in the agreement and connection answers.
 */
describe(`event types seen and never seen (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let agreementId: string;
  let connectionId: string;

  const send = async (...types: string[]) => {
    const sent = await t.as(org.marketingMember.token).post('/api/events').send(types.map((type, i) => crmEvent(type, `S-${type}-${i}`, '2026-11-09T09:00:00+01:00')));
    expect(sent.body.accepted).toBe(types.length);
  };
  /** The datalist of the agreement editor, as the page has it. */
  const datalistOf = (html: string) => /<datalist id="event-types">(.*?)<\/datalist>/s.exec(html)?.[1] ?? null;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    t.clock.set('2026-11-10T08:00:00Z');
    await send('lead.handed_over', 'lead.webinar_signup', 'lead.handed_over');
  });
  afterAll(async () => t?.close());

  describe('the API', () => {
    it('answers an agreement with the types it names that no event has, in the order of its terms', async () => {
      const body = hotLeads(org, calendarId);
      body.response.stopOn = { type: 'lead.contactd' };
      const created = await t.as(org.salesHead.token).post('/api/agreements').send(body);
      expect(created.status).toBe(201);
      agreementId = created.body.id;
      const read = await t.as(org.marketingMember.token).get(`/api/agreements/${agreementId}`);
      expect(read.status).toBe(200);
      expect(read.body.unseenTypes).toEqual(['lead.contactd', 'lead.on_hold', 'lead.resumed', 'lead.disqualified']);
      // The list keeps its shape: one query per agreement would be too many for what a list shows.
      const list = await t.as(org.marketingMember.token).get('/api/agreements');
      expect(list.body.items[0].unseenTypes).toBeUndefined();
    });

    it('answers a connection with the types its rules emit that no event has; a warning says it only for a type nothing uses', async () => {
      const created = await t
        .as(org.salesHead.token)
        .post('/api/connections')
        .send({
          name: 'HubSpot',
          kind: 'hubspot',
          secret: 'hubspot-client-secret-6d1f0c2a',
          rules: [
            { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
            { on: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED' }, emit: 'lead.contactd' },
            { on: { object: 'contact', property: 'lifecyclestage', to: 'marketingqualifiedlead' }, emit: 'lead.mql' },
            { on: { object: 'contact', property: 'hs_analytics_source', to: 'WEBINAR' }, emit: 'lead.webinar_signup' },
          ],
        });
      expect(created.status).toBe(201);
      connectionId = created.body.id;
      expect(created.body.unseenTypes).toEqual(['lead.contactd', 'lead.mql']);
      // lead.contactd: an agreement uses it, so nothing received yet is expected (no warning);
      // lead.mql: never received, but it enters the funnel's MQL stage (no warning);
      // lead.webinar_signup: received, used by nothing.
      expect(created.body.warnings).toEqual(['rules[3].emit: no agreement or funnel stage uses the event type "lead.webinar_signup" yet; its events will be stored but measured by nothing']);
      // Once the MQL stage no longer counts lead.mql, its rule is warned about, as a type never received.
      const stages = await t.as().get('/api/stages?limit=100');
      const mql = stages.body.items.find((stage: { name: string }) => stage.name === 'MQL');
      expect((await t.as().patch(`/api/stages/${mql.id}`).send({ enteredOn: null })).status).toBe(200);
      const again = await t.as(org.salesHead.token).patch(`/api/connections/${created.body.id}`).send({ name: 'HubSpot EU' });
      expect(again.body.warnings).toEqual([
        'rules[2].emit: no agreement or funnel stage uses the event type "lead.mql" yet and none has been received yet (if that is unexpected, check its spelling); its events will be stored but measured by nothing',
        'rules[3].emit: no agreement or funnel stage uses the event type "lead.webinar_signup" yet; its events will be stored but measured by nothing',
      ]);
      const read = await t.as(org.salesHead.token).get(`/api/connections/${connectionId}`);
      expect(read.body.unseenTypes).toEqual(['lead.contactd', 'lead.mql']);

      const patched = await t.as(org.salesHead.token).patch(`/api/connections/${connectionId}`).send({ rules: created.body.rules.slice(0, 2) });
      expect(patched.status).toBe(200);
      expect(patched.body.unseenTypes).toEqual(['lead.contactd']);
      expect(patched.body.warnings).toEqual([]);
    });

    it('forgets a type once an event of it is received', async () => {
      await send('lead.contactd');
      expect((await t.as(org.marketingMember.token).get(`/api/agreements/${agreementId}`)).body.unseenTypes).toEqual(['lead.on_hold', 'lead.resumed', 'lead.disqualified']);
      expect((await t.as(org.salesHead.token).get(`/api/connections/${connectionId}`)).body.unseenTypes).toEqual([]);
    });
  });

  describe('the pages', () => {
    it("offers the types received in the editor's pick-lists, on every field naming an event type", async () => {
      const head = await pageSession(t, org.marketingHead.token);
      const page = await head.get('/agreements/new');
      expect(page.status).toBe(200);
      const options = datalistOf(page.text);
      // A conventional type is offered by its readable name, the type beside.
      expect(options).toContain('<option value="lead.handed_over">Lead handed over to sales — lead.handed_over (2 received)</option>');
      expect(options).toContain('<option value="lead.webinar_signup">lead.webinar_signup (1 received)</option>');
      for (const id of ['response-startOn-type', 'response-stopOn-type', 'response-pauseOn-type', 'response-resumeOn-type', 'response-cancelOn-type', 'quota-countOn-type']) {
        expect(page.text).toMatch(new RegExp(`<input type="text" id="f-${id}"[^>]* list="event-types"`));
      }
      // Nothing typed yet: no note.
      expect(page.text).not.toContain('never received yet');
    });

    it('notes each type of an agreement never received, on its page and in its editor', async () => {
      const head = await pageSession(t, org.marketingHead.token);
      const detail = await head.get(`/agreements/${agreementId}`);
      expect(detail.status).toBe(200);
      expect(detail.text).toMatch(/<code>lead\.on_hold<\/code> <span class="badge warn unseen-type">never received yet<\/span>/);
      expect(detail.text).not.toMatch(/<code>lead\.handed_over<\/code> <span class="badge warn unseen-type">/);
      const editor = await head.get(`/agreements/${agreementId}/edit`);
      expect(editor.status).toBe(200);
      expect(editor.text).toContain('id="f-response-pauseOn-unseen"');
      expect(editor.text).toContain('No “lead.on_hold” event has been received yet');
      expect(editor.text).not.toContain('id="f-response-startOn-unseen"');
      expect(editor.text).not.toContain('id="f-response-stopOn-unseen"');
    });

    it('notes each rule of a connection emitting a type never received', async () => {
      const head = await pageSession(t, org.salesHead.token);
      await t.as(org.salesHead.token).patch(`/api/connections/${connectionId}`).send({
        rules: [
          { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
          { on: { object: 'contact', property: 'lifecyclestage', to: 'marketingqualifiedlead' }, emit: 'lead.mql' },
        ],
      });
      const page = await head.get(`/connections/${connectionId}`);
      expect(page.status).toBe(200);
      const rows = [...page.text.matchAll(/<li><span class="rule-words">(.*?)<\/span>(.*?)<\/li>/g)].map((match) => [match[1].split(' → ')[1], match[2].includes('never received yet')]);
      expect(rows).toEqual([
        ['lead.handed_over', false],
        ['lead.mql', true],
      ]);
    });
  });
});
