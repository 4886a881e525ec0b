import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCalendar, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { clocksOf, sweepAt } from '../support/tracking-fixture.js';

/** HubSpot's client secret of the test app. */
const CLIENT_SECRET = 'hubspot-client-secret-6d1f0c2a';

const HUBSPOT_RULES = [
  { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
  { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'] }, emit: 'lead.contacted' },
  { on: { object: 'contact', property: 'lifecyclestage', to: 'marketingqualifiedlead' }, emit: 'lead.mql' },
];

let eventIds = 1000;
/** One event as HubSpot's webhooks send it (a contact property change). */
function hubspotChange(objectId: number, propertyName: string, propertyValue: string, occurredAt: string, attemptNumber = 0) {
  eventIds += 1;
  return {
    eventId: eventIds,
    subscriptionId: 2451,
    portalId: 62515,
    appId: 1160452,
    occurredAt: Date.parse(occurredAt),
    subscriptionType: 'contact.propertyChange',
    attemptNumber,
    objectId,
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    sourceId: 'userId:7781',
  };
}

/** Signature v3, as HubSpot computes it: base64 HMAC-SHA256 of method + URL + body + timestamp. */
function signV3(url: string, body: string, timestamp: number, secret = CLIENT_SECRET): string {
  return createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
}

describe(`CRM connections, over HTTP (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;
  let hubspot: { id: string; webhookUrl: string };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
  });

  const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  /** Posts a body to a connection's URL as HubSpot does, signed unless told otherwise. */
  function postHubspot(connection: { id: string; webhookUrl: string }, body: string, options: { timestamp?: number; signature?: string } = {}) {
    const timestamp = options.timestamp ?? t.clock.now().getTime();
    return t
      .anonymous()
      .post(`/hooks/${connection.id}`)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Request-Timestamp', String(timestamp))
      .set('X-HubSpot-Signature-v3', options.signature ?? signV3(connection.webhookUrl, body, timestamp))
      .send(body);
  }

  describe('managing connections', () => {
    it('creates a HubSpot connection for the head\'s department: its URL, and no warning for a type the funnel counts', async () => {
      const created = await t
        .as(org.salesHead.token)
        .post('/api/connections')
        .send({ name: 'HubSpot', kind: 'hubspot', secret: CLIENT_SECRET, subjectPrefix: 'hs-', rules: HUBSPOT_RULES, attributes: { score: 'lead_temperature', source: 'hs_analytics_source' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'hubspot', departmentId: org.sales.id, subjectPrefix: 'hs-' });
      expect(created.body.webhookUrl).toBe(`http://localhost:3000/hooks/${created.body.id}`);
      // The client secret was given: nothing is generated, and it is never shown.
      expect(created.body.secret).toBeUndefined();
      expect(JSON.stringify(created.body)).not.toContain(CLIENT_SECRET);
      // lead.mql enters the default funnel's MQL stage: the funnel report counts it, no agreement needed.
      expect(created.body.warnings).toEqual([]);
      hubspot = created.body;

      const read = await t.as(org.salesHead.token).get(`/api/connections/${hubspot.id}`);
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(CLIENT_SECRET);
      const audit = await t.as().get(`/api/audit?entityType=connection&entityId=${hubspot.id}`);
      expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(['create']);
      expect(JSON.stringify(audit.body)).not.toContain(CLIENT_SECRET);
      // Encrypted at rest.
      const [row] = await t.app.get(DataSource).query(`SELECT secret_cipher FROM connections WHERE id = '${hubspot.id}'`);
      expect(row.secret_cipher).toMatch(/^v1:/);
      expect(row.secret_cipher).not.toContain(CLIENT_SECRET);
    });

    it('refuses members (403), and another department\'s head (403)', async () => {
      const before = await count('connections');
      const byMember = await t.as(org.salesMember.token).post('/api/connections').send({ name: 'Mine', kind: 'webhook' });
      expect(byMember.status).toBe(403);
      expect((await t.as(org.salesMember.token).get('/api/connections')).status).toBe(403);
      expect((await t.as(org.marketingHead.token).get(`/api/connections/${hubspot.id}`)).status).toBe(403);
      expect((await t.as(org.marketingHead.token).patch(`/api/connections/${hubspot.id}`).send({ name: 'x' })).status).toBe(403);
      expect(await count('connections')).toBe(before);
    });

    it('answers 400 naming each faulty field, and changes nothing', async () => {
      const before = await count('connections');
      const bad = await t
        .as()
        .post('/api/connections')
        .send({
          name: 'Bad',
          kind: 'hubspot',
          secret: CLIENT_SECRET,
          rules: [HUBSPOT_RULES[0], { on: { object: 'contact', to: 'NEW' }, emit: 'lead handed over' }],
          attributes: { score: 42 },
        });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['attributes.score', 'rules[1].emit', 'rules[1].on.property']);
      const noSecret = await t.as().post('/api/connections').send({ name: 'HubSpot', kind: 'hubspot' });
      expect(noSecret.status).toBe(400);
      expect(noSecret.body.errors).toHaveProperty('secret');
      const badKind = await t.as().post('/api/connections').send({ name: 'X', kind: 'zoho' });
      expect(badKind.status).toBe(400);
      expect(badKind.body.errors).toHaveProperty('kind');
      const hostile = await t.as().post('/api/connections').send({ name: 'X\u0000', kind: 'webhook' });
      expect(hostile.status).toBe(400);
      const patched = await t.as().patch(`/api/connections/${hubspot.id}`).send({ rules: [{ on: { object: 'Contact', property: 'p', to: [] }, emit: 'a.b' }] });
      expect(patched.status).toBe(400);
      expect(Object.keys(patched.body.errors).sort()).toEqual(['rules[0].on.object', 'rules[0].on.to']);
      expect(await count('connections')).toBe(before);
      expect((await t.as().get(`/api/connections/${hubspot.id}`)).body.rules).toEqual(HUBSPOT_RULES);
    });
  });

  describe('HubSpot deliveries', () => {
    it('runs one clock, met under the hot target, from a batch with the score set first, reordered and retried', async () => {
      t.clock.set('2026-11-10T09:00:00Z');
      // Tuesday 10 November, Paris: the score is set at 09:00, the lead handed over at 09:01, called at 09:30.
      const score = hubspotChange(501, 'lead_temperature', 'hot', '2026-11-10T08:00:00Z');
      const handedOver = hubspotChange(501, 'hs_lead_status', 'NEW', '2026-11-10T08:01:00Z');
      const called = hubspotChange(501, 'hs_lead_status', 'CONNECTED', '2026-11-10T08:30:00Z');
      const first = JSON.stringify([handedOver, called, score]);
      const answer = await postHubspot(hubspot, first);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ received: 3, outcome: 'accepted', events: 2 });

      // HubSpot retries (a higher attemptNumber), in yet another order: nothing new.
      const eventsBefore = await count('events');
      const retry = JSON.stringify([score, called, handedOver].map((change) => ({ ...change, attemptNumber: 1 })));
      expect((await postHubspot(hubspot, retry)).status).toBe(200);
      expect(await count('events')).toBe(eventsBefore);

      const clocks = await clocksOf(t, org.salesMember.token, 'hs-501', hot);
      expect(clocks).toHaveLength(1);
      expect(clocks[0]).toMatchObject({ state: 'stopped', outcome: 'met', targetName: 'hot', elapsedSeconds: 29 * 60 });

      // The events name their connection, and carry the score known at the handover.
      const events = await t.as(org.salesMember.token).get(`/api/events?subject=hs-501&connectionId=${hubspot.id}`);
      expect(events.status).toBe(200);
      expect(events.body.items).toEqual([
        expect.objectContaining({ type: 'lead.handed_over', occurredAt: '2026-11-10T08:01:00.000Z', attributes: { score: 'hot' }, connectionId: hubspot.id, sourceId: null }),
        expect.objectContaining({ type: 'lead.contacted', occurredAt: '2026-11-10T08:30:00.000Z', connectionId: hubspot.id }),
      ]);
      const log = await t.as(org.salesHead.token).get(`/api/connections/${hubspot.id}/deliveries`);
      expect(log.body.items.map((d: { outcome: string; eventIds: string[] }) => [d.outcome, d.eventIds.length])).toEqual([
        ['accepted', 2],
        ['accepted', 2],
      ]);
      expect(log.body.items[1].body).toBe(first);
      // The audit log names the connection the events came through.
      const audit = await t.as().get(`/api/audit?entityType=connection-delivery&entityId=${log.body.items[1].id}`);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ action: 'receive', actorId: null, after: expect.objectContaining({ connectionId: hubspot.id, connectionName: 'HubSpot', eventIds: log.body.items[1].eventIds }) }),
      ]);
    });

    it('keeps the newest value of a property when an older change arrives later', async () => {
      t.clock.set('2026-11-10T10:00:00Z');
      await postHubspot(hubspot, JSON.stringify([hubspotChange(503, 'lead_temperature', 'warm', '2026-11-10T09:30:00Z')]));
      await postHubspot(hubspot, JSON.stringify([hubspotChange(503, 'lead_temperature', 'cold', '2026-11-10T09:00:00Z')]));
      await postHubspot(hubspot, JSON.stringify([hubspotChange(503, 'hs_lead_status', 'NEW', '2026-11-10T09:40:00Z')]));
      const events = await t.as().get('/api/events?subject=hs-503');
      expect(events.body.items).toEqual([expect.objectContaining({ type: 'lead.handed_over', attributes: { score: 'warm' } })]);
    });

    it('refuses a forged signature and a stale timestamp with 401, storing nothing', async () => {
      t.clock.set('2026-11-10T11:00:00Z');
      const body = JSON.stringify([hubspotChange(502, 'hs_lead_status', 'NEW', '2026-11-10T10:00:00Z')]);
      const before = { deliveries: await count('connection_deliveries'), events: await count('events') };
      const forged = await postHubspot(hubspot, body, { signature: signV3(hubspot.webhookUrl, body, t.clock.now().getTime(), 'not-the-secret') });
      expect(forged.status).toBe(401);
      const now = t.clock.now().getTime();
      const stale = await postHubspot(hubspot, body, { timestamp: now - 6 * 60_000 });
      expect(stale.status).toBe(401);
      // Signed for another URL (the request's Host is not what HubSpot signs).
      const elsewhere = await postHubspot(hubspot, body, { signature: signV3(`http://evil.example/hooks/${hubspot.id}`, body, now) });
      expect(elsewhere.status).toBe(401);
      const unsigned = await t.anonymous().post(`/hooks/${hubspot.id}`).set('Content-Type', 'application/json').send(body);
      expect(unsigned.status).toBe(401);
      expect({ deliveries: await count('connection_deliveries'), events: await count('events') }).toEqual(before);
      expect((await t.anonymous().post('/hooks/0190a2b4-0000-7000-8000-000000000000').send(body)).status).toBe(404);
      expect((await t.anonymous().post('/hooks/not-an-id').send(body)).status).toBe(404);
    });

    it('answers a verified but malformed payload with 400, and lists it in the delivery log', async () => {
      const body = '{"eventId": 1, "objectId": 2}';
      const answer = await postHubspot(hubspot, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.body[0]).toMatch(/JSON array/);
      const log = await t.as().get(`/api/connections/${hubspot.id}/deliveries?outcome=rejected`);
      expect(log.body.items).toEqual([expect.objectContaining({ outcome: 'rejected', body, reason: expect.stringMatching(/JSON array/), eventIds: [] })]);
      // A NUL no column may hold, signed: refused and logged (the body kept as base64 where it is not text).
      const hostile = JSON.stringify([hubspotChange(505, 'hs_lead_status', 'NEW\u0000', '2026-11-10T10:00:00Z')]);
      expect((await postHubspot(hubspot, hostile)).status).toBe(400);
      expect((await t.as().get(`/api/connections/${hubspot.id}/deliveries?outcome=rejected`)).body.total).toBe(2);
    });

    it('replays a delivery after a rule change: the missing event once', async () => {
      t.clock.set('2026-11-10T12:00:00Z');
      const unqualified = JSON.stringify([hubspotChange(504, 'hs_lead_status', 'UNQUALIFIED', '2026-11-10T11:00:00Z')]);
      const answer = await postHubspot(hubspot, unqualified);
      expect(answer.body).toMatchObject({ outcome: 'ignored', events: 0 });
      const deliveryId = answer.body.deliveryId;

      const patched = await t
        .as(org.salesHead.token)
        .patch(`/api/connections/${hubspot.id}`)
        .send({ rules: [...HUBSPOT_RULES, { on: { object: 'contact', property: 'hs_lead_status', to: 'UNQUALIFIED' }, emit: 'lead.disqualified' }] });
      expect(patched.status).toBe(200);
      const replayed = await t.as(org.salesHead.token).post(`/api/connections/${hubspot.id}/deliveries/${deliveryId}/replay`);
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({ id: deliveryId, outcome: 'accepted', eventIds: [expect.any(String)] });
      const again = await t.as(org.salesHead.token).post(`/api/connections/${hubspot.id}/deliveries/${deliveryId}/replay`);
      expect(again.body.eventIds).toEqual(replayed.body.eventIds);
      const events = await t.as().get('/api/events?subject=hs-504');
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['lead.disqualified']);
      const audit = await t.as().get(`/api/audit?entityType=connection&entityId=${hubspot.id}`);
      expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual(['create', 'update']);
    });
  });

  describe('the generic signed webhook', () => {
    it('generates a secret shown once, accepts a signed event and refuses a wrong HMAC', async () => {
      t.clock.set('2026-11-11T09:00:00Z');
      const created = await t.as().post('/api/connections').send({ name: 'Web form', kind: 'webhook' });
      expect(created.status).toBe(201);
      const secret = created.body.secret as string;
      expect(secret).toMatch(/^[\w-]{32}$/);
      expect((await t.as().get(`/api/connections/${created.body.id}`)).body.secret).toBeUndefined();

      const body = JSON.stringify({ type: 'lead.handed_over', subject: 'F-1', occurredAt: '2026-11-11T09:50:00+01:00', attributes: { score: 'warm' }, key: 'form-1' });
      const timestamp = Math.floor(t.clock.now().getTime() / 1000);
      const sign = (key: string) => `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
      const post = (signature: string) =>
        t.anonymous().post(`/hooks/${created.body.id}`).set('Content-Type', 'application/json').set('X-Concord-Timestamp', String(timestamp)).set('X-Concord-Signature', signature).send(body);

      const before = await count('connection_deliveries');
      expect((await post(sign('wrong-secret'))).status).toBe(401);
      expect(await count('connection_deliveries')).toBe(before);
      const accepted = await post(sign(secret));
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ received: 1, outcome: 'accepted', events: 1 });
      const events = await t.as().get(`/api/events?connectionId=${created.body.id}`);
      expect(events.body.items).toEqual([expect.objectContaining({ subject: 'F-1', key: 'form-1', connectionId: created.body.id })]);
      const clocks = await clocksOf(t, org.salesMember.token, 'F-1', hot);
      expect(clocks[0]).toMatchObject({ state: 'running', targetName: 'warm' });
    });
  });

  describe('event types', () => {
    it('lists each type seen or named, with counts and who uses it', async () => {
      const answer = await t.as(org.salesMember.token).get('/api/event-types');
      expect(answer.status).toBe(200);
      const byType = new Map(answer.body.items.map((item: { type: string }) => [item.type, item]));
      expect(byType.get('lead.handed_over')).toMatchObject({
        count: 3,
        agreements: [{ id: hot, name: 'Hot leads are called fast' }],
        rules: [{ connectionId: hubspot.id, connectionName: 'HubSpot', rule: 0 }],
      });
      expect(byType.get('lead.mql')).toMatchObject({ count: 0, firstSeen: null, agreements: [] });
    });

    it('answers a batch of 100 changes within a second, every one mapped', async () => {
      t.clock.set('2026-11-12T12:00:00Z');
      const batch = Array.from({ length: 50 }, (_, i) => [
        hubspotChange(600 + i, 'hs_lead_status', 'NEW', '2026-11-12T09:00:00Z'),
        hubspotChange(600 + i, 'hs_lead_status', 'IN_PROGRESS', '2026-11-12T09:20:00Z'),
      ]).flat();
      const started = performance.now();
      const answer = await postHubspot(hubspot, JSON.stringify(batch));
      const elapsed = performance.now() - started;
      expect(answer.body).toMatchObject({ received: 100, outcome: 'accepted', events: 100 });
      expect(elapsed).toBeLessThan(1000);
    });

    it('prunes deliveries older than DELIVERY_RETENTION_DAYS in the rounds of due work', async () => {
      const before = await count('connection_deliveries');
      const report = (await sweepAt(t, '2026-12-11T08:00:00Z')) as unknown as Record<string, number>;
      // Everything up to 10 November is past 30 days; 11 and 12 November are kept.
      expect(report.deliveriesPruned).toBeGreaterThan(0);
      expect(await count('connection_deliveries')).toBe(before - report.deliveriesPruned);
      expect(await count('connection_deliveries')).toBe(2);
    });

    it('deletes a connection with its log, keeping its events', async () => {
      const before = await count('events');
      expect((await t.as(org.salesHead.token).delete(`/api/connections/${hubspot.id}`)).status).toBe(204);
      expect((await t.as().get(`/api/connections/${hubspot.id}`)).status).toBe(404);
      expect(await t.app.get(DataSource).query(`SELECT id FROM connection_deliveries WHERE connection_id = '${hubspot.id}'`)).toEqual([]);
      expect(await count('events')).toBe(before);
    });
  });
});
