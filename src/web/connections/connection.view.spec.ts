import type { ConnectionKind } from '../../connections/adapters/crm-adapter.js';
import type { ConnectionView, DeliveryView } from '../../connections/connections.dto.js';
import type { ConnectionRule } from '../../connections/rules.js';
import { Directory } from '../directory.js';
import { newConnectionValues } from './connection-form.js';
import { sampleFor } from './connection-samples.js';
import { presentDeliveries, presentDelivery, presentDetail, presentForm, presentList, presentTest, ruleInWords, truncate } from './connection.view.js';

const rule = (object: string, property: string, to: string | string[], emit: string, from?: string | string[]): ConnectionRule => ({
  on: { object, property, to, ...(from !== undefined ? { from } : {}) },
  emit,
});

function connection(extra: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: 'c-1',
    name: 'HubSpot',
    kind: 'hubspot',
    departmentId: 'd-sales',
    subjectPrefix: 'hs-',
    rules: [rule('contact', 'hs_lead_status', ['CONNECTED', 'IN_PROGRESS'], 'lead.contacted')],
    attributes: { score: 'lead_temperature' },
    settings: {},
    webhookUrl: 'https://concord.example.com/hooks/c-1',
    createdAt: '2026-10-01T07:00:00.000Z',
    updatedAt: '2026-10-01T07:00:00.000Z',
    ...extra,
  };
}

const directory = new Directory([], [{ id: 'd-sales', name: 'Sales' }]);

describe('rules in plain words, in each CRM\'s vocabulary', () => {
  const cases: [ConnectionKind, ConnectionRule, string][] = [
    ['hubspot', rule('contact', 'hs_lead_status', ['CONNECTED', 'IN_PROGRESS'], 'lead.contacted'), "When a HubSpot contact's Lead status (hs_lead_status) becomes CONNECTED or IN_PROGRESS → lead.contacted"],
    ['hubspot', rule('contact', 'lifecyclestage', 'marketingqualifiedlead', 'lead.mql'), "When a HubSpot contact's Lifecycle stage (lifecyclestage) becomes marketingqualifiedlead → lead.mql"],
    ['hubspot', rule('deal', 'dealstage', 'closedwon', 'deal.won', 'contractsent'), "When a HubSpot deal's Deal stage (dealstage) changes from contractsent to closedwon → deal.won"],
    ['hubspot', rule('contact', '$created', 'true', 'lead.created'), 'When a HubSpot contact is created → lead.created'],
    ['pipedrive', rule('deal', 'status', 'won', 'deal.won', 'open'), "When a Pipedrive deal's Status (status) changes from open to won → deal.won"],
    ['pipedrive', rule('person', 'owner_id', '1001', 'lead.assigned'), "When a Pipedrive person's Owner (owner_id) becomes 1001 → lead.assigned"],
    ['amocrm', rule('lead', 'status_id', ['142', '143'], 'lead.closed'), "When an amoCRM lead's Status (status_id) becomes 142 (won) or 143 (lost) → lead.closed"],
    ['bitrix24', rule('lead', 'STATUS_ID', 'IN_PROCESS', 'lead.contacted'), "When a Bitrix24 lead's Status (STATUS_ID) becomes IN_PROCESS → lead.contacted"],
    ['bitrix24', rule('deal', 'STAGE_ID', ['WON', 'LOSE'], 'deal.closed'), "When a Bitrix24 deal's Stage (STAGE_ID) becomes WON (won) or LOSE (lost) → deal.closed"],
    ['salesforce', rule('lead', 'Status', 'Working - Contacted', 'lead.contacted'), "When a Salesforce lead's Status (Status) becomes Working - Contacted → lead.contacted"],
    ['salesforce', rule('opportunity', 'StageName', ['Closed Won'], 'deal.won'), "When a Salesforce opportunity's Stage (StageName) becomes Closed Won → deal.won"],
    ['pipedrive', rule('deal', 'custom_a1b2', 'x', 'deal.flagged'), "When a Pipedrive deal's custom_a1b2 becomes x → deal.flagged"],
  ];
  it.each(cases)('%s: %j', (kind, given, words) => {
    expect(ruleInWords(kind, given)).toBe(words);
  });
});

