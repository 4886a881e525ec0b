import { createHmac } from 'node:crypto';
import type { IncomingDelivery } from './crm-adapter.js';
import { webhookAdapter } from './webhook.js';

const SECRET = 'generated-secret-abcdef';
const NOW = new Date('2026-11-10T09:00:00Z');
const secrets = { secret: SECRET, settings: {} };

function delivery(body: string, headers: Record<string, string>): IncomingDelivery {
  return { method: 'POST', url: 'http://localhost:3000/hooks/x', headers, rawBody: Buffer.from(body), contentType: 'application/json', receivedAt: NOW };
}
const hmac = (text: string, key = SECRET) => `sha256=${createHmac('sha256', key).update(text).digest('hex')}`;

describe('generic webhook adapter', () => {
  const body = JSON.stringify({ type: 'lead.handed_over', subject: 'F-1', occurredAt: '2026-11-10T09:00:00Z' });

  it('verifies sha256=<hex HMAC of the raw body>, in any case of hex digits', () => {
    expect(webhookAdapter.verify(delivery(body, { 'x-concord-signature': hmac(body) }), secrets)).toEqual({ ok: true });
    expect(webhookAdapter.verify(delivery(body, { 'x-concord-signature': hmac(body).toUpperCase().replace('SHA256', 'sha256') }), secrets)).toEqual({ ok: true });
    expect(webhookAdapter.verify(delivery(body, { 'x-concord-signature': hmac(body, 'wrong') }), secrets)).toMatchObject({ ok: false });
    expect(webhookAdapter.verify(delivery(body, { 'x-concord-signature': hmac(`${body} `) }), secrets)).toMatchObject({ ok: false });
    expect(webhookAdapter.verify(delivery(body, {}), secrets)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
  });

  it('signs `<timestamp>.<body>` when X-Concord-Timestamp is sent, and refuses it 5 minutes old', () => {
    const now = NOW.getTime() / 1000;
    const signed = (timestamp: number) => delivery(body, { 'x-concord-timestamp': String(timestamp), 'x-concord-signature': hmac(`${timestamp}.${body}`) });
    expect(webhookAdapter.verify(signed(now), secrets)).toEqual({ ok: true });
    expect(webhookAdapter.verify(signed(now - 301), secrets)).toMatchObject({ ok: false, reason: expect.stringMatching(/5 minutes/) });
    // The timestamp is part of the signed text: changing it breaks the signature.
    const moved = signed(now);
    expect(webhookAdapter.verify({ ...moved, headers: { ...moved.headers, 'x-concord-timestamp': String(now - 10) } }, secrets)).toMatchObject({ ok: false });
  });

  it('reads one event or an array as Concord events, and refuses what is not', () => {
    expect(webhookAdapter.parse(delivery(body, {}), secrets)).toEqual({ ok: true, changes: [], events: [JSON.parse(body)] });
    expect(webhookAdapter.parse(delivery(`[${body},${body}]`, {}), secrets)).toMatchObject({ ok: true, events: [{}, {}] });
    expect(webhookAdapter.parse(delivery('nope', {}), secrets)).toMatchObject({ ok: false });
    expect(webhookAdapter.parse(delivery('[]', {}), secrets)).toMatchObject({ ok: false });
    expect(webhookAdapter.parse(delivery('[1]', {}), secrets)).toMatchObject({ ok: false });
  });
});
