import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { decode, errorAt, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const CLIENT_SECRET = 'hubspot-client-secret-6d1f0c2a';
const HOSTILE = `<script>window.__pwned=1</script>"'&`;

/** The connection form as a browser posts it: two filled rule rows, a blank one, attribute rows. */
function connectionForm(overrides: Record<string, unknown> = {}) {
  return {
    name: 'HubSpot marketing',
    kind: 'hubspot',
    secret: CLIENT_SECRET,
    subjectPrefix: 'hs-',
    rules: [
      { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW', from: '' }, emit: 'lead.handed_over' },
      { on: { object: '', property: '', to: '', from: '' }, emit: '' },
      { on: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED, IN_PROGRESS', from: '' }, emit: 'lead.contacted' },
    ],
    attributes: [{ name: 'score', value: 'lead_temperature' }, { name: '', value: '' }],
    settings: [{ name: '', value: '' }],
    ...overrides,
  };
}

function hubspotBody(objectId: number, property: string, value: string, occurredAt: string, eventId: number) {
  return JSON.stringify([
    { eventId, subscriptionId: 2451, portalId: 62515, appId: 1160452, occurredAt: Date.parse(occurredAt), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId, propertyName: property, propertyValue: value, changeSource: 'CRM_UI' },
  ]);
}

describe(`connection pages (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let admin: Session;
  let salesHead: Session;
  let marketingHead: Session;
  let member: Session;
  let connectionId: string;

  const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-10-01T07:00:00Z');
    admin = await pageSession(t, TEST_ADMIN_TOKEN);
    salesHead = await pageSession(t, org.salesHead.token);
    marketingHead = await pageSession(t, org.marketingHead.token);
    member = await pageSession(t, org.salesMember.token);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows the Connections link to admins and heads, not to members', async () => {
    expect((await admin.get('/')).text).toContain('href="/connections"');
    expect((await salesHead.get('/')).text).toContain('href="/connections"');
    expect((await member.get('/')).text).not.toContain('href="/connections"');
  });

  it('creates a connection from the form (rules as rows, blank rows dropped) and shows its URL with a copy button', async () => {
    const created = await salesHead.post('/connections', connectionForm());
    expect(created.status).toBe(201);
    const stored = (await t.as().get('/api/connections')).body.items;
    expect(stored).toHaveLength(1);
    connectionId = stored[0].id;
    expect(stored[0]).toEqual(
      expect.objectContaining({
        name: 'HubSpot marketing',
        kind: 'hubspot',
        departmentId: org.sales.id,
        subjectPrefix: 'hs-',
        rules: [
          { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
          { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'] }, emit: 'lead.contacted' },
        ],
        attributes: { score: 'lead_temperature' },
        settings: {},
      }),
    );
    const html = decode(created.text);
    expect(html).toContain('Connection created.');
    expect(html).toContain(`value="${stored[0].webhookUrl}"`);
    expect(html).toContain('data-copy="webhook-url"');
    expect(html).toContain("When a HubSpot contact's Lead status (hs_lead_status) becomes CONNECTED or IN_PROGRESS → lead.contacted");
    // No agreement uses these types yet: said, and kept.
    expect(html).toContain('no agreement or funnel stage uses the event type "lead.handed_over"');
    // The secret given is never written back into a page.
    expect(created.text).not.toContain(CLIENT_SECRET);
    const list = await salesHead.get('/connections');
    expect(list.status).toBe(200);
    expect(decode(list.text)).toContain(stored[0].webhookUrl);
    expect(list.text).toContain(`data-copy="url-${connectionId}"`);
    expect(list.text).toContain('<script src="/assets/connections.js" defer></script>');
  });

  it('shows a generated secret once, in the page that answers the creation, never in an address', async () => {
    const created = await admin.post('/connections', { name: 'amoCRM', kind: 'amocrm', secret: '', rules: [{ on: { object: 'lead', property: 'status_id', to: '142' }, emit: 'lead.won' }] });
    expect(created.status).toBe(201);
    const secret = /id="created-secret" type="text" readonly value="([^"]+)"/.exec(created.text)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.text).toContain(`/${secret}"`);
    const id = (await t.as().get('/api/connections')).body.items.find((c: { kind: string }) => c.kind === 'amocrm').id;
    const again = await admin.get(`/connections/${id}`);
    expect(again.text).not.toContain(secret);
    expect(decode(again.text)).toContain("When an amoCRM lead's Status (status_id) becomes 142 (won) → lead.won");
    expect((await admin.post(`/connections/${id}/delete`)).status).toBe(303);
  });

  it('puts the API\'s errors under the right row field, keeps what was typed, stores nothing', async () => {
    const before = await count('connections');
    const refused = await salesHead.post(
      '/connections',
      connectionForm({
        name: HOSTILE,
        rules: [
          { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
          { on: { object: '', property: '', to: '', from: '' }, emit: '' },
          { on: { object: 'contact', property: 'bad property!', to: 'X' }, emit: 'not a type' },
        ],
        attributes: [{ name: 'score', value: 'no spaces allowed' }, { name: 'score', value: 'twice' }],
      }),
    );
    expect(refused.status).toBe(400);
    // The blank row is dropped: the third row typed is rules[1], shown again as row 2.
    expect(errorAt(refused.text, 'rules[1].on.property')).toContain('rules[1].on.property must name a CRM property');
    expect(errorAt(refused.text, 'rules[1].emit')).toContain('rules[1].emit must be an event type');
    expect(shownValue(refused.text, 'rules[1].on.property')).toBe('bad property!');
    expect(errorAt(refused.text, 'attributes[1].name')).toContain('"score" is given twice');
    expect(shownValue(refused.text, 'name')).toBe(HOSTILE);
    expect(refused.text).not.toContain('<script>window.__pwned');
    expect(shownValue(refused.text, 'secret')).toBe('');
    expect(await count('connections')).toBe(before);

    const apiRefused = await salesHead.post('/connections', connectionForm({ attributes: [{ name: 'score', value: 'no spaces allowed' }] }));
    expect(apiRefused.status).toBe(400);
    expect(errorAt(apiRefused.text, 'attributes[0].value')).toContain('attributes.score must name a CRM property');
    expect(await count('connections')).toBe(before);
  });

  it('edits a connection: an empty secret keeps the old one, rules are replaced', async () => {
    const form = await salesHead.get(`/connections/${connectionId}/edit`);
    expect(form.status).toBe(200);
    expect(shownValue(form.text, 'rules[1].on.to')).toBe('CONNECTED, IN_PROGRESS');
    expect(form.text).toContain('list="event-types"');
    expect(form.text).toContain('<option value="lead.contacted">');
    const saved = await salesHead.post(
      `/connections/${connectionId}`,
      connectionForm({
        secret: '',
        rules: [
          { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
          { on: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED, IN_PROGRESS', from: 'NEW' }, emit: 'lead.contacted' },
          { on: { object: 'contact', property: 'lifecyclestage', to: 'marketingqualifiedlead' }, emit: 'lead.mql' },
        ],
      }),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/connections/${connectionId}\\?notice=`));
    const stored = (await t.as().get(`/api/connections/${connectionId}`)).body;
    expect(stored.rules).toHaveLength(3);
    expect(stored.rules[1].on.from).toBe('NEW');
    const page = decode((await salesHead.get(`/connections/${connectionId}`)).text);
    expect(page).toContain("When a HubSpot contact's Lead status (hs_lead_status) changes from NEW to CONNECTED or IN_PROGRESS → lead.contacted");
  });

  it('tests a sample through the rules without storing anything, on the page and over the API', async () => {
    const before = { deliveries: await count('connection_deliveries'), events: await count('events'), states: await count('connection_object_properties') };
    const page = await salesHead.get(`/connections/${connectionId}`);
    // The generated sample for the kind: a HubSpot change the first rule reacts to.
    expect(decode(shownValue(page.text, 'body') ?? '')).toContain('"propertyName": "hs_lead_status"');
    const tested = await salesHead.post(`/connections/${connectionId}/test`, { body: hubspotBody(77, 'hs_lead_status', 'NEW', '2026-10-01T06:00:00Z', 9001), contentType: 'application/json' });
    expect(tested.status).toBe(200);
    const html = decode(tested.text);
    expect(html).toContain('1 event(s) would be produced');
    expect(html).toContain('<td><strong>lead.handed_over</strong></td><td>hs-77</td>');
    const unread = await salesHead.post(`/connections/${connectionId}/test`, { body: '{not json', contentType: 'application/json' });
    expect(unread.status).toBe(200);
    expect(decode(unread.text)).toContain('The sample could not be read: the body is not JSON');
    const empty = await salesHead.post(`/connections/${connectionId}/test`, { body: '', contentType: 'application/json' });
    expect(empty.status).toBe(400);
    expect(errorAt(empty.text, 'body')).toContain('body must be 1 to 1000000 characters');

    const api = await t.as(org.salesHead.token).post(`/api/connections/${connectionId}/test`).send({ body: hubspotBody(78, 'hs_lead_status', 'CONNECTED', '2026-10-01T06:30:00Z', 9002) });
    expect(api.status).toBe(200);
    // `from: NEW` compares with the last known value: none is known of contact 78, so no rule matches.
    expect(api.body).toEqual({ ok: true, reason: 'no rule matched', changes: 1, resolveSkipped: false, events: [], notes: [] });
    const mql = await t.as(org.salesHead.token).post(`/api/connections/${connectionId}/test`).send({ body: hubspotBody(78, 'lifecyclestage', 'marketingqualifiedlead', '2026-10-01T06:30:00Z', 9003) });
    expect(mql.body.events).toEqual([{ type: 'lead.mql', subject: 'hs-78', occurredAt: '2026-10-01T06:30:00.000Z', key: expect.any(String), attributes: {} }]);
    expect((await t.as(org.marketingHead.token).post(`/api/connections/${connectionId}/test`).send({ body: '[]' })).status).toBe(403);
    expect((await t.as(org.salesMember.token).post(`/api/connections/${connectionId}/test`).send({ body: '[]' })).status).toBe(403);
    expect((await t.as(org.salesHead.token).post(`/api/connections/${connectionId}/test`).send({ body: 42 })).status).toBe(400);
    expect({ deliveries: await count('connection_deliveries'), events: await count('events'), states: await count('connection_object_properties') }).toEqual(before);
  });

  it('lists deliveries with filters in the reader\'s zone, shows one in full and replays it with CSRF', async () => {
    const connection = (await t.as().get(`/api/connections/${connectionId}`)).body;
    const deliver = async (body: string) => {
      const timestamp = t.clock.now().getTime();
      const signature = createHmac('sha256', CLIENT_SECRET).update(`POST${connection.webhookUrl}${body}${timestamp}`).digest('base64');
      const answer = await t.anonymous().post(`/hooks/${connectionId}`).set('Content-Type', 'application/json').set('X-HubSpot-Request-Timestamp', String(timestamp)).set('X-HubSpot-Signature-v3', signature).send(body);
      expect(answer.status).toBe(200);
      return answer.body.deliveryId as string;
    };
    const accepted = await deliver(hubspotBody(91, 'hs_lead_status', 'NEW', '2026-10-01T06:50:00Z', 9101));
    t.clock.set('2026-10-02T07:00:00Z');
    const ignored = await deliver(hubspotBody(92, 'hs_lead_status', 'UNQUALIFIED', '2026-10-02T06:50:00Z', 9102).replace('hs_lead_status', `hs_lead_status`));

    const log = await salesHead.get(`/connections/${connectionId}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.text).toContain(`/connections/${connectionId}/deliveries/${accepted}`);
    expect(log.text).toContain(`/connections/${connectionId}/deliveries/${ignored}`);
    expect(decode(log.text)).toContain('[{"eventId":9101,');
    expect(decode(log.text)).toContain('"attemptNumber":…</code>');
    const onlyIgnored = await salesHead.get(`/connections/${connectionId}/deliveries?outcome=ignored`);
    expect(onlyIgnored.text).toContain(ignored);
    expect(onlyIgnored.text).not.toContain(accepted);
    // Days in Samir's zone (Europe/Paris): 1 October holds the first delivery only.
    const firstDay = await salesHead.get(`/connections/${connectionId}/deliveries?from=2026-10-01&to=2026-10-01`);
    expect(firstDay.text).toContain(accepted);
    expect(firstDay.text).not.toContain(ignored);
    const badDate = await salesHead.get(`/connections/${connectionId}/deliveries?from=2026-13-01&outcome=nope`);
    expect(badDate.status).toBe(400);
    expect(errorAt(badDate.text, 'from')).toBe('from must be a date such as 2026-11-02');
    expect(errorAt(badDate.text, 'outcome')).toContain('outcome must be one of');

    const detail = await salesHead.get(`/connections/${connectionId}/deliveries/${accepted}`);
    expect(detail.status).toBe(200);
    expect(decode(detail.text)).toContain('"propertyValue":"NEW"');
    const eventsBefore = await count('events');
    expect((await salesHead.forge(`/connections/${connectionId}/deliveries/${accepted}/replay`)).status).toBe(403);
    const replayed = await salesHead.post(`/connections/${connectionId}/deliveries/${accepted}/replay`);
    expect(replayed.status).toBe(303);
    expect(decodeURIComponent(replayed.headers.location)).toContain('Replayed: accepted, 1 event(s).');
    expect(await count('events')).toBe(eventsBefore);
    const list = await salesHead.get('/connections');
    expect(decode(list.text)).toContain('2 in the log');
  });

  it('refuses members every page (403), heads another department\'s connection, and forged posts', async () => {
    for (const path of ['/connections', '/connections/new', `/connections/${connectionId}`, `/connections/${connectionId}/edit`, `/connections/${connectionId}/deliveries`]) {
      const page = await member.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 403 });
    }
    for (const path of [`/connections/${connectionId}`, `/connections/${connectionId}/edit`, `/connections/${connectionId}/deliveries`]) {
      expect({ path, status: (await marketingHead.get(path)).status }).toEqual({ path, status: 403 });
    }
    expect((await marketingHead.get('/connections')).text).not.toContain(connectionId);
    const before = (await t.as().get(`/api/connections/${connectionId}`)).body;
    expect((await member.post('/connections', connectionForm())).status).toBe(403);
    expect((await marketingHead.post(`/connections/${connectionId}`, connectionForm({ name: 'Taken' }))).status).toBe(403);
    expect((await marketingHead.post(`/connections/${connectionId}/delete`)).status).toBe(403);
    expect((await marketingHead.post(`/connections/${connectionId}/test`, { body: '[]' })).status).toBe(403);
    expect((await salesHead.forge(`/connections/${connectionId}`, connectionForm({ name: 'Forged' }))).status).toBe(403);
    expect((await salesHead.forge(`/connections/${connectionId}/delete`)).status).toBe(403);
    expect((await t.as().get(`/api/connections/${connectionId}`)).body).toEqual(before);
    expect((await salesHead.get('/connections/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
