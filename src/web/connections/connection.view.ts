import type { ConnectionKind } from '../../connections/adapters/crm-adapter.js';
import type { ConnectionTestView, ConnectionView, DeliverySummary, DeliveryView, EventTypeView } from '../../connections/connections.dto.js';
import type { DeliveryOutcome } from '../../connections/connection.entity.js';
import type { ConnectionRule } from '../../connections/rules.js';
import type { FieldErrors } from '../../common/errors.js';
import { formatInstant } from '../../common/instant-format.js';
import type { Directory } from '../directory.js';
import { formProblemOf, type Option } from '../admin/admin-forms.js';
import { DELIVERY_PAGE_SIZE, errorsForForm, withBlankRows, type ConnectionFormValues, type TestFormValues } from './connection-form.js';
import type { Sample } from './connection-samples.js';

/** What the connection pages show: the list, the form, a connection with its rules in words and its test, the delivery log. */

export const KIND_LABELS: Record<ConnectionKind, string> = {
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  amocrm: 'amoCRM',
  bitrix24: 'Bitrix24',
  salesforce: 'Salesforce',
  webhook: 'Signed webhook',
};

/** Each CRM's words for its objects' properties (the API names beside them), where they differ from the name. */
const PROPERTY_LABELS: Record<ConnectionKind, Record<string, string>> = {
  hubspot: {
    hs_lead_status: 'Lead status',
    lifecyclestage: 'Lifecycle stage',
    dealstage: 'Deal stage',
    pipeline: 'Pipeline',
    hubspot_owner_id: 'Contact owner',
    hs_analytics_source: 'Original source',
  },
  pipedrive: { stage_id: 'Stage', status: 'Status', owner_id: 'Owner', pipeline_id: 'Pipeline', label: 'Label', lost_reason: 'Lost reason' },
  amocrm: { status_id: 'Status', pipeline_id: 'Pipeline', responsible_user_id: 'Responsible user', price: 'Budget' },
  bitrix24: { STATUS_ID: 'Status', STAGE_ID: 'Stage', ASSIGNED_BY_ID: 'Responsible', SOURCE_ID: 'Source' },
  salesforce: { Status: 'Status', StageName: 'Stage', IsWon: 'Won', IsClosed: 'Closed', OwnerId: 'Owner', LeadSource: 'Lead source', Rating: 'Rating' },
  webhook: {},
};

/** Values a CRM fixes for every account, named as that CRM shows them. */
const VALUE_LABELS: Partial<Record<ConnectionKind, Record<string, Record<string, string>>>> = {
  amocrm: { status_id: { '142': 'won', '143': 'lost' } },
  bitrix24: { STAGE_ID: { WON: 'won', LOSE: 'lost' }, STATUS_ID: { CONVERTED: 'converted', JUNK: 'junk' } },
};

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

function valueWords(kind: ConnectionKind, property: string, value: string | string[]): string {
  const labels = VALUE_LABELS[kind]?.[property] ?? {};
  const one = (item: string) => (labels[item] ? `${item} (${labels[item]})` : item);
  const items = Array.isArray(value) ? value : [value];
  if (items.length <= 1) return one(items[0] ?? '');
  return `${items.slice(0, -1).map(one).join(', ')} or ${one(items[items.length - 1])}`;
}

/**
 * A rule in plain words, in the CRM's vocabulary:
 * "When a HubSpot contact's Lead status (hs_lead_status) becomes CONNECTED or IN_PROGRESS → lead.contacted".
 */
export function ruleInWords(kind: ConnectionKind, rule: ConnectionRule): string {
  const crm = KIND_LABELS[kind];
  const { object, property, to, from } = rule.on;
  const who = `${article(crm)} ${crm} ${object}`;
  if (kind === 'hubspot' && (property === '$created' || property === '$deleted')) {
    return `When ${who} is ${property === '$created' ? 'created' : 'deleted'} → ${rule.emit}`;
  }
  const label = PROPERTY_LABELS[kind][property];
  const named = label ? `${label} (${property})` : property;
  const change = from !== undefined ? `changes from ${valueWords(kind, property, from)} to ${valueWords(kind, property, to)}` : `becomes ${valueWords(kind, property, to)}`;
  return `When ${who}'s ${named} ${change} → ${rule.emit}`;
}

