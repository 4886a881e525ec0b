import type { ConnectionSecrets, CrmAdapter, CrmChange, IncomingDelivery, Parsed, Verification } from './crm-adapter.js';
import { bodyText, emptyRecord, secretsEqual, timeFrom } from './adapter-values.js';
import { type FormTree, field, listItems, parsePhpForm } from './php-form.js';

/**
 * amoCRM (Kommo) webhooks, set in Settings → Integrations → Web hooks (checked against amoCRM's
 * "Webhooks" format pages, amocrm.ru/developers/content/crm_platform/webhooks-format and
 * amocrm.com/developers/content/api/webhooks): an application/x-www-form-urlencoded POST whose
 * PHP-style keys hold `{entity: {action: {0: {…fields…}}}}`, plus `account[subdomain]`, `account[id]`:
 *   leads[status][0][id]=…&leads[status][0][status_id]=142&leads[status][0][old_status_id]=…
 *   &leads[status][0][pipeline_id]=…&leads[status][0][last_modified]=<unix seconds>&account[subdomain]=acme
 * Actions read here: add, update, status (leads only), responsible, delete; for `leads` and
 * `contacts`. Other entities (companies, tasks, customers, notes, chats) are not read.
 * Won and lost are amoCRM's fixed status ids 142 ("Успешно реализовано") and 143 ("Закрыто и не
 * реализовано") in every pipeline; rules compare text, so a rule names `to: "142"`.
 *
 * amoCRM cannot sign: the secret is the last segment of the connection's URL (/hooks/<id>/<secret>).
 *
 * Mapping, decided here:
 * - status: `changed` {status_id} (and pipeline_id when old_pipeline_id says it moved), `previous`
 *   from old_status_id / old_pipeline_id;
 * - responsible: `changed` {responsible_user_id}, `previous` from old_responsible_user_id;
 * - add and update: every scalar field is `changed` (amoCRM does not say which field an update
 *   touched; the core keeps last known values, so unchanged ones match no `from`/`to` transition
 *   it could not already see) — except bookkeeping fields (ids, times, modified_user_id), kept as `known`;
 * - delete: ignored.
 * `occurredAt` is `last_modified` (unix seconds); amoCRM always sends it, but should an item lack
 * it, `updated_at`, then `date_create`/`created_at`, then — the one case where the arrival time is
 * used — the delivery's receivedAt, rather than lose the change.
 * Custom fields (`custom_fields[i][id]`, `[values][0][value]`) are flattened as `custom_fields.<id>`.
 */

const ENTITIES: Record<string, string> = { leads: 'lead', contacts: 'contact' };
// Creation first, so a lead added and moved in one delivery is seen in that order.
const ACTIONS = ['add', 'update', 'status', 'responsible', 'delete'] as const;
const BOOKKEEPING = new Set(['id', 'last_modified', 'updated_at', 'date_create', 'created_at', 'modified_user_id', 'created_user_id', 'account_id', 'type']);
const MAX_ITEMS = 500;

function scalars(item: FormTree): Record<string, string> {
  const out = emptyRecord<string>();
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'string') out[name] = value;
    else if (name === 'custom_fields') {
      for (const { item: custom } of listItems(value)) {
        const id = field(custom, 'id');
        const first = field(custom, 'values', '0', 'value') ?? field(custom, 'values', '0');
        if (id && /^\d{1,20}$/.test(id) && first !== undefined) out[`custom_fields.${id}`] = first;
      }
    }
  }
  return out;
}

export const amocrmAdapter: CrmAdapter = {
  kind: 'amocrm',

  verify(delivery: IncomingDelivery, secrets: ConnectionSecrets): Verification {
    return secretsEqual(delivery.pathSecret, secrets.secret) ? { ok: true } : { ok: false, reason: 'wrong or missing secret in the webhook URL' };
  },

  parse(delivery: IncomingDelivery): Parsed {
    const body = bodyText(delivery.rawBody);
    if (!body.ok) return body;
    const parsed = parsePhpForm(body.text);
    if (!parsed.ok) return parsed;
    const form = parsed.form;
    const account = field(form, 'account', 'id') || field(form, 'account', 'subdomain');
    if (!account) return { ok: false, reason: 'account[id] and account[subdomain] are both missing' };
    const changes: CrmChange[] = [];
    let items = 0;
    for (const [entity, object] of Object.entries(ENTITIES)) {
      const group = form[entity];
      if (group === undefined) continue;
      if (typeof group === 'string') return { ok: false, reason: `${entity} must hold actions (${entity}[status][0][id]=…)` };
      for (const action of ACTIONS) {
        if (action === 'status' && entity !== 'leads') continue;
        for (const { index, item } of listItems(group[action])) {
          const at = `${entity}[${action}][${index}]`;
          if (++items > MAX_ITEMS) return { ok: false, reason: `more than ${MAX_ITEMS} items in one delivery (the limit)` };
          if (typeof item === 'string') return { ok: false, reason: `${at} must hold fields` };
          const id = field(item, 'id');
          if (!id || !/^\d{1,20}$/.test(id)) return { ok: false, reason: `${at}[id] is missing or not a number` };
          if (action === 'delete') continue;
          const values = scalars(item);
          const occurredAt =
            timeFrom(values.last_modified) ?? timeFrom(values.updated_at) ?? timeFrom(values.date_create) ?? timeFrom(values.created_at) ?? delivery.receivedAt;
          const stamp = String(Math.floor(occurredAt.getTime() / 1000));
          const changed = emptyRecord<string | null>();
          const previous = emptyRecord<string | null>();
          const known = emptyRecord<string | null>();
          let key: string;
          if (action === 'status') {
            const statusId = values.status_id;
            if (!statusId) return { ok: false, reason: `${at}[status_id] is missing` };
            changed.status_id = statusId;
            if (values.old_status_id !== undefined) previous.status_id = values.old_status_id;
            if (values.old_pipeline_id !== undefined && values.pipeline_id !== undefined && values.old_pipeline_id !== values.pipeline_id) {
              changed.pipeline_id = values.pipeline_id;
              previous.pipeline_id = values.old_pipeline_id;
            }
            key = `amocrm:${account}:${object}:${id}:status:${statusId}:${stamp}`;
          } else if (action === 'responsible') {
            const responsible = values.responsible_user_id;
            if (!responsible) return { ok: false, reason: `${at}[responsible_user_id] is missing` };
            changed.responsible_user_id = responsible;
            if (values.old_responsible_user_id !== undefined) previous.responsible_user_id = values.old_responsible_user_id;
            key = `amocrm:${account}:${object}:${id}:responsible:${responsible}:${stamp}`;
          } else {
            for (const [name, value] of Object.entries(values)) {
              if (BOOKKEEPING.has(name) || name.startsWith('old_')) continue;
              changed[name] = value;
            }
            key = `amocrm:${account}:${object}:${id}:${action}:${stamp}`;
          }
          for (const [name, value] of Object.entries(values)) {
            if (name in changed || name.startsWith('old_') || name === 'id') continue;
            known[name] = value;
          }
          changes.push({
            key,
            object,
            objectId: id,
            occurredAt,
            changed,
            ...(Object.keys(previous).length > 0 ? { previous } : {}),
            known,
          });
        }
      }
    }
    if (items === 0) return { ok: false, reason: 'no leads[…] or contacts[…] items with an id (expected e.g. leads[status][0][id])' };
    return { ok: true, changes };
  },
};
