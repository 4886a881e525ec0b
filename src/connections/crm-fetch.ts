/**
 * The fetch adapters use to read a CRM back (Bitrix24's crm.lead.get / crm.deal.get), as a Nest
 * provider so a test or a deployment can replace it (a proxy, a recording). By default the
 * global fetch, looked up at each call.
 */
export const CRM_FETCH = Symbol('CRM_FETCH');

export type CrmFetch = typeof globalThis.fetch;

export const globalFetch: CrmFetch = (input, init) => globalThis.fetch(input, init);
