import type { IncomingDelivery } from '../../src/connections/adapters/crm-adapter.js';
import { encodePhpForm } from '../../src/connections/adapters/php-form.js';
import { escapeXml } from '../../src/connections/adapters/soap-xml.js';

/**
 * Realistic CRM webhook requests, built from each CRM's documented format and signed (or
 * authenticated) the way that CRM does, for the adapters' unit tests and the connections' end-to-end
 * tests. Each builder returns what goes over HTTP: `body`, `contentType` and `headers`; an e2e test
 * posts it with supertest to `/hooks/<id>/<secret>`, a unit test turns it into an IncomingDelivery
 * with asDelivery().
 */

export interface CrmRequest {
  body: string;
  /** Full Content-Type header value as the CRM sends it. */
  contentType: string;
  /** Extra headers (lower-case names), e.g. authorization for Pipedrive. */
  headers: Record<string, string>;
}

export function asDelivery(request: CrmRequest, options: { url?: string; pathSecret?: string; receivedAt?: Date; rawBody?: Buffer } = {}): IncomingDelivery {
  return {
    method: 'POST',
    url: options.url ?? 'https://concord.example.com/hooks/conn-1/secret',
    pathSecret: options.pathSecret,
    headers: { 'content-type': request.contentType, ...request.headers },
    rawBody: options.rawBody ?? Buffer.from(request.body, 'utf8'),
    contentType: request.contentType.split(';')[0].trim().toLowerCase(),
    receivedAt: options.receivedAt ?? new Date('2026-03-02T10:00:05Z'),
  };
}

// ---------------------------------------------------------------- Pipedrive (webhooks v2)

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export interface PipedriveEventOptions {
  action?: 'create' | 'change' | 'delete';
  entity?: string;
  entityId?: number;
  /** meta.id, the event's id (a UUID); null leaves it out. */
  eventId?: string | null;
  /** meta.timestamp; Pipedrive documents a 10-character unix time. */
  timestamp?: number | string;
  attempt?: number;
  data?: Record<string, unknown> | null;
  previous?: Record<string, unknown> | null;
  /** Basic auth; undefined user/password → no Authorization header. */
  user?: string;
  password?: string;
}

/** A deal moved to another stage and marked won, as Pipedrive v2 sends it. */
export function pipedriveEvent(options: PipedriveEventOptions = {}): CrmRequest {
  const entityId = options.entityId ?? 42;
  const payload = {
    data:
      options.data === undefined
        ? {
            id: entityId,
            title: 'Acme — 50 seats',
            stage_id: 5,
            pipeline_id: 1,
            status: 'won',
            owner_id: 1001,
            person_id: 7,
            org_id: 3,
            value: 12000,
            currency: 'EUR',
            update_time: '2026-03-02T10:00:00Z',
            custom_fields: { a1b2c3d4e5: { type: 'enum', id: 17 }, f6g7h8: { type: 'double', value: 87 } },
          }
        : options.data,
    previous: options.previous === undefined ? { stage_id: 4, status: 'open' } : options.previous,
    meta: {
      action: options.action ?? 'change',
      entity: options.entity ?? 'deal',
      entity_id: String(entityId),
      ...(options.eventId === null ? {} : { id: options.eventId ?? '2b1e1c6e-6f1a-4c0e-9d3b-5c8e1a7f0a11' }),
      company_id: '900001',
      user_id: '1001',
      correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
      timestamp: options.timestamp ?? '1772445600',
      type: 'general',
      version: '2.0',
      webhook_id: '555',
      webhook_owner_id: '1001',
      change_source: 'app',
      attempt: options.attempt ?? 1,
      host: 'acme.pipedrive.com',
      is_bulk_edit: false,
    },
  };
  const headers: Record<string, string> = {};
  if (options.password !== undefined) headers.authorization = basicAuthorization(options.user ?? 'concord', options.password);
  return { body: JSON.stringify(payload), contentType: 'application/json', headers };
}

// ---------------------------------------------------------------- amoCRM / Kommo

export interface AmocrmLeadStatusOptions {
  leadId?: number;
  statusId?: number;
  oldStatusId?: number;
  pipelineId?: number;
  oldPipelineId?: number;
  responsibleUserId?: number;
  /** unix seconds */
  lastModified?: number;
  price?: number;
  subdomain?: string;
  accountId?: number;
}

/** A lead moved to a status (142 = won, 143 = lost), as amoCRM posts leads[status]. */
export function amocrmLeadStatus(options: AmocrmLeadStatusOptions = {}): CrmRequest {
  const lastModified = options.lastModified ?? 1772445600;
  return amocrmForm({
    leads: {
      status: [
        {
          id: options.leadId ?? 19031,
          name: 'Acme — 50 seats',
          status_id: options.statusId ?? 142,
          old_status_id: options.oldStatusId ?? 31234567,
          price: options.price ?? 12000,
          responsible_user_id: options.responsibleUserId ?? 5001,
          last_modified: lastModified,
          modified_user_id: 5001,
          created_user_id: 5002,
          date_create: lastModified - 86400,
          pipeline_id: options.pipelineId ?? 4410001,
          ...(options.oldPipelineId !== undefined ? { old_pipeline_id: options.oldPipelineId } : {}),
          account_id: options.accountId ?? 29012345,
          custom_fields: [{ id: 667001, name: 'Lead temperature', values: [{ value: 'hot' }] }],
          created_at: lastModified - 86400,
          updated_at: lastModified,
        },
      ],
    },
    account: { subdomain: options.subdomain ?? 'acme', id: options.accountId ?? 29012345, _links: { self: `https://${options.subdomain ?? 'acme'}.amocrm.ru` } },
  });
}

