import type { CrmChange } from './adapters/crm-adapter.js';
import { checkAttributes, checkRules, eventKey, mapChanges, objectKey, type ConnectionRule, type ObjectStates } from './rules.js';

const CONNECTION_ID = '0190a2b4-1111-7000-8000-000000000001';
const RULES: ConnectionRule[] = [
  { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
  { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'] }, emit: 'lead.contacted' },
  { on: { object: 'deal', property: 'dealstage', to: 'closedwon', from: 'contractsent' }, emit: 'deal.won' },
];
const connection = { id: CONNECTION_ID, subjectPrefix: 'hs-', rules: RULES, attributes: { score: 'lead_temperature' } };

function change(key: string, object: string, objectId: string, at: string, changed: Record<string, string | null>, previous?: Record<string, string | null>): CrmChange {
  return { key, object, objectId, occurredAt: new Date(at), changed, ...(previous ? { previous } : {}) };
}

describe('connection rules', () => {
  it('names each faulty field like rules[1].on.property', () => {
    const errors = checkRules([RULES[0], { on: { object: 'contact', to: 5, extra: 1 }, emit: 'no spaces allowed' }, 'x']);
    expect(Object.keys(errors).sort()).toEqual(['rules[1].emit', 'rules[1].on.extra', 'rules[1].on.property', 'rules[1].on.to', 'rules[2]']);
    expect(checkRules(RULES)).toEqual({});
    expect(Object.keys(checkRules({}))).toEqual(['rules']);
    expect(Object.keys(checkAttributes({ score: 'lead_temperature', bad: 3 }))).toEqual(['attributes.bad']);
    expect(Object.keys(checkAttributes([]))).toEqual(['attributes']);
  });

  it('maps changes oldest first, so a score set just before the handover is its attribute', () => {
    const states: ObjectStates = new Map();
    const { events, updates } = mapChanges(
      [
        change('2', 'contact', '501', '2026-11-10T08:01:00Z', { hs_lead_status: 'NEW' }),
        change('3', 'contact', '501', '2026-11-10T08:30:00Z', { hs_lead_status: 'CONNECTED' }),
        change('1', 'contact', '501', '2026-11-10T08:00:00Z', { lead_temperature: 'hot' }),
      ],
      connection,
      states,
    );
    expect(events).toEqual([
      { type: 'lead.handed_over', subject: 'hs-501', occurredAt: '2026-11-10T08:01:00.000Z', key: eventKey(CONNECTION_ID, '2', 'lead.handed_over'), attributes: { score: 'hot' } },
      { type: 'lead.contacted', subject: 'hs-501', occurredAt: '2026-11-10T08:30:00.000Z', key: eventKey(CONNECTION_ID, '3', 'lead.contacted'), attributes: { score: 'hot' } },
    ]);
    expect(updates.map((u) => [u.property, u.value])).toEqual([
      ['lead_temperature', 'hot'],
      ['hs_lead_status', 'NEW'],
      ['hs_lead_status', 'CONNECTED'],
    ]);
    expect(states.get(objectKey('contact', '501'))?.hs_lead_status.value).toBe('CONNECTED');
  });

  it('keeps a newer value when an older change arrives later, and still emits the older change', () => {
    const states: ObjectStates = new Map([[objectKey('contact', '9'), { hs_lead_status: { value: 'CONNECTED', changedAt: Date.parse('2026-11-10T09:00:00Z') } }]]);
    const { events, updates } = mapChanges([change('7', 'contact', '9', '2026-11-10T08:00:00Z', { hs_lead_status: 'NEW' })], connection, states);
    expect(events.map((e) => e.type)).toEqual(['lead.handed_over']);
    expect(updates).toEqual([]);
    expect(states.get(objectKey('contact', '9'))?.hs_lead_status.value).toBe('CONNECTED');
  });

  it('matches `from` against the previous value the CRM gives, or else the last known one', () => {
    const states: ObjectStates = new Map();
    const won = (key: string, at: string, previous?: Record<string, string>) => change(key, 'deal', '77', at, { dealstage: 'closedwon' }, previous);
    expect(mapChanges([won('a', '2026-11-10T08:00:00Z', { dealstage: 'contractsent' })], connection, new Map()).events).toHaveLength(1);
    expect(mapChanges([won('b', '2026-11-10T08:00:00Z', { dealstage: 'appointmentscheduled' })], connection, new Map()).events).toHaveLength(0);
    // No previous value given: unknown, then learnt from an earlier change.
    expect(mapChanges([won('c', '2026-11-10T08:00:00Z')], connection, states).events).toHaveLength(0);
    const learnt = mapChanges([change('d', 'deal', '78', '2026-11-10T07:00:00Z', { dealstage: 'contractsent' }), { ...won('e', '2026-11-10T08:00:00Z'), objectId: '78' }], connection, new Map());
    expect(learnt.events.map((e) => e.type)).toEqual(['deal.won']);
  });

  it('compares values as text, ignores other objects, and emits one event per type of a change', () => {
    const rules: ConnectionRule[] = [...RULES, { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' }, { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.created' }];
    const { events } = mapChanges(
      [change('1', 'contact', '1', '2026-11-10T08:00:00Z', { hs_lead_status: 'NEW' }), change('2', 'company', '1', '2026-11-10T08:00:00Z', { hs_lead_status: 'NEW' }), change('3', 'contact', '2', '2026-11-10T08:00:00Z', { hs_lead_status: 'new' })],
      { ...connection, rules },
      new Map(),
    );
    expect(events.map((e) => [e.type, e.key])).toEqual([
      ['lead.handed_over', eventKey(CONNECTION_ID, '1', 'lead.handed_over')],
      ['lead.created', eventKey(CONNECTION_ID, '1', 'lead.created')],
    ]);
  });

  it('keeps keys within 200 characters', () => {
    expect(eventKey(CONNECTION_ID, 'x'.repeat(300), 'lead.handed_over').length).toBeLessThanOrEqual(200);
    expect(eventKey(CONNECTION_ID, '42', 'lead.handed_over')).toBe('0190a2b4-1111-7000-8000-000000000001:42:lead.handed_over');
  });

  it('keeps two connections made in the same minute apart (UUIDv7 ids share their first 8 digits)', () => {
    const other = '0190a2b4-2222-7000-8000-000000000002';
    // The same HubSpot event id, or Pipedrive event UUID, from two CRM accounts.
    expect(eventKey(other, '42', 'lead.handed_over')).not.toBe(eventKey(CONNECTION_ID, '42', 'lead.handed_over'));
    expect(eventKey(other, 'x'.repeat(300), 'lead.handed_over')).not.toBe(eventKey(CONNECTION_ID, 'x'.repeat(300), 'lead.handed_over'));
  });
});