const OUTCOME_BADGE: Record<DeliveryOutcome, string> = { accepted: 'good', ignored: '', pending: 'warn', rejected: 'bad', failed: 'bad' };

/** How much of a payload the log shows on one line. */
export const PAYLOAD_PREVIEW = 160;

export function truncate(text: string, length = PAYLOAD_PREVIEW): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

function outcomeOf(outcome: DeliveryOutcome) {
  return { name: outcome, badge: OUTCOME_BADGE[outcome] };
}

export function kindOptions(): Option[] {
  return (Object.keys(KIND_LABELS) as ConnectionKind[]).map((kind) => ({ value: kind, label: KIND_LABELS[kind] }));
}

/** The list: each connection with its URL to copy, its newest delivery and how many came, by outcome. */
export function presentList(input: { connections: ConnectionView[]; summaries: Map<string, DeliverySummary>; directory: Directory; zone: string }) {
  return {
    total: input.connections.length,
    connections: input.connections.map((connection) => {
      const summary = input.summaries.get(connection.id) ?? { total: 0, byOutcome: {}, last: null };
      return {
        id: connection.id,
        name: connection.name,
        kind: KIND_LABELS[connection.kind],
        webhookUrl: connection.webhookUrl,
        department: connection.departmentId ? input.directory.departmentName(connection.departmentId, 'a former department') : null,
        rules: connection.rules.length,
        last: summary.last ? { at: formatInstant(summary.last.receivedAt, input.zone), outcome: outcomeOf(summary.last.outcome) } : null,
        deliveries: summary.total,
        counts: (['accepted', 'ignored', 'rejected', 'failed', 'pending'] as const).flatMap((outcome) =>
          summary.byOutcome[outcome] ? [{ outcome: outcomeOf(outcome), count: summary.byOutcome[outcome] }] : [],
        ),
      };
    }),
  };
}

export function formTitle(connection: Pick<ConnectionView, 'name'> | null): string {
  return connection ? `Edit connection “${connection.name}”` : 'New connection';
}

/** Settings each kind reads, offered as hints on the form. */
const SETTINGS_HINT: Record<ConnectionKind, string> = {
  hubspot: 'None needed.',
  pipedrive: 'Optional: user (the Basic user name Pipedrive sends).',
  amocrm: 'None needed.',
  bitrix24: "restUrl: the portal's inbound REST webhook URL, e.g. https://acme.bitrix24.com/rest/1/abc123/.",
  salesforce: 'organizationId: your org id (Setup → Company Information).',
  webhook: 'None needed.',
};

const SECRET_HINT: Record<ConnectionKind, string> = {
  hubspot: "The app's client secret (required).",
  pipedrive: 'The Basic password you give Pipedrive (required).',
  amocrm: 'Leave empty: one is generated, shown once, and ends the URL.',
  bitrix24: "The portal's application token (required).",
  salesforce: 'Leave empty: one is generated, shown once, and ends the URL.',
  webhook: 'Leave empty to have one generated and shown once; your sender signs with it.',
};