describe('the list of connections', () => {
  it('shows each URL, its department, the newest delivery in the reader\'s zone and the counts by outcome', () => {
    const summaries = new Map([['c-1', { total: 5, byOutcome: { accepted: 3, rejected: 2 }, last: { receivedAt: '2026-10-01T07:00:00.000Z', outcome: 'rejected' as const } }]]);
    const view = presentList({ connections: [connection(), connection({ id: 'c-2', departmentId: null })], summaries, directory, zone: 'Europe/Paris' });
    expect(view.connections[0]).toEqual({
      id: 'c-1',
      name: 'HubSpot',
      kind: 'HubSpot',
      webhookUrl: 'https://concord.example.com/hooks/c-1',
      department: 'Sales',
      rules: 1,
      last: { at: 'Thu 1 Oct 2026, 09:00 Europe/Paris (2026-10-01T09:00+02:00)', instant: '2026-10-01T07:00:00.000Z', outcome: { name: 'rejected', badge: 'bad' } },
      deliveries: 5,
      counts: [{ outcome: { name: 'accepted', badge: 'good' }, count: 3 }, { outcome: { name: 'rejected', badge: 'bad' }, count: 2 }],
    });
    expect(view.connections[1]).toMatchObject({ department: null, last: null, deliveries: 0, counts: [] });
  });
});

describe('the connection form', () => {
  it('offers blank rows after the filled ones, event types with how often they were seen, and never shows a secret typed', () => {
    const values = { ...newConnectionValues(), secret: 'typed-secret', rules: [{ on: { object: 'contact', property: 'x', to: 'y', from: '' }, emit: 'lead.x' }] };
    const view = presentForm({ connection: null, values, errors: { 'rules[0].on': ['rules[0].on.foo is not a known field'], 'attributes.score': ['bad'] }, eventTypes: [{ type: 'lead.x', count: 0 }, { type: 'lead.y', count: 4 }], admin: true, directory });
    expect(view.values.secret).toBe('');
    expect(view.ruleRows).toHaveLength(3);
    expect(view.ruleRows[1].emit).toEqual({ path: 'rules[1].emit', label: 'Emits, rule 2' });
    expect(view.attributeRows).toHaveLength(2);
    expect(view.eventTypes).toEqual([{ type: 'lead.x', label: 'lead.x (never seen)' }, { type: 'lead.y', label: 'lead.y (4 seen)' }]);
    expect(view.errors).toEqual({ 'rules[0].on.object': ['rules[0].on.foo is not a known field'], 'attributes[0].name': ['bad'] });
    expect(view.departmentOptions).toEqual([{ value: '', label: 'No department (admins only)' }, { value: 'd-sales', label: 'Sales' }]);
    expect(view.secretHint).toBe("The app's client secret (required).");
  });

  it('on edit: posts to the connection, the secret may stay empty, heads choose no department', () => {
    const view = presentForm({ connection: connection(), values: newConnectionValues(), errors: null, eventTypes: [], admin: false, directory });
    expect(view.action).toBe('/connections/c-1');
    expect(view.secretHint).toBe('Leave empty to keep the current secret.');
    expect(view.departmentOptions).toBeNull();
    expect(view.errors).toBeNull();
  });
});

