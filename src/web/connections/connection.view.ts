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
import { inEnglish, type Say } from '../say.js';

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

function valueWords(kind: ConnectionKind, property: string, value: string | string[], say: Say): string {
  const labels = VALUE_LABELS[kind]?.[property] ?? {};
  const one = (item: string) => (labels[item] ? `${item} (${labels[item]})` : item);
  const items = Array.isArray(value) ? value : [value];
  if (items.length <= 1) return one(items[0] ?? '');
  return say('connections.rule.or', { first: items.slice(0, -1).map(one).join(', '), last: one(items[items.length - 1]) });
}

/**
 * A rule in plain words, in the CRM's vocabulary:
 * "When a HubSpot contact's Lead status (hs_lead_status) becomes CONNECTED or IN_PROGRESS → lead.contacted".
 */
export function ruleInWords(kind: ConnectionKind, rule: ConnectionRule, say: Say = inEnglish): string {
  const crm = kindLabel(kind, say);
  const { object, property, to, from } = rule.on;
  // The CRM's own words (its object and property names) stay as the CRM shows them; the sentence around them is the reader's.
  const who = { crm, object, vowel: /^[aeiou]/i.test(crm) ? 'yes' : 'no' };
  if (kind === 'hubspot' && (property === '$created' || property === '$deleted')) {
    return say(property === '$created' ? 'connections.rule.created' : 'connections.rule.deleted', { ...who, emit: rule.emit });
  }
  const label = PROPERTY_LABELS[kind][property];
  const named = label ? `${label} (${property})` : property;
  const values = { ...who, property: named, to: valueWords(kind, property, to, say), emit: rule.emit };
  return from !== undefined ? say('connections.rule.changes', { ...values, from: valueWords(kind, property, from, say) }) : say('connections.rule.becomes', values);
}

/** A kind as people name it: the CRM's brand, or "Signed webhook" in the reader's language. */
export function kindLabel(kind: ConnectionKind, say: Say = inEnglish): string {
  return kind === 'webhook' ? say('connections.kind.webhook') : KIND_LABELS[kind];
}

const OUTCOME_BADGE: Record<DeliveryOutcome, string> = { accepted: 'good', ignored: '', pending: 'warn', rejected: 'bad', failed: 'bad' };

/** How much of a payload the log shows on one line. */
export const PAYLOAD_PREVIEW = 160;

export function truncate(text: string, length = PAYLOAD_PREVIEW): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

function outcomeOf(outcome: DeliveryOutcome, say: Say = inEnglish) {
  return { name: say(`connections.outcome.${outcome}`), badge: OUTCOME_BADGE[outcome] };
}

export function kindOptions(say: Say = inEnglish): Option[] {
  return (Object.keys(KIND_LABELS) as ConnectionKind[]).map((kind) => ({ value: kind, label: kindLabel(kind, say) }));
}

/** The list: each connection with its URL to copy, its newest delivery and how many came, by outcome. */
export function presentList(input: { connections: ConnectionView[]; summaries: Map<string, DeliverySummary>; directory: Directory; zone: string; say?: Say }) {
  const say = input.say ?? inEnglish;
  return {
    total: input.connections.length,
    zone: input.zone,
    connections: input.connections.map((connection) => {
      const summary = input.summaries.get(connection.id) ?? { total: 0, byOutcome: {}, last: null };
      return {
        id: connection.id,
        name: connection.name,
        kind: kindLabel(connection.kind, say),
        webhookUrl: connection.webhookUrl,
        department: connection.departmentId ? input.directory.departmentName(connection.departmentId, say('connections.formerDepartment')) : null,
        rules: connection.rules.length,
        last: summary.last ? { at: formatInstant(summary.last.receivedAt, input.zone), instant: summary.last.receivedAt, outcome: outcomeOf(summary.last.outcome, say) } : null,
        deliveries: summary.total,
        counts: (['accepted', 'ignored', 'rejected', 'failed', 'pending'] as const).flatMap((outcome) =>
          summary.byOutcome[outcome] ? [{ outcome: outcomeOf(outcome, say), count: summary.byOutcome[outcome] }] : [],
        ),
      };
    }),
  };
}

export function formTitle(connection: Pick<ConnectionView, 'name'> | null, say: Say = inEnglish): string {
  return connection ? say('connections.form.editTitle', { name: connection.name }) : say('connections.form.newTitle');
}

