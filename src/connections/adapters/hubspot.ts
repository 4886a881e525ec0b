import { findInputProblem } from '../../common/hostile-input.js';
import type { CrmAdapter, CrmChange, IncomingDelivery, Parsed, Verification } from './crm-adapter.js';
import { hmacSha256, isFresh, sameSecret, timestampOf } from './signing.js';

/**
 * HubSpot app webhooks. Signature v3: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256, keyed
 * with the app's client secret, of method + the URL HubSpot was configured to call (with its
 * query) + raw body + `X-HubSpot-Request-Timestamp` (ms); older than 5 minutes is refused.
 *
 * The body is a JSON array of events. A `*.propertyChange` becomes a change of that property; a
 * `*.creation` becomes a change of the synthetic property `$created` to "true", and a
 * `*.deletion` of `$deleted` to "true" (HubSpot property names never start with `$`), so a rule
 * `{ "object": "contact", "property": "$created", "to": "true" }` reacts to new contacts.
 */

export const HUBSPOT_CREATED = '$created';
export const HUBSPOT_DELETED = '$deleted';

const MAX_EVENTS = 1000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^[\w-]{1,100}$/.test(value)) return value;
  return undefined;
}

function valueText(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value.length <= 1000 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export const hubspotAdapter: CrmAdapter = {
  kind: 'hubspot',

  verify(delivery: IncomingDelivery, secrets): Verification {
    const signature = delivery.headers['x-hubspot-signature-v3'];
    const timestampHeader = delivery.headers['x-hubspot-request-timestamp'];
    if (!signature) return { ok: false, reason: 'X-HubSpot-Signature-v3 is missing' };
    const timestamp = timestampOf(timestampHeader, 'ms');
    if (!isFresh(timestamp, delivery.receivedAt)) return { ok: false, reason: 'X-HubSpot-Request-Timestamp is missing or more than 5 minutes old' };
    const expected = hmacSha256(secrets.secret, [delivery.method.toUpperCase(), delivery.url, delivery.rawBody, String(timestampHeader).trim()]).toString('base64');
    return sameSecret(signature.trim(), expected) ? { ok: true } : { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  },

  parse(delivery: IncomingDelivery): Parsed {
    let body: unknown;
    try {
      body = JSON.parse(delivery.rawBody.toString('utf8'));
    } catch {
      return { ok: false, reason: 'the body is not JSON' };
    }
    if (!Array.isArray(body)) return { ok: false, reason: 'the body must be a JSON array of HubSpot events' };
    // NUL, lone surrogates, `__proto__` keys, deep nesting: what no database column may hold.
    const hostile = findInputProblem(body);
    if (hostile) return { ok: false, reason: `${hostile.path} ${hostile.message}` };
    if (body.length > MAX_EVENTS) return { ok: false, reason: `at most ${MAX_EVENTS} events per delivery` };
    const changes: CrmChange[] = [];
    for (const [index, item] of body.entries()) {
      const at = `[${index}]`;
      if (!isPlainObject(item)) return { ok: false, reason: `${at} must be an object` };
      const eventId = idText(item.eventId);
      if (eventId === undefined) return { ok: false, reason: `${at}.eventId must be a number` };
      const objectId = idText(item.objectId);
      if (objectId === undefined) return { ok: false, reason: `${at}.objectId must be a number` };
      if (typeof item.occurredAt !== 'number' || !Number.isSafeInteger(item.occurredAt) || item.occurredAt <= 0) {
        return { ok: false, reason: `${at}.occurredAt must be milliseconds since 1970` };
      }
      const type = typeof item.subscriptionType === 'string' ? /^([a-z_]{1,50})\.([A-Za-z_]{1,50})$/.exec(item.subscriptionType) : null;
      if (!type) return { ok: false, reason: `${at}.subscriptionType must read like "contact.propertyChange"` };
      const [, object, what] = type;
      let changed: Record<string, string | null>;
      if (what === 'propertyChange') {
        if (typeof item.propertyName !== 'string' || !/^[\w.-]{1,100}$/.test(item.propertyName)) {
          return { ok: false, reason: `${at}.propertyName must name a property` };
        }
        const value = valueText(item.propertyValue ?? null);
        if (value === undefined) return { ok: false, reason: `${at}.propertyValue must be a text of at most 1000 characters` };
        changed = { [item.propertyName]: value };
      } else if (what === 'creation') {
        changed = { [HUBSPOT_CREATED]: 'true' };
      } else if (what === 'deletion') {
        changed = { [HUBSPOT_DELETED]: 'true' };
      } else {
        // Merges, associations, restores…: heard, and nothing to map.
        changed = {};
      }
      changes.push({ key: eventId, object, objectId, occurredAt: new Date(item.occurredAt), changed });
    }
    return { ok: true, changes };
  },
};