/** The create or edit form, with event types to pick from and the errors under their fields. */
export function presentForm(input: {
  connection: ConnectionView | null;
  values: ConnectionFormValues;
  errors: FieldErrors | null;
  eventTypes: Pick<EventTypeView, 'type' | 'count'>[];
  admin: boolean;
  directory: Directory;
}) {
  const { connection, values, admin } = input;
  const errors = errorsForForm(input.errors, values);
  // A secret typed is never written back into the page: after a refusal it is typed again.
  const shown = { ...withBlankRows(values), secret: '' };
  const kind = (connection?.kind ?? values.kind) as ConnectionKind;
  return {
    connection: connection ? { id: connection.id, name: connection.name, kind: KIND_LABELS[connection.kind] } : null,
    action: connection ? `/connections/${connection.id}` : '/connections',
    values: shown,
    errors,
    formProblem: formProblemOf(errors),
    kindOptions: kindOptions(),
    secretHint: connection ? 'Leave empty to keep the current secret.' : (SECRET_HINT[kind] ?? SECRET_HINT.hubspot),
    settingsHint: Object.entries(SETTINGS_HINT).map(([name, hint]) => `${KIND_LABELS[name as ConnectionKind]}: ${hint}`),
    departmentOptions: admin ? [{ value: '', label: 'No department (admins only)' }, ...input.directory.departments.map((d) => ({ value: d.id, label: d.name }))] : null,
    eventTypes: input.eventTypes.map((type) => ({ type: type.type, label: type.count > 0 ? `${type.type} (${type.count} seen)` : `${type.type} (never seen)` })),
    // Labels end with the row's number: the page's script numbers on the rows it adds.
    ruleRows: shown.rules.map((_, index) => {
      const at = `rules[${index}]`;
      const n = index + 1;
      return {
        object: { path: `${at}.on.object`, label: `Object, rule ${n}` },
        property: { path: `${at}.on.property`, label: `Property, rule ${n}` },
        to: { path: `${at}.on.to`, label: `Becomes, rule ${n}` },
        from: { path: `${at}.on.from`, label: `From, rule ${n}` },
        emit: { path: `${at}.emit`, label: `Emits, rule ${n}` },
      };
    }),
    attributeRows: shown.attributes.map((_, index) => ({
      name: { path: `attributes[${index}].name`, label: `Event attribute, row ${index + 1}` },
      value: { path: `attributes[${index}].value`, label: `CRM property, row ${index + 1}` },
    })),
    settingRows: shown.settings.map((_, index) => ({
      name: { path: `settings[${index}].name`, label: `Setting, row ${index + 1}` },
      value: { path: `settings[${index}].value`, label: `Value, row ${index + 1}` },
    })),
  };
}

/** A test run as the page shows it: the events, or why none came. */
export function presentTest(result: ConnectionTestView, zone: string) {
  return {
    ok: result.ok,
    reason: result.reason,
    changes: result.changes,
    notes: result.notes,
    events: result.events.map((event) => ({
      type: event.type,
      subject: event.subject,
      occurredAt: event.occurredAt && !Number.isNaN(Date.parse(event.occurredAt)) ? formatInstant(event.occurredAt, zone) : event.occurredAt,
      key: event.key,
      attributes: Object.entries(event.attributes).map(([name, value]) => ({ name, value: value ?? '(empty)' })),
    })),
  };
}

/** A connection: its URL to copy, its rules in words, the secret shown once after creation, and the test form. */
export function presentDetail(input: {
  connection: ConnectionView;
  directory: Directory;
  summary: DeliverySummary;
  zone: string;
  sample: Sample;
  test: { values: TestFormValues; result: ConnectionTestView | null; errors: FieldErrors | null } | null;
  /** Right after creation: the generated secret and the URL with it, this once. */
  created: { secret: string | null; webhookUrl: string; warnings: string[] } | null;
  warnings?: string[];
  /** The event types the rules emit that were never received: each such rule says so. */
  unseenTypes?: string[];
}) {
  const { connection, zone } = input;
  const unseen = new Set(input.unseenTypes ?? []);
  const testValues = input.test?.values.body ? input.test.values : { body: input.sample.body, contentType: input.sample.contentType };
  return {
    connection: {
      id: connection.id,
      name: connection.name,
      kind: KIND_LABELS[connection.kind],
      department: connection.departmentId ? input.directory.departmentName(connection.departmentId, 'a former department') : null,
      webhookUrl: input.created?.webhookUrl ?? connection.webhookUrl,
      secretInUrl: connection.webhookUrl.endsWith('/<secret>'),
      subjectPrefix: connection.subjectPrefix,
      rules: connection.rules.map((rule) => ({ words: ruleInWords(connection.kind, rule), unseen: unseen.has(rule.emit) })),
      attributes: Object.entries(connection.attributes).map(([name, property]) => ({ name, property })),
      settings: Object.entries(connection.settings).map(([name, value]) => ({ name, value })),
      updatedAt: formatInstant(connection.updatedAt, zone),
    },
    created: input.created,
    warnings: input.created?.warnings ?? input.warnings ?? [],
    deliveries: input.summary.total,
    last: input.summary.last ? { at: formatInstant(input.summary.last.receivedAt, zone), outcome: outcomeOf(input.summary.last.outcome) } : null,
    test: {
      values: testValues,
      errors: input.test?.errors ?? null,
      contentTypeOptions: [
        { value: 'application/json', label: 'JSON' },
        { value: 'application/x-www-form-urlencoded', label: 'Form (amoCRM, Bitrix24)' },
        { value: 'text/xml', label: 'XML (Salesforce)' },
      ],
      result: input.test?.result ? presentTest(input.test.result, zone) : null,
    },
  };
}