/** Settings each kind reads, offered as hints on the form (keys of connections.settingsHint.*). */
const SETTINGS_HINT: Record<ConnectionKind, string> = {
  hubspot: 'connections.settingsHint.none',
  pipedrive: 'connections.settingsHint.pipedrive',
  amocrm: 'connections.settingsHint.none',
  bitrix24: 'connections.settingsHint.bitrix24',
  salesforce: 'connections.settingsHint.salesforce',
  webhook: 'connections.settingsHint.none',
};

/** Keys of connections.secretHint.*. */
const SECRET_HINT: Record<ConnectionKind, string> = {
  hubspot: 'connections.secretHint.hubspot',
  pipedrive: 'connections.secretHint.pipedrive',
  amocrm: 'connections.secretHint.generated',
  bitrix24: 'connections.secretHint.bitrix24',
  salesforce: 'connections.secretHint.generated',
  webhook: 'connections.secretHint.webhook',
};

/** The create or edit form, with event types to pick from and the errors under their fields. */
export function presentForm(input: {
  connection: ConnectionView | null;
  values: ConnectionFormValues;
  errors: FieldErrors | null;
  eventTypes: Pick<EventTypeView, 'type' | 'count'>[];
  admin: boolean;
  directory: Directory;
  say?: Say;
}) {
  const { connection, values, admin } = input;
  const say = input.say ?? inEnglish;
  const errors = errorsForForm(input.errors, values);
  // A secret typed is never written back into the page: after a refusal it is typed again.
  const shown = { ...withBlankRows(values), secret: '' };
  const kind = (connection?.kind ?? values.kind) as ConnectionKind;
  return {
    connection: connection ? { id: connection.id, name: connection.name, kind: kindLabel(connection.kind, say) } : null,
    action: connection ? `/connections/${connection.id}` : '/connections',
    values: shown,
    errors,
    formProblem: formProblemOf(errors),
    kindOptions: kindOptions(say),
    secretHint: say(connection ? 'connections.secretHint.keep' : (SECRET_HINT[kind] ?? SECRET_HINT.hubspot)),
    settingsHint: Object.entries(SETTINGS_HINT).map(([name, hint]) => say('connections.settingsHint.line', { kind: kindLabel(name as ConnectionKind, say), hint: say(hint) })),
    departmentOptions: admin ? [{ value: '', label: say('connections.form.noDepartment') }, ...input.directory.departments.map((d) => ({ value: d.id, label: d.name }))] : null,
    eventTypes: input.eventTypes.map((type) => ({ type: type.type, label: type.count > 0 ? say('connections.form.typeSeen', { type: type.type, count: type.count }) : say('connections.form.typeNeverSeen', { type: type.type }) })),
    // Labels end with the row's number: the page's script numbers on the rows it adds.
    ruleRows: shown.rules.map((_, index) => {
      const at = `rules[${index}]`;
      const n = index + 1;
      return {
        object: { path: `${at}.on.object`, label: say('connections.form.ruleObject', { n }) },
        property: { path: `${at}.on.property`, label: say('connections.form.ruleProperty', { n }) },
        to: { path: `${at}.on.to`, label: say('connections.form.ruleTo', { n }) },
        from: { path: `${at}.on.from`, label: say('connections.form.ruleFrom', { n }) },
        emit: { path: `${at}.emit`, label: say('connections.form.ruleEmit', { n }) },
      };
    }),
    attributeRows: shown.attributes.map((_, index) => ({
      name: { path: `attributes[${index}].name`, label: say('connections.form.attributeName', { n: index + 1 }) },
      value: { path: `attributes[${index}].value`, label: say('connections.form.attributeValue', { n: index + 1 }) },
    })),
    settingRows: shown.settings.map((_, index) => ({
      name: { path: `settings[${index}].name`, label: say('connections.form.settingName', { n: index + 1 }) },
      value: { path: `settings[${index}].value`, label: say('connections.form.settingValue', { n: index + 1 }) },
    })),
  };
}

