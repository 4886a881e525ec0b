import { jest } from '@jest/globals';
import { bitrix24Adapter } from './bitrix24.js';
import type { CrmChange } from './crm-adapter.js';
import { asDelivery, bitrix24Event, bitrix24GetAnswer } from '../../../test/support/crm-payloads.js';

const token = '51856fefc120afa4b628cc82d3935cce';
const secrets = { secret: token, settings: { restUrl: 'https://acme.bitrix24.com/rest/1/abc123' } };

/** A fake portal: answers crm.lead.get / crm.deal.get from a table, records the URLs asked. */
function fakePortal(answers: Record<string, { status?: number; json: unknown }>) {
  const asked: string[] = [];
  const fetch = jest.fn(async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const method = new URL(url).pathname.split('/').pop() as string;
    const answer = answers[method] ?? { status: 404, json: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } };
    return new Response(JSON.stringify(answer.json), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, asked };
}

describe('bitrix24 adapter', () => {
  it('verifies auth[application_token] and refuses a wrong or missing one', () => {
    expect(bitrix24Adapter.verify(asDelivery(bitrix24Event()), secrets)).toEqual({ ok: true });
    expect(bitrix24Adapter.verify(asDelivery(bitrix24Event({ applicationToken: 'forged' })), secrets)).toEqual({ ok: false, reason: 'wrong auth[application_token]' });
    const without = asDelivery({ body: 'event=ONCRMLEADUPDATE&data[FIELDS][ID]=1&ts=1772445600', contentType: 'application/x-www-form-urlencoded', headers: {} });
    expect(bitrix24Adapter.verify(without, secrets).ok).toBe(false);
    expect(bitrix24Adapter.verify(asDelivery(bitrix24Event(), { rawBody: Buffer.from([0xff, 0x00]) }), secrets).ok).toBe(false);
  });

  it('parses an update into an id-only change keyed by portal, event, id and ts', () => {
    const parsed = bitrix24Adapter.parse(asDelivery(bitrix24Event({ event: 'ONCRMDEALUPDATE', id: 6675 })), secrets);
    expect(parsed).toEqual({
      ok: true,
      changes: [
        { key: 'bitrix24:a223c6b3710f85df22e9377d6c4f7553:ONCRMDEALUPDATE:6675:1772445600', object: 'deal', objectId: '6675', occurredAt: new Date(1772445600 * 1000), changed: {} },
      ],
    });
  });

  it('ignores events it does not read', () => {
    expect(bitrix24Adapter.parse(asDelivery(bitrix24Event({ event: 'ONCRMLEADDELETE' })), secrets)).toEqual({ ok: true, changes: [] });
  });

  it.each([
    ['no event', 'data[FIELDS][ID]=1&ts=1772445600&auth[member_id]=m', /event is missing/],
    ['no id', 'event=ONCRMLEADUPDATE&ts=1772445600&auth[member_id]=m', /data\[FIELDS\]\[ID\]/],
    ['a non-numeric id', 'event=ONCRMLEADUPDATE&data[FIELDS][ID]=1%20OR%201&ts=1772445600&auth[member_id]=m', /data\[FIELDS\]\[ID\]/],
    ['no ts', 'event=ONCRMLEADUPDATE&data[FIELDS][ID]=1&auth[member_id]=m', /ts is missing/],
    ['no portal', 'event=ONCRMLEADUPDATE&data[FIELDS][ID]=1&ts=1772445600', /member_id/],
  ])('refuses %s with a reason', (_name, body, reason) => {
    const parsed = bitrix24Adapter.parse(asDelivery({ body, contentType: 'application/x-www-form-urlencoded', headers: {} }), secrets);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  describe('resolve through the portal', () => {
    const lead: CrmChange = { key: 'k1', object: 'lead', objectId: '19030', occurredAt: new Date(1772445600 * 1000), changed: {} };
    const deal: CrmChange = { key: 'k2', object: 'deal', objectId: '6675', occurredAt: new Date(1772445600 * 1000), changed: {} };

    it('reads STATUS_ID of a lead and STAGE_ID of a deal, other scalars as known', async () => {
      const portal = fakePortal({
        'crm.lead.get.json': { json: bitrix24GetAnswer({ STATUS_ID: 'IN_PROCESS' }) },
        'crm.deal.get.json': { json: bitrix24GetAnswer({ ID: '6675', STAGE_ID: 'WON', CATEGORY_ID: '0' }) },
      });
      const resolved = await bitrix24Adapter.resolve!([lead, deal], secrets, portal.fetch);
      expect(portal.asked).toEqual(['https://acme.bitrix24.com/rest/1/abc123/crm.lead.get.json?id=19030', 'https://acme.bitrix24.com/rest/1/abc123/crm.deal.get.json?id=6675']);
      expect(resolved[0]).toMatchObject({ key: 'k1', changed: { STATUS_ID: 'IN_PROCESS' }, known: { ASSIGNED_BY_ID: '1', OPPORTUNITY: '12000.00' } });
      expect(resolved[0].known).not.toHaveProperty('PHONE');
      expect(resolved[1]).toMatchObject({ key: 'k2', object: 'deal', changed: { STAGE_ID: 'WON' }, known: { CATEGORY_ID: '0' } });
    });

    it('throws a clear error when the portal refuses, answers no JSON, or lacks the status', async () => {
      const refused = fakePortal({ 'crm.lead.get.json': { status: 401, json: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' } } });
      await expect(bitrix24Adapter.resolve!([lead], secrets, refused.fetch)).rejects.toThrow(/crm\.lead\.get for lead 19030 failed with INVALID_CREDENTIALS: Invalid request credentials/);
      const html = (async () => new Response('<html>502</html>', { status: 502 })) as unknown as typeof globalThis.fetch;
      await expect(bitrix24Adapter.resolve!([lead], secrets, html)).rejects.toThrow(/HTTP 502 without JSON/);
      const down = (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof globalThis.fetch;
      await expect(bitrix24Adapter.resolve!([lead], secrets, down)).rejects.toThrow(/could not reach the portal/);
      const empty = fakePortal({ 'crm.lead.get.json': { json: { result: { ID: '19030' } } } });
      await expect(bitrix24Adapter.resolve!([lead], secrets, empty.fetch)).rejects.toThrow(/without STATUS_ID/);
      await expect(bitrix24Adapter.resolve!([lead], { secret: token, settings: {} }, empty.fetch)).rejects.toThrow(/no restUrl/);
    });

    it('never follows a redirect: a 3xx is an error naming it', async () => {
      let init: RequestInit | undefined;
      const moved = (async (_input: unknown, given?: RequestInit) => {
        init = given;
        return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
      }) as unknown as typeof globalThis.fetch;
      await expect(bitrix24Adapter.resolve!([lead], secrets, moved)).rejects.toThrow(
        /crm\.lead\.get for lead 19030: the portal answered HTTP 302, a redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which is not followed: settings\.restUrl/,
      );
      expect(init?.redirect).toBe('manual');
    });

    it('gives up on a portal that does not answer within the timeout (700 ms unless told)', async () => {
      const hanging = ((_input: unknown, init?: RequestInit) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as unknown as typeof globalThis.fetch;
      const started = performance.now();
      await expect(bitrix24Adapter.resolve!([lead], secrets, hanging)).rejects.toThrow(/could not reach the portal \(no answer within 700 ms\)/);
      expect(performance.now() - started).toBeLessThan(1500);
      await expect(bitrix24Adapter.resolve!([lead], secrets, hanging, { timeoutMs: 50 })).rejects.toThrow(/no answer within 50 ms/);
    });
  });
});
