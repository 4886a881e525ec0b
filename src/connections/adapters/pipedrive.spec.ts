import { pipedriveAdapter } from './pipedrive.js';
import { asDelivery, basicAuthorization, pipedriveEvent } from '../../../test/support/crm-payloads.js';

const secrets = { secret: 'pd-basic-password', settings: {} };

describe('pipedrive adapter', () => {
  describe('verify (HTTP Basic, password = secret)', () => {
    it('accepts the right password whatever the user, unless settings name one', () => {
      const delivery = asDelivery(pipedriveEvent({ user: 'anyone', password: 'pd-basic-password' }));
      expect(pipedriveAdapter.verify(delivery, secrets)).toEqual({ ok: true });
      expect(pipedriveAdapter.verify(delivery, { ...secrets, settings: { user: 'concord' } }).ok).toBe(false);
      const named = asDelivery(pipedriveEvent({ user: 'concord', password: 'pd-basic-password' }));
      expect(pipedriveAdapter.verify(named, { ...secrets, settings: { user: 'concord' } })).toEqual({ ok: true });
    });

    it('refuses a wrong password, a missing header, another scheme and garbage', () => {
      expect(pipedriveAdapter.verify(asDelivery(pipedriveEvent({ password: 'guess' })), secrets).ok).toBe(false);
      expect(pipedriveAdapter.verify(asDelivery(pipedriveEvent()), secrets)).toEqual({ ok: false, reason: expect.stringContaining('Authorization') });
      const bearer = asDelivery({ ...pipedriveEvent(), headers: { authorization: 'Bearer pd-basic-password' } });
      expect(pipedriveAdapter.verify(bearer, secrets).ok).toBe(false);
      const noColon = asDelivery({ ...pipedriveEvent(), headers: { authorization: `Basic ${Buffer.from('pd-basic-password').toString('base64')}` } });
      expect(pipedriveAdapter.verify(noColon, secrets).ok).toBe(false);
      const garbage = asDelivery({ ...pipedriveEvent(), headers: { authorization: 'Basic \u0000\u00ff!!' } });
      expect(pipedriveAdapter.verify(garbage, secrets).ok).toBe(false);
      expect(pipedriveAdapter.verify(asDelivery(pipedriveEvent({ password: '' })), { secret: '', settings: {} }).ok).toBe(false);
    });

    it('takes a password holding a colon', () => {
      const delivery = asDelivery({ ...pipedriveEvent(), headers: { authorization: basicAuthorization('u', 'a:b') } });
      expect(pipedriveAdapter.verify(delivery, { secret: 'a:b', settings: {} })).toEqual({ ok: true });
    });
  });

  describe('parse', () => {
    it('reads a stage change: changed from previous, old values, the rest as known', () => {
      const parsed = pipedriveAdapter.parse(asDelivery(pipedriveEvent()), secrets);
      expect(parsed).toEqual({
        ok: true,
        changes: [
          {
            key: '2b1e1c6e-6f1a-4c0e-9d3b-5c8e1a7f0a11',
            object: 'deal',
            objectId: '42',
            occurredAt: new Date(1772445600 * 1000),
            changed: { stage_id: '5', status: 'won' },
            previous: { stage_id: '4', status: 'open' },
            known: expect.objectContaining({ pipeline_id: '1', owner_id: '1001', value: '12000', 'custom_fields.a1b2c3d4e5': '17', 'custom_fields.f6g7h8': '87' }),
          },
        ],
      });
      if (parsed.ok) expect(parsed.changes[0].known).not.toHaveProperty('stage_id');
    });

    it('reads meta.timestamp as seconds, milliseconds or ISO text', () => {
      for (const timestamp of [1772445600, '1772445600', 1772445600000, '2026-03-02T10:00:00Z']) {
        const parsed = pipedriveAdapter.parse(asDelivery(pipedriveEvent({ timestamp })), secrets);
        expect(parsed.ok && parsed.changes[0].occurredAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
      }
    });

    it('treats a creation as every field changed from nothing, so `to: "open"` matches', () => {
      const parsed = pipedriveAdapter.parse(asDelivery(pipedriveEvent({ action: 'create', previous: null, data: { id: 43, status: 'open', stage_id: 1 }, entityId: 43 })), secrets);
      expect(parsed.ok && parsed.changes[0]).toMatchObject({ objectId: '43', changed: { id: '43', status: 'open', stage_id: '1' } });
      expect(parsed.ok && parsed.changes[0].previous).toBeUndefined();
    });

    it('ignores a deletion', () => {
      expect(pipedriveAdapter.parse(asDelivery(pipedriveEvent({ action: 'delete', data: null })), secrets)).toEqual({ ok: true, changes: [] });
    });

    it('builds a stable key from the content when meta.id is absent', () => {
      const a = pipedriveAdapter.parse(asDelivery(pipedriveEvent({ eventId: null })), secrets);
      const b = pipedriveAdapter.parse(asDelivery(pipedriveEvent({ eventId: null, attempt: 3 })), secrets);
      expect(a.ok && a.changes[0].key).toMatch(/^pipedrive:[0-9a-f]{32}$/);
      expect(a.ok && b.ok && a.changes[0].key === b.changes[0].key).toBe(true);
    });

    it('takes a field cleared to nothing as changed to null', () => {
      const parsed = pipedriveAdapter.parse(asDelivery(pipedriveEvent({ data: { id: 42, status: 'open' }, previous: { owner_id: 7 } })), secrets);
      expect(parsed.ok && parsed.changes[0].changed).toEqual({ owner_id: null });
    });

    it.each([
      ['not JSON', '{"meta":', /not valid JSON/],
      ['no meta', '{"data":{}}', /meta is missing/],
      ['a v1 payload', JSON.stringify({ v: 1, meta: { v: 1, action: 'updated', object: 'deal' }, current: {}, previous: {} }), /v1/],
      ['a wrong action', JSON.stringify({ meta: { action: 'merged', entity: 'deal', entity_id: '1', timestamp: 1 } }), /meta.action/],
      ['no entity_id', JSON.stringify({ meta: { action: 'change', entity: 'deal', timestamp: 1772445600 }, data: {} }), /entity_id/],
      ['no timestamp', JSON.stringify({ meta: { action: 'change', entity: 'deal', entity_id: '1' }, data: {} }), /timestamp/],
      ['no data on change', JSON.stringify({ meta: { action: 'change', entity: 'deal', entity_id: '1', timestamp: 1772445600 }, data: null }), /data must be an object/],
      ['an array', '[]', /JSON object/],
      ['a NUL in a value', JSON.stringify({ meta: { action: 'change', entity: 'deal', entity_id: '1', timestamp: 1772445600 }, data: { title: 'a\u0000b' } }), /NUL/],
      ['a lone surrogate', '{"meta":{"action":"change","entity":"deal","entity_id":"1","timestamp":1772445600},"data":{"title":"\\ud800"}}', /surrogate/],
      ['__proto__', '{"meta":{"action":"change","entity":"deal","entity_id":"1","timestamp":1772445600},"data":{"__proto__":{"x":1}}}', /__proto__/],
      ['huge nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /nested deeper|JSON/],
    ])('refuses %s with a reason', (_name, body, reason) => {
      const parsed = pipedriveAdapter.parse(asDelivery({ body, contentType: 'application/json', headers: {} }), secrets);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.reason).toMatch(reason);
    });

    it('refuses invalid UTF-8 and a raw NUL byte without throwing', () => {
      for (const rawBody of [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), Buffer.from('{"meta":\u0000}', 'utf8')]) {
        const delivery = asDelivery(pipedriveEvent(), { rawBody });
        expect(pipedriveAdapter.parse(delivery, secrets).ok).toBe(false);
      }
    });
  });
});