/** A test run as the page shows it: the events, or why none came. */
export function presentTest(result: ConnectionTestView, zone: string, say: Say = inEnglish) {
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
      attributes: Object.entries(event.attributes).map(([name, value]) => ({ name, value: value ?? say('connections.test.empty') })),
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
  say?: Say;
}) {
  const { connection, zone } = input;
  const say = input.say ?? inEnglish;
  const unseen = new Set(input.unseenTypes ?? []);
  const testValues = input.test?.values.body ? input.test.values : { body: input.sample.body, contentType: input.sample.contentType };
  return {
    connection: {
      id: connection.id,
      name: connection.name,
      kind: kindLabel(connection.kind, say),
      department: connection.departmentId ? input.directory.departmentName(connection.departmentId, say('connections.formerDepartment')) : null,
      webhookUrl: input.created?.webhookUrl ?? connection.webhookUrl,
      secretInUrl: connection.webhookUrl.endsWith('/<secret>'),
      subjectPrefix: connection.subjectPrefix,
      rules: connection.rules.map((rule) => ({ words: ruleInWords(connection.kind, rule, say), unseen: unseen.has(rule.emit) })),
      attributes: Object.entries(connection.attributes).map(([name, property]) => ({ name, property })),
      settings: Object.entries(connection.settings).map(([name, value]) => ({ name, value })),
      updatedAt: formatInstant(connection.updatedAt, zone),
      updatedInstant: connection.updatedAt,
    },
    zone,
    created: input.created,
    warnings: input.created?.warnings ?? input.warnings ?? [],
    deliveries: input.summary.total,
    last: input.summary.last ? { at: formatInstant(input.summary.last.receivedAt, zone), instant: input.summary.last.receivedAt, outcome: outcomeOf(input.summary.last.outcome, say) } : null,
    test: {
      values: testValues,
      errors: input.test?.errors ?? null,
      contentTypeOptions: [
        { value: 'application/json', label: 'JSON' },
        { value: 'application/x-www-form-urlencoded', label: say('connections.test.formFormat') },
        { value: 'text/xml', label: 'XML (Salesforce)' },
      ],
      result: input.test?.result ? presentTest(input.test.result, zone, say) : null,
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
  say?: Say;
}) {
  const { connection, page, offset, values } = input;
  const say = input.say ?? inEnglish;
  const errors = input.errors && Object.keys(input.errors).length > 0 ? input.errors : null;
  const link = (at: number) => {
    const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')), ...(at > 0 ? { offset: String(at) } : {}) });
    const search = query.toString();
    return `/connections/${connection.id}/deliveries${search ? `?${search}` : ''}`;
  };
  return {
    connection: { id: connection.id, name: connection.name, kind: kindLabel(connection.kind, say) },
    values,
    errors,
    outcomeOptions: [{ value: '', label: say('connections.deliveries.anyOutcome') }, ...(['accepted', 'ignored', 'rejected', 'failed', 'pending'] as const).map((outcome) => ({ value: outcome, label: say(`connections.outcome.${outcome}`) }))],
    total: page.total,
    zone: input.zone,
    dayHint: say('connections.deliveries.dayHint', { zone: input.zone }),
    deliveries: page.items.map((delivery) => ({
      id: delivery.id,
      receivedAt: formatInstant(delivery.receivedAt, input.zone),
      receivedInstant: delivery.receivedAt,
      outcome: outcomeOf(delivery.outcome, say),
      reason: delivery.reason,
      events: delivery.eventIds.length,
      payload: truncate(delivery.bodyEncoding === 'base64' ? `${say('connections.deliveries.binary')} ${delivery.body}` : delivery.body),
    })),
    previous: offset > 0 ? link(Math.max(0, offset - DELIVERY_PAGE_SIZE)) : null,
    next: offset + DELIVERY_PAGE_SIZE < page.total ? link(offset + DELIVERY_PAGE_SIZE) : null,
    range: page.items.length > 0 ? say('connections.deliveries.range', { first: offset + 1, last: offset + page.items.length, total: page.total }) : null,
  };
}

/** One delivery in full: its headers, the events it produced, the whole payload. */
export function presentDelivery(input: { connection: ConnectionView; delivery: DeliveryView; zone: string; say?: Say }) {
  const { connection, delivery, zone } = input;
  const say = input.say ?? inEnglish;
  return {
    zone,
    connection: { id: connection.id, name: connection.name },
    delivery: {
      id: delivery.id,
      receivedAt: formatInstant(delivery.receivedAt, zone),
      receivedInstant: delivery.receivedAt,
      processedAt: delivery.processedAt ? formatInstant(delivery.processedAt, zone) : null,
      processedInstant: delivery.processedAt,
      outcome: outcomeOf(delivery.outcome, say),
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

export function deliveryTitle(connection: Pick<ConnectionView, 'name'>, say: Say = inEnglish): string {
  return say('connections.deliveries.title', { name: connection.name });
}