/** The delivery log with its filters: newest first, each payload cut to a line. */
export function presentDeliveries(input: {
  connection: ConnectionView;
  page: { items: DeliveryView[]; total: number };
  values: { outcome: string; from: string; to: string };
  errors: FieldErrors | null;
  offset: number;
  zone: string;
}) {
  const { connection, page, offset, values } = input;
  const errors = input.errors && Object.keys(input.errors).length > 0 ? input.errors : null;
  const link = (at: number) => {
    const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')), ...(at > 0 ? { offset: String(at) } : {}) });
    const search = query.toString();
    return `/connections/${connection.id}/deliveries${search ? `?${search}` : ''}`;
  };
  return {
    connection: { id: connection.id, name: connection.name, kind: KIND_LABELS[connection.kind] },
    values,
    errors,
    outcomeOptions: [{ value: '', label: 'Any outcome' }, ...(['accepted', 'ignored', 'rejected', 'failed', 'pending'] as const).map((outcome) => ({ value: outcome, label: outcome }))],
    total: page.total,
    zone: input.zone,
    dayHint: `A day in ${input.zone}.`,
    deliveries: page.items.map((delivery) => ({
      id: delivery.id,
      receivedAt: formatInstant(delivery.receivedAt, input.zone),
      outcome: outcomeOf(delivery.outcome),
      reason: delivery.reason,
      events: delivery.eventIds.length,
      payload: truncate(delivery.bodyEncoding === 'base64' ? `(binary, base64) ${delivery.body}` : delivery.body),
    })),
    previous: offset > 0 ? link(Math.max(0, offset - DELIVERY_PAGE_SIZE)) : null,
    next: offset + DELIVERY_PAGE_SIZE < page.total ? link(offset + DELIVERY_PAGE_SIZE) : null,
    range: page.items.length > 0 ? `${offset + 1}–${offset + page.items.length} of ${page.total}` : null,
  };
}

/** One delivery in full: its headers, the events it produced, the whole payload. */
export function presentDelivery(input: { connection: ConnectionView; delivery: DeliveryView; zone: string }) {
  const { connection, delivery, zone } = input;
  return {
    connection: { id: connection.id, name: connection.name },
    delivery: {
      id: delivery.id,
      receivedAt: formatInstant(delivery.receivedAt, zone),
      processedAt: delivery.processedAt ? formatInstant(delivery.processedAt, zone) : null,
      outcome: outcomeOf(delivery.outcome),
      reason: delivery.reason,
      method: delivery.method,
      url: delivery.url,
      headers: Object.entries(delivery.headers).map(([name, value]) => ({ name, value })),
      eventIds: delivery.eventIds,
      body: delivery.body,
      binary: delivery.bodyEncoding === 'base64',
    },
  };
}

export function deliveryTitle(connection: Pick<ConnectionView, 'name'>): string {
  return `Deliveries to “${connection.name}”`;
}
