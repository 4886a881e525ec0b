import type { ConnectionSecrets, CrmAdapter, CrmChange, IncomingDelivery, Parsed, ResolveOptions, Verification } from './crm-adapter.js';
import { bodyText, emptyRecord, isPlainObject, secretsEqual, timeFrom, valueText } from './adapter-values.js';
import { field, parsePhpForm } from './php-form.js';

/**
 * Bitrix24 outbound webhooks (Developer resources → Other → Outbound webhook), checked against
 * Bitrix24's REST documentation (apidocs.bitrix24.com: "Event Handler", onCrmLeadUpdate,
 * onCrmDealUpdate; dev.1c-bitrix.ru rest_help crm/leads/events_leads): a form POST
 *   event=ONCRMLEADUPDATE&event_handler_id=…&data[FIELDS][ID]=123&ts=<unix seconds>
 *   &auth[domain]=acme.bitrix24.com&auth[member_id]=…&auth[application_token]=…
 * carrying the object's id only. `auth[application_token]` is the token Bitrix24 shows for that
 * outbound webhook: the connection's secret, compared in constant time.
 * Events read: ONCRMLEADADD, ONCRMLEADUPDATE, ONCRMDEALADD, ONCRMDEALUPDATE (others are ignored).
 *
 * The new values are read back in resolve() through the portal's inbound REST webhook
 * (settings.restUrl, e.g. https://acme.bitrix24.com/rest/1/abc123/): crm.lead.get → STATUS_ID,
 * crm.deal.get → STAGE_ID (documented on apidocs.bitrix24.com crm.lead.get / crm.deal.get), both as
 * `{ result: { ID, STATUS_ID | STAGE_ID, ASSIGNED_BY_ID, … } }` or `{ error, error_description }`.
 * Bitrix24 tells no previous value: the core compares with the object's last known one.
 */

const EVENTS: Record<string, { object: 'lead' | 'deal'; method: string; statusField: string }> = {
  ONCRMLEADADD: { object: 'lead', method: 'crm.lead.get', statusField: 'STATUS_ID' },
  ONCRMLEADUPDATE: { object: 'lead', method: 'crm.lead.get', statusField: 'STATUS_ID' },
  ONCRMDEALADD: { object: 'deal', method: 'crm.deal.get', statusField: 'STAGE_ID' },
  ONCRMDEALUPDATE: { object: 'deal', method: 'crm.deal.get', statusField: 'STAGE_ID' },
};

/**
 * How long the portal may take to answer one crm.*.get unless resolve() is told otherwise: short,
 * since Bitrix24 waits for the delivery's answer and it must come within a second. A hung portal
 * fails the delivery, which is kept and retried in the background (DeliveriesService, with a
 * longer wait given as ResolveOptions.timeoutMs).
 */
export const BITRIX24_FETCH_TIMEOUT_MS = 700;

function restBase(restUrl: string | undefined): URL {
  if (!restUrl) throw new Error('Bitrix24: the connection has no restUrl (the portal\'s inbound webhook URL, e.g. https://acme.bitrix24.com/rest/1/abc123/)');
  let url: URL;
  try {
    url = new URL(restUrl.endsWith('/') ? restUrl : `${restUrl}/`);
  } catch {
    throw new Error('Bitrix24: restUrl is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Bitrix24: restUrl must be an http(s) URL');
  return url;
}

export const bitrix24Adapter: CrmAdapter = {
  kind: 'bitrix24',

  verify(delivery: IncomingDelivery, secrets: ConnectionSecrets): Verification {
    const body = bodyText(delivery.rawBody);
    const form = body.ok ? parsePhpForm(body.text) : undefined;
    const token = form?.ok ? field(form.form, 'auth', 'application_token') : undefined;
    if (token === undefined) return { ok: false, reason: 'auth[application_token] is missing' };
    return secretsEqual(token, secrets.secret) ? { ok: true } : { ok: false, reason: 'wrong auth[application_token]' };
  },

  parse(delivery: IncomingDelivery): Parsed {
    const body = bodyText(delivery.rawBody);
    if (!body.ok) return body;
    const parsed = parsePhpForm(body.text);
    if (!parsed.ok) return parsed;
    const form = parsed.form;
    const event = field(form, 'event');
    if (!event) return { ok: false, reason: 'event is missing' };
    const kind = EVENTS[event.toUpperCase()];
    if (!kind) return { ok: true, changes: [] };
    const id = field(form, 'data', 'FIELDS', 'ID');
    if (!id || !/^\d{1,20}$/.test(id)) return { ok: false, reason: 'data[FIELDS][ID] is missing or not a number' };
    const ts = field(form, 'ts');
    const occurredAt = timeFrom(ts);
    if (!ts || !occurredAt) return { ok: false, reason: 'ts is missing or not a unix time' };
    const portal = field(form, 'auth', 'member_id') || field(form, 'auth', 'domain');
    if (!portal) return { ok: false, reason: 'auth[member_id] and auth[domain] are both missing' };
    const change: CrmChange = {
      key: `bitrix24:${portal}:${event.toUpperCase()}:${id}:${ts}`,
      object: kind.object,
      objectId: id,
      occurredAt,
      changed: {},
    };
    return { ok: true, changes: [change] };
  },

  async resolve(changes: CrmChange[], secrets: ConnectionSecrets, fetch: typeof globalThis.fetch, options: ResolveOptions = {}): Promise<CrmChange[]> {
    const base = restBase(secrets.settings['restUrl']);
    const timeoutMs = options.timeoutMs ?? BITRIX24_FETCH_TIMEOUT_MS;
    const resolved: CrmChange[] = [];
    for (const change of changes) {
      const kind = change.object === 'deal' ? EVENTS.ONCRMDEALUPDATE : EVENTS.ONCRMLEADUPDATE;
      const url = new URL(`${kind.method}.json`, base);
      url.searchParams.set('id', change.objectId);
      let response: Response;
      try {
        // Never followed: a redirect could lead anywhere, past the address check of the restUrl's host.
        response = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
        throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} could not reach the portal (${reason})`.slice(0, 500));
      }
      if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
        const location = response.headers.get('location');
        throw new Error(
          `Bitrix24: ${kind.method} for ${change.object} ${change.objectId}: the portal answered HTTP ${response.status}, a redirect${location ? ` to ${location}` : ''}, which is not followed: settings.restUrl must be the portal's inbound webhook URL itself`.slice(0, 500),
        );
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} answered HTTP ${response.status} without JSON`);
      }
      if (isPlainObject(json) && typeof json.error === 'string') {
        const description = typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
        throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} failed with ${json.error}${description}`.slice(0, 500));
      }
      if (!response.ok) throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} answered HTTP ${response.status}`);
      const result = isPlainObject(json) ? json.result : undefined;
      if (!isPlainObject(result)) throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} answered without a result object`);
      const status = valueText(result[kind.statusField]);
      if (status === undefined) throw new Error(`Bitrix24: ${kind.method} for ${change.object} ${change.objectId} answered without ${kind.statusField}`);
      const known = emptyRecord<string | null>();
      for (const [name, value] of Object.entries(result)) {
        if (name === kind.statusField || name === 'ID') continue;
        const text = valueText(value);
        if (text !== undefined) known[name] = text;
      }
      resolved.push({ ...change, changed: { [kind.statusField]: status }, known });
    }
    return resolved;
  },
};