describe('a connection and its test', () => {
  const now = new Date('2026-10-01T07:00:00Z');
  it('shows the rules in words, the secret once after creation, and the sample for its kind', () => {
    const c = connection({ kind: 'amocrm', webhookUrl: 'https://concord.example.com/hooks/c-1/<secret>', rules: [rule('lead', 'status_id', '142', 'lead.won')] });
    const view = presentDetail({
      connection: c,
      directory,
      summary: { total: 0, byOutcome: {}, last: null },
      zone: 'UTC',
      sample: sampleFor('amocrm', c.rules, now),
      test: null,
      created: { secret: 's3cr3t-s3cr3t-s3cr3t', webhookUrl: 'https://concord.example.com/hooks/c-1/s3cr3t-s3cr3t-s3cr3t', warnings: ['w'] },
    });
    expect(view.connection.webhookUrl).toBe('https://concord.example.com/hooks/c-1/s3cr3t-s3cr3t-s3cr3t');
    expect(view.connection.secretInUrl).toBe(true);
    expect(view.connection.rules).toEqual([{ words: "When an amoCRM lead's Status (status_id) becomes 142 (won) → lead.won", unseen: false }]);
    expect(view.warnings).toEqual(['w']);
    expect(view.test.values.contentType).toBe('application/x-www-form-urlencoded');
    expect(decodeURIComponent(view.test.values.body)).toContain('leads[status][0][status_id]=142');
    expect(view.test.result).toBeNull();
  });

  it('says next to each rule whose type was never received', () => {
    const c = connection({ rules: [rule('contact', 'hs_lead_status', 'CONNECTED', 'lead.contacted'), rule('contact', 'lifecyclestage', 'lead', 'lead.mql')] });
    const view = presentDetail({ connection: c, directory, summary: { total: 0, byOutcome: {}, last: null }, zone: 'UTC', sample: sampleFor('hubspot', c.rules, now), test: null, created: null, unseenTypes: ['lead.mql'] });
    expect(view.connection.rules.map((row) => row.unseen)).toEqual([false, true]);
  });

  it('shows the events a test would produce, in the reader\'s zone', () => {
    const result = presentTest(
      { ok: true, reason: null, changes: 1, resolveSkipped: false, notes: [], events: [{ type: 'lead.contacted', subject: 'hs-1', occurredAt: '2026-10-01T07:00:00.000Z', key: 'k', attributes: { score: null } }] },
      'Europe/Paris',
    );
    expect(result.events).toEqual([{ type: 'lead.contacted', subject: 'hs-1', occurredAt: 'Thu 1 Oct 2026, 09:00 Europe/Paris (2026-10-01T09:00+02:00)', key: 'k', attributes: [{ name: 'score', value: '(empty)' }] }]);
  });
});

describe('the delivery log', () => {
  const delivery = (extra: Partial<DeliveryView> = {}): DeliveryView => ({
    id: 'dl-1',
    connectionId: 'c-1',
    receivedAt: '2026-10-01T07:00:00.000Z',
    outcome: 'accepted',
    reason: null,
    eventIds: ['e-1'],
    method: 'POST',
    url: 'https://concord.example.com/hooks/c-1',
    headers: { 'content-type': 'application/json' },
    body: `[${'x'.repeat(400)}]`,
    bodyEncoding: 'utf8',
    processedAt: '2026-10-01T07:00:01.000Z',
    attempts: 1,
    retryAt: null,
    ...extra,
  });

  it('cuts each payload to a line, keeps the filters in the pages\' links', () => {
    const view = presentDeliveries({ connection: connection(), page: { items: [delivery()], total: 120 }, values: { outcome: 'accepted', from: '2026-10-01', to: '' }, errors: {}, offset: 50, zone: 'UTC' });
    expect(view.errors).toBeNull();
    expect(view.deliveries[0].payload).toHaveLength(160);
    expect(view.deliveries[0].payload.endsWith('…')).toBe(true);
    expect(view.previous).toBe('/connections/c-1/deliveries?outcome=accepted&from=2026-10-01');
    expect(view.next).toBe('/connections/c-1/deliveries?outcome=accepted&from=2026-10-01&offset=100');
    expect(view.range).toBe('51–51 of 120');
  });

  it('shows one delivery in full, binary ones said so', () => {
    const view = presentDelivery({ connection: connection(), delivery: delivery({ bodyEncoding: 'base64', body: 'AAEC' }), zone: 'UTC' });
    expect(view.delivery).toMatchObject({ body: 'AAEC', binary: true, eventIds: ['e-1'], headers: [{ name: 'content-type', value: 'application/json' }] });
  });

  it('truncates on whitespace-flattened text', () => {
    expect(truncate('a\n  b', 10)).toBe('a b');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});
