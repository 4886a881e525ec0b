import { amocrmAdapter } from './amocrm.js';
import { bitrix24Adapter } from './bitrix24.js';
import type { ConnectionKind, CrmAdapter } from './crm-adapter.js';
import { hubspotAdapter } from './hubspot.js';
import { pipedriveAdapter } from './pipedrive.js';
import { salesforceAdapter } from './salesforce.js';
import { webhookAdapter } from './webhook.js';

/**
 * Every CRM adapter by kind. A kind listed in CONNECTION_KINDS without an adapter here can be
 * created (its URL handed out) but its deliveries are answered 501 until one is added; today
 * every kind has one (adapters/index.spec.ts says so).
 */
export const CRM_ADAPTERS: Partial<Record<ConnectionKind, CrmAdapter>> = {
  hubspot: hubspotAdapter,
  pipedrive: pipedriveAdapter,
  amocrm: amocrmAdapter,
  bitrix24: bitrix24Adapter,
  salesforce: salesforceAdapter,
  webhook: webhookAdapter,
};

export function adapterFor(kind: ConnectionKind): CrmAdapter | undefined {
  return Object.hasOwn(CRM_ADAPTERS, kind) ? CRM_ADAPTERS[kind] : undefined;
}
