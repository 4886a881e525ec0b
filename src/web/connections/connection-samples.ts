import type { ConnectionKind } from '../../connections/adapters/crm-adapter.js';
import { encodePhpForm } from '../../connections/adapters/php-form.js';
import { escapeXml } from '../../connections/adapters/soap-xml.js';
import type { ConnectionRule } from '../../connections/rules.js';

/**
 * A sample delivery for the test button: the body a CRM of this kind would send for a change that
 * the connection's first rule reacts to (or a typical change when it has none), in the CRM's own
 * format, so a dry run shows the rule at work. Pure: the time is given, no secret is written in.
 */
export interface Sample {
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded' | 'text/xml';
}

const DEFAULT_RULE: Record<ConnectionKind, ConnectionRule['on']> = {
  hubspot: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED' },
  pipedrive: { object: 'deal', property: 'status', to: 'won', from: 'open' },
  amocrm: { object: 'lead', property: 'status_id', to: '142' },
  bitrix24: { object: 'lead', property: 'STATUS_ID', to: 'IN_PROCESS' },
  salesforce: { object: 'lead', property: 'Status', to: 'Working - Contacted' },
  webhook: { object: 'lead', property: 'type', to: 'lead.handed_over' },
};

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** "opportunity" → "Opportunity": Salesforce names sObject types with a capital. */
const capital = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export function sampleFor(kind: ConnectionKind, rules: readonly ConnectionRule[], now: Date, settings: Readonly<Record<string, string>> = {}): Sample {
  const rule = rules[0];
  const on = rule?.on ?? DEFAULT_RULE[kind];
  const to = first(on.to) ?? '';
  const from = first(on.from);
  const ms = now.getTime();
  const seconds = Math.floor(ms / 1000);
  switch (kind) {
    case 'hubspot': {
      const creation = on.property === '$created';
      const event = {
        eventId: 1001,
        subscriptionId: 2001,
        portalId: 62515,
        appId: 1160452,
        occurredAt: ms,
        subscriptionType: `${on.object}.${creation ? 'creation' : 'propertyChange'}`,
        attemptNumber: 0,
        objectId: 101,
        ...(creation ? {} : { propertyName: on.property, propertyValue: to }),
        changeSource: 'CRM_UI',
      };
      return { body: JSON.stringify([event], null, 2), contentType: 'application/json' };
    }
    case 'pipedrive': {
      const payload = {
        data: { id: 42, [on.property]: to, update_time: now.toISOString() },
        previous: { [on.property]: from ?? null },
        meta: { action: 'change', entity: on.object, entity_id: '42', id: '2b1e1c6e-6f1a-4c0e-9d3b-5c8e1a7f0a11', timestamp: String(seconds), version: '2.0', attempt: 1 },
      };
      return { body: JSON.stringify(payload, null, 2), contentType: 'application/json' };
    }
    case 'amocrm': {
      const entity = on.object === 'contact' ? 'contacts' : 'leads';
      const item: Record<string, unknown> = { id: 19031, last_modified: seconds, pipeline_id: 4410001 };
      let action = 'update';
      if (on.property === 'status_id' && entity === 'leads') {
        action = 'status';
        Object.assign(item, { status_id: to, old_status_id: from ?? '31234567' });
      } else {
        item[on.property] = to;
      }
      return { body: encodePhpForm({ [entity]: { [action]: [item] }, account: { subdomain: 'example', id: 29012345 } }), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'bitrix24': {
      const event = on.object === 'deal' ? 'ONCRMDEALUPDATE' : 'ONCRMLEADUPDATE';
      const body = encodePhpForm({ event, data: { FIELDS: { ID: 42 } }, ts: seconds, auth: { domain: 'example.bitrix24.com', member_id: 'a1b2c3', application_token: '<the application token>' } });
      return { body, contentType: 'application/x-www-form-urlencoded' };
    }
    case 'salesforce': {
      const organizationId = settings.organizationId?.trim() || '00D5e000000KQ2eEAG';
      const id = on.object === 'opportunity' ? '0065e00000AbCdEAAV' : '00Q5e00000AbCdEEAV';
      const body = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${escapeXml(organizationId)}</OrganizationId>
   <ActionId>04k5e000000CaRkAAK</ActionId>
   <Notification>
    <Id>04l5e00000Gx7QzAAJ</Id>
    <sObject xsi:type="sf:${escapeXml(capital(on.object))}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${id}</sf:Id>
     <sf:${escapeXml(on.property)}>${escapeXml(to)}</sf:${escapeXml(on.property)}>
     <sf:LastModifiedDate>${now.toISOString()}</sf:LastModifiedDate>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
      return { body, contentType: 'text/xml' };
    }
    case 'webhook': {
      const event = { type: rule?.emit ?? 'lead.handed_over', subject: 'lead-1001', occurredAt: now.toISOString(), key: 'sample-1001', attributes: { source: 'web form' } };
      return { body: JSON.stringify(event, null, 2), contentType: 'application/json' };
    }
  }
}