/** Any amoCRM webhook body from a tree: `{ leads: { add: [{…}] }, account: {…} }`. */
export function amocrmForm(tree: Record<string, unknown>): CrmRequest {
  return { body: encodePhpForm(tree), contentType: 'application/x-www-form-urlencoded', headers: {} };
}

// ---------------------------------------------------------------- Bitrix24

export interface Bitrix24EventOptions {
  event?: 'ONCRMLEADUPDATE' | 'ONCRMDEALUPDATE' | 'ONCRMLEADADD' | 'ONCRMDEALADD' | string;
  id?: number;
  /** unix seconds */
  ts?: number;
  applicationToken?: string;
  domain?: string;
  memberId?: string;
}

/** An outbound-webhook event as Bitrix24 posts it: the object's id only. */
export function bitrix24Event(options: Bitrix24EventOptions = {}): CrmRequest {
  return {
    body: encodePhpForm({
      event: options.event ?? 'ONCRMLEADUPDATE',
      event_handler_id: 42,
      data: { FIELDS: { ID: options.id ?? 19030 } },
      ts: options.ts ?? 1772445600,
      auth: {
        domain: options.domain ?? 'acme.bitrix24.com',
        client_endpoint: `https://${options.domain ?? 'acme.bitrix24.com'}/rest/`,
        server_endpoint: 'https://oauth.bitrix.info/rest/',
        member_id: options.memberId ?? 'a223c6b3710f85df22e9377d6c4f7553',
        application_token: options.applicationToken ?? '51856fefc120afa4b628cc82d3935cce',
      },
    }),
    contentType: 'application/x-www-form-urlencoded',
    headers: {},
  };
}

/** What crm.lead.get / crm.deal.get answer on the portal's inbound webhook, for a fake portal. */
export function bitrix24GetAnswer(fields: Record<string, unknown>): unknown {
  return {
    result: {
      ID: '19030',
      TITLE: 'Acme — 50 seats',
      ASSIGNED_BY_ID: '1',
      OPPORTUNITY: '12000.00',
      CURRENCY_ID: 'EUR',
      DATE_MODIFY: '2026-03-02T13:00:00+03:00',
      PHONE: [{ VALUE: '+1 555 0100', VALUE_TYPE: 'WORK' }],
      ...fields,
    },
    time: { start: 1772445601.1, finish: 1772445601.2, duration: 0.1 },
  };
}

// ---------------------------------------------------------------- Salesforce

export interface SalesforceRecord {
  /** Notification Id (04l…), stable across Salesforce's retries. */
  notificationId: string;
  /** sObject type without prefix: Lead, Opportunity, Contact, … */
  type: string;
  /** Field values; Id required; null → xsi:nil. */
  fields: Record<string, string | null>;
}

export const SALESFORCE_ORG_ID = '00D5e000000KQ2eEAG';

/** An Outbound Message (SOAP notifications) carrying the given records. */
export function salesforceOutboundMessage(records: SalesforceRecord[], options: { organizationId?: string } = {}): CrmRequest {
  const notifications = records
    .map((record) => {
      const fields = Object.entries(record.fields)
        .map(([name, value]) => (value === null ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${escapeXml(value)}</sf:${name}>`))
        .join('\n     ');
      return ` <Notification>
   <Id>${record.notificationId}</Id>
   <sObject xsi:type="sf:${record.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     ${fields}
   </sObject>
  </Notification>`;
    })
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${options.organizationId ?? SALESFORCE_ORG_ID}</OrganizationId>
   <ActionId>04k5e000000CaRkAAK</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/00D5e000000KQ2e</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/00D5e000000KQ2e</PartnerUrl>
${notifications}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
  return { body, contentType: 'text/xml; charset=utf-8', headers: { soapaction: '""' } };
}

/** A Lead whose Status changed, as a Salesforce Outbound Message record. */
export function salesforceLead(overrides: Partial<Record<string, string | null>> = {}, notificationId = '04l5e00000Gx7QzAAJ'): SalesforceRecord {
  return {
    notificationId,
    type: 'Lead',
    fields: {
      Id: '00Q5e00000AbCdEEAV',
      Status: 'Working - Contacted',
      OwnerId: '0055e000001XyZaAAK',
      Rating: 'Hot',
      LeadSource: 'Web',
      LastModifiedDate: '2026-03-02T10:00:00.000Z',
      SystemModstamp: '2026-03-02T10:00:00.000Z',
      ...overrides,
    } as Record<string, string | null>,
  };
}
