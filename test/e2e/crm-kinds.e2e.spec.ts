import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { Connection } from '../../src/connections/connection.entity.js';
import { createCalendar, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import {
  amocrmLeadStatus,
  bitrix24Event,
  bitrix24GetAnswer,
  pipedriveEvent,
  SALESFORCE_ORG_ID,
  salesforceLead,
  salesforceOutboundMessage,
  type CrmRequest,
} from '../support/crm-payloads.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { clocksOf } from '../support/tracking-fixture.js';

/**
 * Pipedrive, amoCRM, Bitrix24 and Salesforce deliveries over HTTP, built by test/support/crm-payloads.ts
 * from each CRM's documented format and authenticated the way that CRM does. Bitrix24's portal is a
 * real HTTP server on 127.0.0.1 whose URL is the connection's settings.restUrl.
 */

const PIPEDRIVE_PASSWORD = 'pipedrive-basic-password-3f9a1c';
const BITRIX24_TOKEN = '51856fefc120afa4b628cc82d3935cce';
const unix = (iso: string) => Date.parse(iso) / 1000;

/** A Bitrix24 portal's inbound webhook: crm.lead.get / crm.deal.get answered from `leads`. */
class FakePortal {
  readonly leads = new Map<string, Record<string, unknown>>();
  readonly requests: string[] = [];
  failing = false;
  /** Takes the request and never answers it. */
  hanging = false;
  private server!: Server;
  restUrl = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push(request.url ?? '');
      if (this.hanging) return;
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const id = url.searchParams.get('id') ?? '';
      const lead = this.leads.get(id);
      response.setHeader('content-type', 'application/json');
      if (this.failing || url.pathname !== '/rest/1/abc123def456/crm.lead.get.json' || !lead) {
        response.statusCode = 400;
        response.end(JSON.stringify({ error: 'ERROR_CORE', error_description: 'Not found' }));
        return;
      }
      response.end(JSON.stringify(bitrix24GetAnswer({ ID: id, ...lead })));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.restUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rest/1/abc123def456/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    if (this.server) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe(`CRM connections of each kind, over HTTP (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;
  const portal = new FakePortal();

  beforeAll(async () => {
    await portal.start();
    // The fake portal is on 127.0.0.1 over http: allowed only with CRM_ALLOW_PRIVATE_HOSTS (see 'addresses a connection may call' below).
    t = await TestApp.start({ env: { CRM_ALLOW_PRIVATE_HOSTS: 'true' } });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
    await portal.stop();
  });

  const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const stored = async () => ({ deliveries: await count('connection_deliveries'), events: await count('events'), properties: await count('connection_object_properties') });

  /** Posts a CRM's request to a path, as the CRM sends it. */
  function post(path: string, request: CrmRequest) {
    let call = t.anonymous().post(path).set('Content-Type', request.contentType);
    for (const [name, value] of Object.entries(request.headers)) call = call.set(name, value);
    return call.send(request.body);
  }
  const pathOf = (webhookUrl: string) => new URL(webhookUrl).pathname;
  /** One delivery as its connection's log lists it. */
  async function deliveryOf(app: TestApp, token: string | undefined, connectionId: string, deliveryId: string) {
    const page = await app.as(token).get(`/api/connections/${connectionId}/deliveries?limit=100`);
    return (page.body.items as { id: string }[]).find((item) => item.id === deliveryId) as Record<string, unknown>;
  }

  async function create(body: object, token = org.salesHead.token) {
    const answer = await t.as(token).post('/api/connections').send(body);
    expect(answer.status).toBe(201);
    return answer.body as { id: string; webhookUrl: string; secret?: string; warnings: string[] };
  }

  describe('settings, by kind', () => {
    it('answers 400 naming settings.<name> for a missing or unusable setting, and stores nothing', async () => {
      const before = await count('connections');
      const cases: [object, string][] = [
        [{ name: 'B24', kind: 'bitrix24', secret: BITRIX24_TOKEN }, 'settings.restUrl'],
        [{ name: 'B24', kind: 'bitrix24', settings: { restUrl: 'acme.bitrix24.com/rest/1/x/' } }, 'settings.restUrl'],
        [{ name: 'B24', kind: 'bitrix24', settings: { restUrl: 'ftp://acme.bitrix24.com/rest/1/x/' } }, 'settings.restUrl'],
        [{ name: 'B24', kind: 'bitrix24', settings: { restUrl: portal.restUrl, resturl: 'x' } }, 'settings.resturl'],
        [{ name: 'SF', kind: 'salesforce', settings: { organizationId: '00D5e000' } }, 'settings.organizationId'],
        [{ name: 'PD', kind: 'pipedrive', secret: PIPEDRIVE_PASSWORD, settings: { user: 'a:b' } }, 'settings.user'],
        [{ name: 'HS', kind: 'hubspot', secret: 'hubspot-secret-1', settings: { restUrl: portal.restUrl } }, 'settings.restUrl'],
      ];
      for (const [body, field] of cases) {
        const answer = await t.as().post('/api/connections').send(body);
        expect([answer.status, Object.keys(answer.body.errors ?? {})]).toEqual([400, [field]]);
      }
      expect(await count('connections')).toBe(before);
    });
  });

  describe('Pipedrive', () => {
    let pipedrive: { id: string; webhookUrl: string };

    beforeAll(async () => {
      pipedrive = await create({
        name: 'Pipedrive',
        kind: 'pipedrive',
        secret: PIPEDRIVE_PASSWORD,
        subjectPrefix: 'pd-',
        settings: { user: 'concord' },
        rules: [
          { on: { object: 'deal', property: 'stage_id', to: '1' }, emit: 'lead.handed_over' },
          { on: { object: 'deal', property: 'stage_id', from: '1', to: '2' }, emit: 'lead.contacted' },
        ],
        attributes: { score: 'custom_fields.temperature' },
      });
      expect(pipedrive.webhookUrl).toBe(`http://localhost:3000/hooks/${pipedrive.id}`);
    });

    const deal = (stage: number) => ({ id: 42, title: 'Acme — 50 seats', stage_id: stage, status: 'open', owner_id: 1001, custom_fields: { temperature: { type: 'varchar', value: 'hot' } } });

    it('refuses a wrong Basic password, a wrong user and no Authorization with 401, storing nothing', async () => {
      t.clock.set('2026-11-16T08:00:05Z');
      const before = await stored();
      const event = { action: 'create' as const, data: deal(1), previous: null, timestamp: unix('2026-11-16T08:00:00Z') };
      expect((await post(pathOf(pipedrive.webhookUrl), pipedriveEvent({ ...event, password: 'not-the-password' }))).status).toBe(401);
      expect((await post(pathOf(pipedrive.webhookUrl), pipedriveEvent({ ...event, user: 'someone', password: PIPEDRIVE_PASSWORD }))).status).toBe(401);
      expect((await post(pathOf(pipedrive.webhookUrl), pipedriveEvent(event))).status).toBe(401);
      expect(await stored()).toEqual(before);
    });

    it('a deal created in stage 1 starts a clock; its move from stage 1 to 2 stops it, and a retry adds nothing', async () => {
      t.clock.set('2026-11-16T08:00:05Z');
      const created = await post(
        pathOf(pipedrive.webhookUrl),
        pipedriveEvent({ action: 'create', data: deal(1), previous: null, eventId: '0b7c1f5e-0000-4000-8000-000000000001', timestamp: unix('2026-11-16T08:00:00Z'), password: PIPEDRIVE_PASSWORD }),
      );
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ outcome: 'accepted', events: 1 });
      expect(await clocksOf(t, org.salesMember.token, 'pd-42', hot)).toEqual([expect.objectContaining({ state: 'running', targetName: 'hot' })]);

      t.clock.set('2026-11-16T08:20:05Z');
      const moved = pipedriveEvent({
        action: 'change',
        data: deal(2),
        previous: { stage_id: 1 },
        eventId: '0b7c1f5e-0000-4000-8000-000000000002',
        timestamp: unix('2026-11-16T08:20:00Z'),
        password: PIPEDRIVE_PASSWORD,
      });
      const answer = await post(pathOf(pipedrive.webhookUrl), moved);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ received: 1, outcome: 'accepted', events: 1 });
      const clocks = await clocksOf(t, org.salesMember.token, 'pd-42', hot);
      expect(clocks).toEqual([expect.objectContaining({ state: 'stopped', outcome: 'met', targetName: 'hot', elapsedSeconds: 20 * 60 })]);

      // Pipedrive's retry keeps meta.id: nothing new.
      const before = await count('events');
      const retry = pipedriveEvent({ action: 'change', data: deal(2), previous: { stage_id: 1 }, eventId: '0b7c1f5e-0000-4000-8000-000000000002', timestamp: unix('2026-11-16T08:20:00Z'), attempt: 2, password: PIPEDRIVE_PASSWORD });
      expect((await post(pathOf(pipedrive.webhookUrl), retry)).body).toMatchObject({ outcome: 'accepted', events: 1 });
      expect(await count('events')).toBe(before);
      const events = await t.as().get(`/api/events?subject=pd-42&connectionId=${pipedrive.id}`);
      expect(events.body.items.map((e: { type: string; occurredAt: string }) => [e.type, e.occurredAt])).toEqual([
        ['lead.handed_over', '2026-11-16T08:00:00.000Z'],
        ['lead.contacted', '2026-11-16T08:20:00.000Z'],
      ]);
    });

    it('keeps a second Pipedrive account apart, made the same minute with the same event ids', async () => {
      const other = await create({
        name: 'Pipedrive (other account)',
        kind: 'pipedrive',
        secret: PIPEDRIVE_PASSWORD,
        subjectPrefix: 'pd2-',
        rules: [{ on: { object: 'deal', property: 'stage_id', to: '1' }, emit: 'lead.handed_over' }],
      });
      // UUIDv7: the same first 8 digits as the first connection's id.
      expect(other.id.slice(0, 8)).toBe(pipedrive.id.slice(0, 8));
      const answer = await post(
        pathOf(other.webhookUrl),
        pipedriveEvent({ action: 'create', data: deal(1), previous: null, eventId: '0b7c1f5e-0000-4000-8000-000000000001', timestamp: unix('2026-11-16T08:00:00Z'), password: PIPEDRIVE_PASSWORD }),
      );
      expect(answer.body).toMatchObject({ outcome: 'accepted', events: 1 });
      expect((await t.as().get(`/api/events?subject=pd2-42`)).body.items).toEqual([expect.objectContaining({ type: 'lead.handed_over', connectionId: other.id })]);
    });
  });

  describe('amoCRM', () => {
    let amocrm: { id: string; webhookUrl: string; secret?: string };

    beforeAll(async () => {
      amocrm = await create({
        name: 'amoCRM',
        kind: 'amocrm',
        subjectPrefix: 'amo-',
        rules: [{ on: { object: 'lead', property: 'status_id', to: '142' }, emit: 'lead.won' }],
        attributes: { score: 'custom_fields.667001' },
      });
    });

    it('puts the generated secret in the URL, shown once', async () => {
      expect(amocrm.secret).toMatch(/^[\w-]{32}$/);
      expect(amocrm.webhookUrl).toBe(`http://localhost:3000/hooks/${amocrm.id}/${amocrm.secret}`);
      expect((await t.as().get(`/api/connections/${amocrm.id}`)).body.webhookUrl).toBe(`http://localhost:3000/hooks/${amocrm.id}/<secret>`);
    });

    it('refuses a wrong or missing URL secret with 401, storing nothing', async () => {
      const before = await stored();
      expect((await post(`/hooks/${amocrm.id}/wrong-secret-wrong-secret`, amocrmLeadStatus())).status).toBe(401);
      expect((await post(`/hooks/${amocrm.id}`, amocrmLeadStatus())).status).toBe(401);
      expect(await stored()).toEqual(before);
    });

    it('stores a won lead once when amoCRM delivers it twice', async () => {
      t.clock.set('2026-11-16T09:00:05Z');
      const won = amocrmLeadStatus({ leadId: 19031, statusId: 142, oldStatusId: 31234567, lastModified: unix('2026-11-16T09:00:00Z') });
      const first = await post(pathOf(amocrm.webhookUrl), won);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ received: 1, outcome: 'accepted', events: 1 });
      const again = await post(pathOf(amocrm.webhookUrl), won);
      expect(again.body).toMatchObject({ outcome: 'accepted', events: 1 });
      const events = await t.as().get(`/api/events?subject=amo-19031`);
      expect(events.body.items).toEqual([
        expect.objectContaining({ type: 'lead.won', occurredAt: '2026-11-16T09:00:00.000Z', attributes: { score: 'hot' }, connectionId: amocrm.id }),
      ]);
      const log = await t.as().get(`/api/connections/${amocrm.id}/deliveries`);
      expect(log.body.items.map((d: { outcome: string; eventIds: string[]; url: string }) => [d.outcome, d.eventIds])).toEqual([
        ['accepted', [events.body.items[0].id]],
        ['accepted', [events.body.items[0].id]],
      ]);
      // The log never hands out the URL's secret.
      expect(JSON.stringify(log.body)).not.toContain(amocrm.secret);
    });
  });

  describe('Bitrix24', () => {
    let bitrix: { id: string; webhookUrl: string; secret?: string; warnings: string[] };

    it('is created before Bitrix24 shows its application token: deliveries are 401 until PATCH sets it', async () => {
      bitrix = await create({
        name: 'Bitrix24',
        kind: 'bitrix24',
        subjectPrefix: 'b24-',
        settings: { restUrl: portal.restUrl },
        rules: [
          { on: { object: 'lead', property: 'STATUS_ID', to: 'NEW' }, emit: 'lead.handed_over' },
          { on: { object: 'lead', property: 'STATUS_ID', to: 'IN_PROCESS' }, emit: 'lead.contacted' },
        ],
        attributes: { score: 'UF_CRM_TEMPERATURE' },
      });
      expect(bitrix.secret).toBeUndefined();
      expect(bitrix.webhookUrl).toBe(`http://localhost:3000/hooks/${bitrix.id}`);
      expect(bitrix.warnings).toEqual([expect.stringMatching(/^secret: not set yet .* application token/)]);

      const before = await stored();
      expect((await post(pathOf(bitrix.webhookUrl), bitrix24Event({ applicationToken: BITRIX24_TOKEN }))).status).toBe(401);
      expect(await stored()).toEqual(before);
      expect(portal.requests).toEqual([]);

      const patched = await t.as(org.salesHead.token).patch(`/api/connections/${bitrix.id}`).send({ secret: BITRIX24_TOKEN });
      expect(patched.status).toBe(200);
      expect(patched.body.warnings).toEqual([]);
      // PATCHed settings are checked by kind too.
      const bad = await t.as(org.salesHead.token).patch(`/api/connections/${bitrix.id}`).send({ settings: {} });
      expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['settings.restUrl']]);
      expect((await post(pathOf(bitrix.webhookUrl), bitrix24Event({ applicationToken: 'not-the-token-not-the-token-0000' }))).status).toBe(401);
      expect(await stored()).toEqual(before);
    });

    it('resolves ONCRMLEADUPDATE through the portal: STATUS_ID NEW starts a clock, IN_PROCESS stops it', async () => {
      portal.leads.set('19030', { STATUS_ID: 'NEW', UF_CRM_TEMPERATURE: 'hot' });
      t.clock.set('2026-11-17T08:00:05Z');
      const handed = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19030, ts: unix('2026-11-17T08:00:00Z'), applicationToken: BITRIX24_TOKEN }));
      expect(handed.status).toBe(200);
      expect(handed.body).toMatchObject({ outcome: 'accepted', events: 1 });
      expect(portal.requests).toEqual(['/rest/1/abc123def456/crm.lead.get.json?id=19030']);

      portal.leads.set('19030', { STATUS_ID: 'IN_PROCESS', UF_CRM_TEMPERATURE: 'hot' });
      t.clock.set('2026-11-17T08:30:05Z');
      const contacted = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19030, ts: unix('2026-11-17T08:30:00Z'), applicationToken: BITRIX24_TOKEN }));
      expect(contacted.body).toMatchObject({ outcome: 'accepted', events: 1 });
      const events = await t.as().get(`/api/events?subject=b24-19030`);
      expect(events.body.items.map((e: { type: string; occurredAt: string; attributes: object }) => [e.type, e.occurredAt, e.attributes])).toEqual([
        ['lead.handed_over', '2026-11-17T08:00:00.000Z', { score: 'hot' }],
        ['lead.contacted', '2026-11-17T08:30:00.000Z', { score: 'hot' }],
      ]);
      expect(await clocksOf(t, org.salesMember.token, 'b24-19030', hot)).toEqual([expect.objectContaining({ state: 'stopped', outcome: 'met', elapsedSeconds: 30 * 60 })]);
    });

    it('marks a delivery the portal cannot answer as failed, keeps it, and produces its event on replay', async () => {
      portal.leads.set('19040', { STATUS_ID: 'NEW' });
      portal.failing = true;
      t.clock.set('2026-11-17T09:00:05Z');
      const answer = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19040, ts: unix('2026-11-17T09:00:00Z'), applicationToken: BITRIX24_TOKEN }));
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ deliveryId: expect.any(String), message: expect.stringMatching(/kept in the delivery log as failed/) });
      // The sender is told nothing of the portal.
      expect(JSON.stringify(answer.body)).not.toContain('ERROR_CORE');
      const failed = await t.as(org.salesHead.token).get(`/api/connections/${bitrix.id}/deliveries?outcome=failed`);
      expect(failed.body.items).toEqual([
        expect.objectContaining({ id: answer.body.deliveryId, outcome: 'failed', eventIds: [], reason: expect.stringMatching(/crm\.lead\.get .*ERROR_CORE: Not found/) }),
      ]);
      expect((await t.as().get('/api/events?subject=b24-19040')).body.items).toEqual([]);

      // Still failing: the replay says so, and keeps it.
      const stillFailing = await t.as(org.salesHead.token).post(`/api/connections/${bitrix.id}/deliveries/${answer.body.deliveryId}/replay`);
      expect(stillFailing.status).toBe(200);
      expect(stillFailing.body).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/ERROR_CORE/) });

      portal.failing = false;
      const replayed = await t.as(org.salesHead.token).post(`/api/connections/${bitrix.id}/deliveries/${answer.body.deliveryId}/replay`);
      expect(replayed.body).toMatchObject({ outcome: 'accepted', reason: null, eventIds: [expect.any(String)] });
      expect((await t.as().get('/api/events?subject=b24-19040')).body.items).toEqual([
        expect.objectContaining({ type: 'lead.handed_over', occurredAt: '2026-11-17T09:00:00.000Z', connectionId: bitrix.id }),
      ]);
    });

    it('answers within a second while the portal hangs, and the first due round after it recovers produces the event, once', async () => {
      portal.leads.set('19050', { STATUS_ID: 'NEW' });
      portal.hanging = true;
      t.clock.set('2026-11-17T10:00:05Z');
      const started = performance.now();
      const answer = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19050, ts: unix('2026-11-17T10:00:00Z'), applicationToken: BITRIX24_TOKEN }));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ deliveryId: expect.any(String), message: expect.stringMatching(/failed, for replay, and retried automatically/), retryAt: '2026-11-17T10:01:05.000Z' });
      const delivery = () => deliveryOf(t, org.salesHead.token, bitrix.id, answer.body.deliveryId);
      expect(await delivery()).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/crm\.lead\.get for lead 19050 could not reach the portal \(no answer within 700 ms\)/), attempts: 1, retryAt: '2026-11-17T10:01:05.000Z' });

      portal.hanging = false;
      // Not due yet: the round leaves it.
      expect((await t.as().post('/api/admin/sweep')).body.deliveriesRetried).toBeUndefined();
      expect((await t.as().get('/api/events?subject=b24-19050')).body.items).toEqual([]);

      t.clock.set('2026-11-17T10:01:05Z');
      expect((await t.as().post('/api/admin/sweep')).body.deliveriesRetried).toBe(1);
      const events = (await t.as().get('/api/events?subject=b24-19050')).body.items;
      expect(events).toEqual([expect.objectContaining({ type: 'lead.handed_over', occurredAt: '2026-11-17T10:00:00.000Z', connectionId: bitrix.id })]);
      expect(await delivery()).toMatchObject({ outcome: 'accepted', reason: null, eventIds: [events[0].id], attempts: 2, retryAt: null });

      // Done: later rounds, and Bitrix24 sending it again, add nothing.
      t.clock.set('2026-11-17T12:00:00Z');
      expect((await t.as().post('/api/admin/sweep')).body.deliveriesRetried).toBeUndefined();
      const again = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19050, ts: unix('2026-11-17T10:00:00Z'), applicationToken: BITRIX24_TOKEN }));
      expect(again.body).toMatchObject({ outcome: 'accepted', events: 1 });
      expect((await t.as().get('/api/events?subject=b24-19050')).body.items).toHaveLength(1);
    });

    it('retries with backoff, and stops after the last attempt, leaving the delivery failed for a replay by hand', async () => {
      portal.leads.set('19060', { STATUS_ID: 'NEW' });
      portal.failing = true;
      t.clock.set('2026-11-18T08:00:00Z');
      const answer = await post(pathOf(bitrix.webhookUrl), bitrix24Event({ id: 19060, ts: unix('2026-11-18T07:59:59Z'), applicationToken: BITRIX24_TOKEN }));
      const delivery = () => deliveryOf(t, org.salesHead.token, bitrix.id, answer.body.deliveryId);
      const seen: [number, string | null][] = [];
      for (let round = 0; round < 8; round += 1) {
        const { attempts, retryAt } = (await delivery()) as { attempts: number; retryAt: string | null };
        seen.push([attempts, retryAt]);
        if (!retryAt) break;
        t.clock.set(retryAt);
        expect((await t.as().post('/api/admin/sweep')).body.deliveriesRetried).toBe(1);
      }
      expect(seen).toEqual([
        [1, '2026-11-18T08:01:00.000Z'],
        [2, '2026-11-18T08:06:00.000Z'],
        [3, '2026-11-18T08:36:00.000Z'],
        [4, '2026-11-18T10:36:00.000Z'],
        [5, '2026-11-18T22:36:00.000Z'],
        [6, null],
      ]);
      expect(await delivery()).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/ERROR_CORE/) });
      t.clock.set('2026-11-20T08:00:00Z');
      expect((await t.as().post('/api/admin/sweep')).body.deliveriesRetried).toBeUndefined();
      portal.failing = false;
    });
  });

  describe('addresses a connection may call, without CRM_ALLOW_PRIVATE_HOSTS', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await TestApp.start();
    });

    afterAll(async () => {
      await strict?.close();
    });

    const bitrix24 = (restUrl: string) => ({
      name: 'B24',
      kind: 'bitrix24',
      secret: BITRIX24_TOKEN,
      subjectPrefix: 'b24-',
      settings: { restUrl },
      rules: [{ on: { object: 'lead', property: 'STATUS_ID', to: 'NEW' }, emit: 'lead.handed_over' }],
    });

    it('refuses an http restUrl, or one on a private, loopback or link-local address, with 400 naming settings.restUrl', async () => {
      const port = new URL(portal.restUrl).port;
      const cases: [string, RegExp][] = [
        [portal.restUrl, /https/],
        ['http://acme.bitrix24.com/rest/1/abc123def456/', /must be an https URL .*CRM_ALLOW_PRIVATE_HOSTS/],
        [`https://127.0.0.1:${port}/rest/1/abc123def456/`, /must not point to 127\.0\.0\.1/],
        ['https://169.254.169.254/latest/meta-data/', /must not point to 169\.254\.169\.254/],
        ['https://10.0.0.5/rest/1/x/', /must not point to 10\.0\.0\.5/],
        ['https://[::1]/rest/1/x/', /must not point to ::1/],
        ['https://[::ffff:7f00:1]/rest/1/x/', /must not point to ::ffff:7f00:1/],
        ['https://2130706433/rest/1/x/', /must not point to 127\.0\.0\.1/],
      ];
      for (const [restUrl, message] of cases) {
        const answer = await strict.as().post('/api/connections').send(bitrix24(restUrl));
        expect([restUrl, answer.status, Object.keys(answer.body.errors ?? {})]).toEqual([restUrl, 400, ['settings.restUrl']]);
        expect(answer.body.errors['settings.restUrl'].join(' ')).toMatch(message);
      }
      expect(Number((await strict.app.get(DataSource).query('SELECT COUNT(*) AS n FROM connections'))[0].n)).toBe(0);
      const made = await strict.as().post('/api/connections').send(bitrix24('https://acme.bitrix24.com/rest/1/abc123def456/'));
      expect(made.status).toBe(201);
      const patched = await strict.as().patch(`/api/connections/${made.body.id}`).send({ settings: { restUrl: 'https://192.168.1.10/rest/1/x/' } });
      expect([patched.status, Object.keys(patched.body.errors ?? {})]).toEqual([400, ['settings.restUrl']]);
    });

    it('fails a delivery whose restUrl host resolves to a private address, naming why, without calling it', async () => {
      const port = new URL(portal.restUrl).port;
      const made = await strict.as().post('/api/connections').send(bitrix24(`https://localhost:${port}/rest/1/abc123def456/`));
      expect(made.status).toBe(201);
      portal.leads.set('19070', { STATUS_ID: 'NEW' });
      const asked = portal.requests.length;
      strict.clock.set('2026-11-17T08:00:05Z');
      let call = strict.anonymous().post(pathOf(made.body.webhookUrl));
      const request = bitrix24Event({ id: 19070, ts: unix('2026-11-17T08:00:00Z'), applicationToken: BITRIX24_TOKEN });
      call = call.set('Content-Type', request.contentType);
      const answer = await call.send(request.body);
      expect(answer.status).toBe(500);
      expect(await deliveryOf(strict, undefined, made.body.id, answer.body.deliveryId)).toMatchObject({
        outcome: 'failed',
        reason: expect.stringMatching(/could not reach the portal \(localhost resolves to (127\.0\.0\.1|::1), not a public address: .*CRM_ALLOW_PRIVATE_HOSTS=true/),
      });
      expect(portal.requests.length).toBe(asked);
      expect((await strict.as().get('/api/events?subject=b24-19070')).body.items).toEqual([]);
    });
  });

  describe('Salesforce', () => {
    let salesforce: { id: string; webhookUrl: string; secret?: string };

    beforeAll(async () => {
      salesforce = await create({
        name: 'Salesforce',
        kind: 'salesforce',
        subjectPrefix: 'sf-',
        // The 15-character form Setup → Company Information shows; messages carry the 18.
        settings: { organizationId: SALESFORCE_ORG_ID.slice(0, 15) },
        rules: [
          { on: { object: 'lead', property: 'Status', to: 'Open - Not Contacted' }, emit: 'lead.handed_over' },
          { on: { object: 'lead', property: 'Status', to: 'Working - Contacted' }, emit: 'lead.contacted' },
        ],
        attributes: { score: 'Rating' },
      });
      expect(salesforce.webhookUrl).toBe(`http://localhost:3000/hooks/${salesforce.id}/${salesforce.secret}`);
    });

    it('answers an Outbound Message with the SOAP Ack, and its notifications become events', async () => {
      t.clock.set('2026-11-18T08:40:05Z');
      const message = salesforceOutboundMessage([
        salesforceLead({ Status: 'Working - Contacted', LastModifiedDate: '2026-11-18T08:40:00.000Z', SystemModstamp: '2026-11-18T08:40:00.000Z' }, '04l5e00000Gx7R1AAJ'),
        salesforceLead({ Status: 'Open - Not Contacted', LastModifiedDate: '2026-11-18T08:00:00.000Z', SystemModstamp: '2026-11-18T08:00:00.000Z' }, '04l5e00000Gx7R0AAJ'),
      ]);
      const answer = await post(pathOf(salesforce.webhookUrl), message);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/xml/);
      expect(answer.text).toContain('<Ack>true</Ack>');
      const events = await t.as().get(`/api/events?subject=sf-00Q5e00000AbCdEEAV`);
      expect(events.body.items.map((e: { type: string; occurredAt: string; attributes: object }) => [e.type, e.occurredAt, e.attributes])).toEqual([
        ['lead.handed_over', '2026-11-18T08:00:00.000Z', { score: 'Hot' }],
        ['lead.contacted', '2026-11-18T08:40:00.000Z', { score: 'Hot' }],
      ]);
      // Salesforce resends until it reads the Ack: the same Notification ids change nothing.
      const before = await count('events');
      expect((await post(pathOf(salesforce.webhookUrl), message)).text).toContain('<Ack>true</Ack>');
      expect(await count('events')).toBe(before);
    });

    it('refuses another organization\'s message and a wrong URL secret with 401, storing nothing', async () => {
      const before = await stored();
      const otherOrg = salesforceOutboundMessage([salesforceLead({}, '04l5e00000Gx7R2AAJ')], { organizationId: '00D5e000000ZZZZEAG' });
      expect((await post(pathOf(salesforce.webhookUrl), otherOrg)).status).toBe(401);
      const wrongSecret = salesforceOutboundMessage([salesforceLead({}, '04l5e00000Gx7R2AAJ')]);
      expect((await post(`/hooks/${salesforce.id}/not-the-secret-not-the-secret`, wrongSecret)).status).toBe(401);
      expect(await stored()).toEqual(before);
    });

    it('answers a malformed verified message with a 400 SOAP fault (Salesforce sends it again), logged as rejected', async () => {
      const broken: CrmRequest = { body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>', contentType: 'text/xml; charset=utf-8', headers: {} };
      const answer = await post(pathOf(salesforce.webhookUrl), broken);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^text\/xml/);
      expect(answer.text).toContain('<faultcode>soapenv:Client</faultcode>');
      const log = await t.as().get(`/api/connections/${salesforce.id}/deliveries?outcome=rejected`);
      expect(log.body.items).toEqual([expect.objectContaining({ body: broken.body, reason: expect.any(String) })]);
    });
  });

  describe('a kind without an adapter', () => {
    it('is answered 501, storing nothing (every kind has one today: a row of an unknown kind stands in)', async () => {
      const now = t.clock.now();
      const id = '0190a2b4-0000-7000-8000-0000000000aa';
      await t.app.get(DataSource).manager.insert(Connection, {
        id,
        name: 'Zoho',
        kind: 'zoho' as never,
        departmentId: null,
        subjectPrefix: '',
        rules: [],
        attributes: {},
        settings: {},
        secretCipher: 'v1:unused',
        createdAt: now,
        updatedAt: now,
      });
      const before = await stored();
      const answer = await t.anonymous().post(`/hooks/${id}`).set('Content-Type', 'application/json').send('{}');
      expect(answer.status).toBe(501);
      expect(answer.body).toMatchObject({ error: 'not_implemented' });
      expect(await stored()).toEqual(before);
      await t.app.get(DataSource).manager.delete(Connection, { id });
    });
  });
});
