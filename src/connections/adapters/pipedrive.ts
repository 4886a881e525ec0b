import type { ConnectionSecrets, CrmAdapter, CrmChange, IncomingDelivery, Parsed, Verification } from './crm-adapter.js';
import { findInputProblem } from '../../common/hostile-input.js';
import { bodyText, contentHash, emptyRecord, isPlainObject, secretsEqual, timeFrom, valueText } from './adapter-values.js';

/**
 * Pipedrive webhooks v2 (checked against Pipedrive's "Guide for Webhooks v2" and "Webhooks v2
 * migration guide", pipedrive.readme.io):
 *   { meta: { action: "create" | "change" | "delete", entity: "deal" | "lead" | "person" | …, entity_id,
 *             id (the event's id), timestamp, version: "2.0", attempt, company_id, user_id, … },
 *     data: { …current values, custom_fields: { <hash>: {type, value | id} } } | null,
 *     previous: { …old values of the changed fields only } | null }
 * The guide documents `timestamp` as a "10 character timestamp" (unix seconds); an ISO text or
 * milliseconds are read as well. v1 payloads (`current`, `meta.object`, `retry`) are refused with
 * a reason, since they carry no `previous` for changed fields only.
 *
 * Pipedrive cannot sign: the webhook is created with an HTTP Basic user and password
 * (`http_auth_user`, `http_auth_password`), sent on every call. The password is the connection's
 * secret; the user is free unless the connection's settings name one (`settings.user`).
 *
 * Mapping, decided here:
 * - change: `changed` = the fields named in `previous`, with their new values from `data`; `previous`
 *   = their old values; `known` = every other field of `data`.
 * - create: every field of `data` is `changed` (from nothing), so a rule `to: "open"` fires on a
 *   deal created open; no `previous`.
 * - delete: no change (the delivery is ignored).
 * Values are text; nested objects are left out, except `custom_fields`, flattened one level as
 * `custom_fields.<key>` with the field's `value` (or option `id`), so `attributes` can name them.
 */

const MAX_FIELDS = 500;

export const PIPEDRIVE_DEFAULT_USER = 'concord';

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The fields of `data` or `previous` as text, custom fields flattened one level. */
function flatten(record: Record<string, unknown>): Record<string, string | null> {
  const out = emptyRecord<string | null>();
  let count = 0;
  for (const [name, value] of Object.entries(record)) {
    if (++count > MAX_FIELDS) break;
    if (name === 'custom_fields' && isPlainObject(value)) {
      for (const [customKey, custom] of Object.entries(value)) {
        const text = isPlainObject(custom) ? valueText('value' in custom ? custom.value : custom.id) : valueText(custom);
        if (text !== undefined) out[`custom_fields.${customKey}`] = text;
      }
      continue;
    }
    const text = valueText(value);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

export const pipedriveAdapter: CrmAdapter = {
  kind: 'pipedrive',

  verify(delivery: IncomingDelivery, secrets: ConnectionSecrets): Verification {
    const credentials = basicCredentials(delivery.headers['authorization']);
    if (!credentials) return { ok: false, reason: 'missing or malformed HTTP Basic Authorization header' };
    const passwordOk = secretsEqual(credentials.password, secrets.secret);
    const expectedUser = secrets.settings['user'];
    const userOk = expectedUser ? secretsEqual(credentials.user, expectedUser) : true;
    return passwordOk && userOk ? { ok: true } : { ok: false, reason: 'wrong HTTP Basic user or password' };
  },

  parse(delivery: IncomingDelivery): Parsed {
    const body = bodyText(delivery.rawBody);
    if (!body.ok) return body;
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return { ok: false, reason: 'body is not valid JSON' };
    }
    const problem = findInputProblem(json);
    if (problem) return { ok: false, reason: `${problem.path} ${problem.message}` };
    if (!isPlainObject(json)) return { ok: false, reason: 'body must be a JSON object with meta, data and previous' };
    const meta = json.meta;
    if (!isPlainObject(meta)) return { ok: false, reason: 'meta is missing (expected a Pipedrive webhooks v2 payload)' };
    if ('current' in json || meta.v === 1) {
      return { ok: false, reason: 'this is a Pipedrive webhooks v1 payload: create the webhook with version "2.0"' };
    }
    if (meta.version !== undefined && String(meta.version) !== '2.0') return { ok: false, reason: `meta.version ${JSON.stringify(meta.version)} is not "2.0"` };
    const action = meta.action;
    if (action !== 'create' && action !== 'change' && action !== 'delete') {
      return { ok: false, reason: 'meta.action must be "create", "change" or "delete"' };
    }
    if (typeof meta.entity !== 'string' || !/^[a-z_]{1,40}$/.test(meta.entity)) return { ok: false, reason: 'meta.entity is missing or not an object type' };
    const objectId = valueText(meta.entity_id);
    if (objectId === undefined || objectId === null || objectId === '') return { ok: false, reason: 'meta.entity_id is missing' };
    const occurredAt = timeFrom(meta.timestamp);
    if (!occurredAt) return { ok: false, reason: 'meta.timestamp is missing or not a time' };
    if (action === 'delete') return { ok: true, changes: [] };

    if (!isPlainObject(json.data)) return { ok: false, reason: `data must be an object for a ${action} event` };
    const data = flatten(json.data);
    const old = isPlainObject(json.previous) ? flatten(json.previous) : emptyRecord<string | null>();
    const changed = emptyRecord<string | null>();
    const previous = emptyRecord<string | null>();
    const known = emptyRecord<string | null>();
    for (const [name, value] of Object.entries(data)) {
      if (action === 'create' || name in old) changed[name] = value;
      else known[name] = value;
    }
    for (const [name, value] of Object.entries(old)) {
      if (action === 'change') {
        previous[name] = value;
        // A field cleared to nothing may be absent from `data`: it changed to null.
        if (!(name in changed)) changed[name] = null;
      }
    }
    const eventId = valueText(meta.id);
    const key = eventId
      ? eventId
      : `pipedrive:${contentHash([meta.entity, objectId, occurredAt.toISOString(), ...Object.keys(changed).sort().map((name) => `${name}=${changed[name]}`)])}`;
    const change: CrmChange = {
      key,
      object: meta.entity,
      objectId,
      occurredAt,
      changed,
      ...(action === 'change' ? { previous } : {}),
      known,
    };
    return { ok: true, changes: [change] };
  },
};
