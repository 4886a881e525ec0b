import type { ConnectionView } from '../../connections/connections.dto.js';
import { amocrmAdapter } from '../../connections/adapters/amocrm.js';
import { bitrix24Adapter } from '../../connections/adapters/bitrix24.js';
import type { ConnectionKind, CrmAdapter } from '../../connections/adapters/crm-adapter.js';
import { hubspotAdapter } from '../../connections/adapters/hubspot.js';
import { pipedriveAdapter } from '../../connections/adapters/pipedrive.js';
import { salesforceAdapter } from '../../connections/adapters/salesforce.js';
import { webhookAdapter } from '../../connections/adapters/webhook.js';
import { mapChanges } from '../../connections/rules.js';
import { connectionValuesOf, errorsForForm, readDeliveryFilters, requestOf, typedConnection, valueList } from './connection-form.js';
import { sampleFor } from './connection-samples.js';

describe('the connection form', () => {
  it('reads rows as the API names them, drops blank rows, keeps the secret as typed', () => {
    const values = typedConnection({
      name: ' HubSpot ',
      kind: 'hubspot',
      secret: ' with spaces ',
      rules: [
        { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW', from: '' }, emit: 'lead.handed_over' },
        { on: { object: '', property: '', to: '', from: '' }, emit: '' },
        { on: { object: 'contact', property: 'hs_lead_status', to: ' CONNECTED , IN_PROGRESS ', from: 'NEW' }, emit: 'lead.contacted' },
      ],
      attributes: [{ name: 'score', value: 'lead_temperature' }, { name: '', value: '' }],
      settings: 'not rows',
    });
    expect(values.name).toBe('HubSpot');
    expect(values.secret).toBe(' with spaces ');
    expect(values.rules).toHaveLength(2);
    expect(values.settings).toEqual([]);
    const { plain, errors } = requestOf(values, { editing: false, admin: false });
    expect(errors).toEqual({});
    expect(plain).toEqual({
      name: 'HubSpot',
      kind: 'hubspot',
      secret: ' with spaces ',
      subjectPrefix: '',
      rules: [
        { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
        { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'], from: 'NEW' }, emit: 'lead.contacted' },
      ],
      attributes: { score: 'lead_temperature' },
      settings: {},
    });
  });

  it('reads more than 20 rows (qs then gives an object of indexes) in their order', () => {
    const rules: Record<string, unknown> = {};
    for (let i = 0; i < 25; i++) rules[String(i)] = { on: { object: 'deal', property: 'p', to: String(i) }, emit: 'deal.x' };
    expect(typedConnection({ rules }).rules.map((row) => row.on.to)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it('on edit sends no kind, leaves an empty secret out, and lets an admin clear the department', () => {
    const values = { ...typedConnection({ name: 'x', kind: 'hubspot', secret: '' }) };
    expect(requestOf(values, { editing: true, admin: true }).plain).toEqual({ name: 'x', subjectPrefix: '', rules: [], attributes: {}, settings: {}, departmentId: null });
    expect(requestOf(values, { editing: true, admin: false }).plain).not.toHaveProperty('departmentId');
    expect(requestOf({ ...values, departmentId: 'd-1' }, { editing: false, admin: true }).plain).toMatchObject({ departmentId: 'd-1', kind: 'hubspot' });
  });

  it('refuses a name given twice, and names the rules\' own errors at the same time', () => {
    const values = typedConnection({
      rules: [{ on: { object: 'Contact', property: 'p', to: 'x' }, emit: 'e.x' }],
      settings: [{ name: 'restUrl', value: 'a' }, { name: 'restUrl', value: 'b' }],
    });
    const { errors } = requestOf(values, { editing: false, admin: false });
    expect(Object.keys(errors).sort()).toEqual(['rules[0].on.object', 'settings[1].name']);
  });

  it('puts API errors under the field that shows them', () => {
    const values = typedConnection({ attributes: [{ name: 'a', value: '1' }, { name: 'score', value: 'bad one' }], settings: [{ name: 'restUrl', value: 'x' }] });
    expect(
      errorsForForm(
        {
          name: ['n'],
          rules: ['r'],
          'rules[2]': ['whole rule'],
          'rules[1].on': ['on'],
          'rules[1].on.unknown': ['unknown'],
          'rules[1].on.to': ['to'],
          'rules[3].emit': ['emit'],
          'attributes.score': ['score'],
          'attributes.gone': ['gone'],
          attributes: ['too many'],
          'settings.restUrl': ['url'],
        },
        values,
      ),
    ).toEqual({
      name: ['n'],
      'rules[0].on.object': ['r'],
      'rules[2].on.object': ['whole rule'],
      'rules[1].on.object': ['on', 'unknown'],
      'rules[1].on.to': ['to'],
      'rules[3].emit': ['emit'],
      'attributes[1].value': ['score'],
      'attributes[0].name': ['gone', 'too many'],
      'settings[0].value': ['url'],
    });
    expect(errorsForForm({}, values)).toBeNull();
  });

  it('shows a stored connection again: lists comma-separated', () => {
    const view = { name: 'H', kind: 'hubspot', subjectPrefix: '', departmentId: null, rules: [{ on: { object: 'contact', property: 'p', to: ['A', 'B'], from: 'C' }, emit: 'e.x' }], attributes: { s: 't' }, settings: { u: 'v' } } as unknown as ConnectionView;
    expect(connectionValuesOf(view)).toMatchObject({ secret: '', departmentId: '', rules: [{ on: { object: 'contact', property: 'p', to: 'A, B', from: 'C' }, emit: 'e.x' }], attributes: [{ name: 's', value: 't' }], settings: [{ name: 'u', value: 'v' }] });
    expect(valueList('A')).toBe('A');
    expect(valueList('A, ,B')).toEqual(['A', 'B']);
  });
});

describe('the delivery log filters', () => {
  it('reads days in the reader\'s zone, "to" included', () => {
    const { query, errors } = readDeliveryFilters({ outcome: 'ignored', from: '2026-10-01', to: '2026-10-01', offset: '50' }, 'Europe/Paris');
    expect(errors).toEqual({});
    expect(query).toEqual({ outcome: 'ignored', from: '2026-10-01T00:00:00.000+02:00', to: '2026-10-02T00:00:00.000+02:00', limit: '50', offset: '50' });
  });

  it('names a date that is not one, an unknown outcome, and "to" before "from"', () => {
    expect(readDeliveryFilters({ from: '2026-02-30', outcome: 'x' }, 'UTC').errors).toEqual({ from: ['from must be a date such as 2026-11-02'], outcome: [expect.stringContaining('outcome must be one of')] });
    expect(readDeliveryFilters({ from: '2026-10-02', to: '2026-10-01' }, 'UTC').errors).toEqual({ to: ['to must not be before from'] });
  });
});

describe('the sample for each kind', () => {
  const now = new Date('2026-10-01T07:00:00Z');
  const adapters: Record<ConnectionKind, CrmAdapter> = {
    hubspot: hubspotAdapter,
    pipedrive: pipedriveAdapter,
    amocrm: amocrmAdapter,
    bitrix24: bitrix24Adapter,
    salesforce: salesforceAdapter,
    webhook: webhookAdapter,
  };
  const rules: Record<ConnectionKind, { on: { object: string; property: string; to: string | string[]; from?: string }; emit: string }> = {
    hubspot: { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'] }, emit: 'lead.contacted' },
    pipedrive: { on: { object: 'deal', property: 'status', to: 'won', from: 'open' }, emit: 'deal.won' },
    amocrm: { on: { object: 'lead', property: 'status_id', to: '142' }, emit: 'lead.won' },
    bitrix24: { on: { object: 'deal', property: 'STAGE_ID', to: 'WON' }, emit: 'deal.won' },
    salesforce: { on: { object: 'opportunity', property: 'StageName', to: 'Closed Won' }, emit: 'deal.won' },
    webhook: { on: { object: 'lead', property: 'x', to: 'y' }, emit: 'lead.handed_over' },
  };
  it.each(Object.keys(adapters) as ConnectionKind[])('%s: read by its adapter, and matched by the rule it was made for', (kind) => {
    const sample = sampleFor(kind, [rules[kind]], now, kind === 'salesforce' ? { organizationId: '00D5e000000KQ2eEAG' } : {});
    const parsed = adapters[kind].parse(
      { method: 'POST', url: 'https://concord.example.com/hooks/c-1', headers: { 'content-type': sample.contentType }, rawBody: Buffer.from(sample.body), contentType: sample.contentType, receivedAt: now },
      { secret: 'secret-secret-secret', settings: kind === 'salesforce' ? { organizationId: '00D5e000000KQ2eEAG' } : {} },
    );
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    if (kind === 'webhook') {
      expect(parsed.events).toEqual([expect.objectContaining({ type: 'lead.handed_over' })]);
      return;
    }
    const { events } = mapChanges(parsed.changes, { id: 'c-1', subjectPrefix: '', rules: [rules[kind]], attributes: {} }, new Map());
    // Bitrix24 carries ids only: its values come from the portal, which a test does not call.
    expect(events.map((event) => event.type)).toEqual(kind === 'bitrix24' ? [] : [rules[kind].emit]);
  });
});
