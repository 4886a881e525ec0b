import { amocrmAdapter } from './amocrm.js';
import { parsePhpForm } from './php-form.js';
import { amocrmForm, amocrmLeadStatus, asDelivery } from '../../../test/support/crm-payloads.js';

const secrets = { secret: 'amo-url-secret-0123456789', settings: {} };
const form = (body: string) => asDelivery({ body, contentType: 'application/x-www-form-urlencoded', headers: {} });

describe('PHP-style form parser', () => {
  it('nests bracketed keys, decodes percent-encoded brackets and appends []', () => {
    const parsed = parsePhpForm('leads%5Bstatus%5D%5B0%5D%5Bid%5D=7&a[b][]=x&a[b][]=y&name=Caf%C3%A9+Ole');
    expect(parsed).toEqual({ ok: true, form: { leads: { status: { '0': { id: '7' } } }, a: { b: { '0': 'x', '1': 'y' } }, name: 'Café Ole' } });
  });

  it.each([
    ['%FF', 'a=%FF', /UTF-8/],
    ['a NUL', 'a=%00', /NUL/],
    ['bad percent', 'a=%G1', /percent/],
    ['unbalanced brackets', 'a[b=1', /brackets/],
    ['too deep', `a${'[x]'.repeat(50)}=1`, /deeper/],
    ['too many fields', Array.from({ length: 6000 }, (_, i) => `f${i}=1`).join('&'), /more than/],
    ['__proto__', 'a[__proto__][x]=1', /__proto__/],
    ['value and group', 'a=1&a[b]=2', /both/],
    ['empty', '', /empty/],
  ])('refuses %s', (_name, body, reason) => {
    const parsed = parsePhpForm(body);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe('amocrm adapter', () => {
  it('verifies the URL secret in constant time and refuses a wrong or missing one', () => {
    const request = amocrmLeadStatus();
    expect(amocrmAdapter.verify(asDelivery(request, { pathSecret: secrets.secret }), secrets)).toEqual({ ok: true });
    expect(amocrmAdapter.verify(asDelivery(request, { pathSecret: 'amo-url-secret-0123456780' }), secrets).ok).toBe(false);
    expect(amocrmAdapter.verify(asDelivery(request), secrets).ok).toBe(false);
  });

  it('reads a won lead (status 142) with its old status, known values and a stable key', () => {
    const parsed = amocrmAdapter.parse(asDelivery(amocrmLeadStatus()), secrets);
    expect(parsed).toEqual({
      ok: true,
      changes: [
        {
          key: 'amocrm:29012345:lead:19031:status:142:1772445600',
          object: 'lead',
          objectId: '19031',
          occurredAt: new Date(1772445600 * 1000),
          changed: { status_id: '142' },
          previous: { status_id: '31234567' },
          known: expect.objectContaining({ pipeline_id: '4410001', responsible_user_id: '5001', price: '12000', 'custom_fields.667001': 'hot' }),
        },
      ],
    });
    const again = amocrmAdapter.parse(asDelivery(amocrmLeadStatus()), secrets);
    expect(again.ok && parsed.ok && again.changes[0].key === parsed.changes[0].key).toBe(true);
  });

  it('names the pipeline as changed when the lead moved pipelines', () => {
    const parsed = amocrmAdapter.parse(asDelivery(amocrmLeadStatus({ oldPipelineId: 4410000 })), secrets);
    expect(parsed.ok && parsed.changes[0]).toMatchObject({ changed: { status_id: '142', pipeline_id: '4410001' }, previous: { pipeline_id: '4410000' } });
  });

  it('keys by subdomain when the account id is absent', () => {
    const parsed = amocrmAdapter.parse(asDelivery(amocrmForm({ leads: { status: [{ id: 5, status_id: 143, last_modified: 1772445600 }] }, account: { subdomain: 'acme' } })), secrets);
    expect(parsed.ok && parsed.changes[0].key).toBe('amocrm:acme:lead:5:status:143:1772445600');
  });

  it('reads add, update and responsible for leads and contacts, and ignores deletions', () => {
    const body = amocrmForm({
      leads: {
        add: [{ id: 1, name: 'New', status_id: 31234567, pipeline_id: 4410001, responsible_user_id: 5001, last_modified: 1772445000, date_create: 1772445000 }],
        responsible: [{ id: 2, responsible_user_id: 5003, old_responsible_user_id: 5001, last_modified: 1772445100 }],
        delete: [{ id: 3 }],
      },
      contacts: { update: [{ id: 9, name: 'Jane Roe', responsible_user_id: 5001, last_modified: 1772445200, type: 'contact' }] },
      account: { id: 29012345, subdomain: 'acme' },
    });
    const parsed = amocrmAdapter.parse(asDelivery(body), secrets);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.changes.map((change) => change.key)).toEqual([
      'amocrm:29012345:lead:1:add:1772445000',
      'amocrm:29012345:lead:2:responsible:5003:1772445100',
      'amocrm:29012345:contact:9:update:1772445200',
    ]);
    expect(parsed.changes[1]).toMatchObject({ changed: { responsible_user_id: '5003' }, previous: { responsible_user_id: '5001' } });
    expect(parsed.changes[0].changed).toEqual({ name: 'New', status_id: '31234567', pipeline_id: '4410001', responsible_user_id: '5001' });
    expect(parsed.changes[0].known).toMatchObject({ last_modified: '1772445000' });
    expect(parsed.changes[2]).toMatchObject({ object: 'contact', changed: { name: 'Jane Roe', responsible_user_id: '5001' } });
  });

  it('falls back to the arrival time only when an item carries no time at all', () => {
    const receivedAt = new Date('2026-03-02T10:00:05Z');
    const parsed = amocrmAdapter.parse(asDelivery(amocrmForm({ leads: { status: [{ id: 5, status_id: 142 }] }, account: { id: 1 } }), { receivedAt }), secrets);
    expect(parsed.ok && parsed.changes[0].occurredAt).toEqual(receivedAt);
  });

  it.each([
    ['no account', 'leads[status][0][id]=1&leads[status][0][status_id]=142', /account/],
    ['no items', 'account[subdomain]=acme&companies[add][0][id]=1', /no leads/],
    ['an item without id', 'account[subdomain]=acme&leads[status][0][status_id]=142', /leads\[status\]\[0\]\[id\]/],
    ['a status without status_id', 'account[subdomain]=acme&leads[status][0][id]=4', /status_id/],
    ['invalid UTF-8', 'account[subdomain]=%FF', /UTF-8/],
    ['leads given as a value', 'account[subdomain]=acme&leads=1', /must hold actions/],
  ])('refuses %s with a reason', (_name, body, reason) => {
    const parsed = amocrmAdapter.parse(form(body), secrets);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it('refuses hostile bytes without throwing', () => {
    for (const rawBody of [Buffer.from([0x61, 0x3d, 0xc3, 0x28]), Buffer.from('a=\u0000', 'utf8'), Buffer.from(`a${'[b]'.repeat(10_000)}=1`)]) {
      expect(amocrmAdapter.parse(asDelivery(amocrmLeadStatus(), { rawBody }), secrets).ok).toBe(false);
    }
  });
});
