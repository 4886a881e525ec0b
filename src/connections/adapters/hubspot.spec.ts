import { createHmac } from 'node:crypto';
import type { IncomingDelivery } from './crm-adapter.js';
import { HUBSPOT_CREATED, hubspotAdapter } from './hubspot.js';

const SECRET = 'client-secret-123';
const URL = 'https://concord.example.com/hooks/0190a2b4-0000-7000-8000-000000000001';
const NOW = new Date('2026-11-10T09:00:00Z');

function delivery(body: string, options: { timestamp?: number; secret?: string; url?: string; method?: string } = {}): IncomingDelivery {
  const timestamp = options.timestamp ?? NOW.getTime();
  const signature = createHmac('sha256', options.secret ?? SECRET)
    .update(`${options.method ?? 'POST'}${options.url ?? URL}${body}${timestamp}`)
    .digest('base64');
  return {
    method: 'POST',
    url: URL,
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
    rawBody: Buffer.from(body),
    contentType: 'application/json',
    receivedAt: NOW,
  };
}

const secrets = { secret: SECRET, settings: {} };
const change = { eventId: 100, subscriptionId: 1, portalId: 2, appId: 3, occurredAt: Date.parse('2026-11-10T08:01:00Z'), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 501, propertyName: 'hs_lead_status', propertyValue: 'NEW', changeSource: 'CRM_UI' };

describe('HubSpot adapter', () => {
  it('verifies signature v3: method + configured URL + body + timestamp, keyed with the client secret', () => {
    expect(hubspotAdapter.verify(delivery('[]'), secrets)).toEqual({ ok: true });
    expect(hubspotAdapter.verify(delivery('[]', { secret: 'other' }), secrets)).toMatchObject({ ok: false });
    expect(hubspotAdapter.verify(delivery('[]', { url: 'http://proxy.internal/hooks/x' }), secrets)).toMatchObject({ ok: false });
    expect(hubspotAdapter.verify(delivery('[]', { method: 'GET' }), secrets)).toMatchObject({ ok: false });
    const tampered = { ...delivery('[]'), rawBody: Buffer.from('[{}]') };
    expect(hubspotAdapter.verify(tampered, secrets)).toMatchObject({ ok: false });
  });

  it('refuses a timestamp more than 5 minutes away, or none', () => {
    expect(hubspotAdapter.verify(delivery('[]', { timestamp: NOW.getTime() - 5 * 60_000 }), secrets)).toEqual({ ok: true });
    expect(hubspotAdapter.verify(delivery('[]', { timestamp: NOW.getTime() - 5 * 60_000 - 1 }), secrets)).toMatchObject({ ok: false, reason: expect.stringMatching(/5 minutes/) });
    const noTimestamp = delivery('[]');
    expect(hubspotAdapter.verify({ ...noTimestamp, headers: { 'x-hubspot-signature-v3': noTimestamp.headers['x-hubspot-signature-v3'] } }, secrets)).toMatchObject({ ok: false });
    expect(hubspotAdapter.verify({ ...noTimestamp, headers: {} }, secrets)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
  });

  it('reads property changes, creations and other events', () => {
    const body = JSON.stringify([
      change,
      { ...change, eventId: 101, subscriptionType: 'deal.creation', objectId: 77, propertyName: undefined, propertyValue: undefined },
      { ...change, eventId: 102, subscriptionType: 'contact.associationChange' },
      { ...change, eventId: 103, propertyValue: 42 },
    ]);
    const parsed = hubspotAdapter.parse(delivery(body), secrets);
    expect(parsed).toEqual({
      ok: true,
      changes: [
        { key: '100', object: 'contact', objectId: '501', occurredAt: new Date('2026-11-10T08:01:00Z'), changed: { hs_lead_status: 'NEW' } },
        { key: '101', object: 'deal', objectId: '77', occurredAt: new Date('2026-11-10T08:01:00Z'), changed: { [HUBSPOT_CREATED]: 'true' } },
        { key: '102', object: 'contact', objectId: '501', occurredAt: new Date('2026-11-10T08:01:00Z'), changed: {} },
        { key: '103', object: 'contact', objectId: '501', occurredAt: new Date('2026-11-10T08:01:00Z'), changed: { hs_lead_status: '42' } },
      ],
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['not an array', '{}', /array/],
    ['no eventId', JSON.stringify([{ ...change, eventId: 'x y' }]), /\[0\]\.eventId/],
    ['no occurredAt', JSON.stringify([{ ...change, occurredAt: '2026-11-10' }]), /\[0\]\.occurredAt/],
    ['an odd subscriptionType', JSON.stringify([change, { ...change, subscriptionType: 'contact' }]), /\[1\]\.subscriptionType/],
    ['an object as value', JSON.stringify([{ ...change, propertyValue: { a: 1 } }]), /propertyValue/],
    ['a NUL in a value', JSON.stringify([{ ...change, propertyValue: 'a\u0000b' }]), /propertyValue/],
    ['a lone surrogate', JSON.stringify([{ ...change, propertyValue: '\ud800' }]), /propertyValue/],
  ])('refuses %s, naming what is wrong', (_what, body, reason) => {
    expect(hubspotAdapter.parse(delivery(body), secrets)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
