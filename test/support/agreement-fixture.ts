import { QUOTA_EXAMPLE, RESPONSE_EXAMPLE } from '../../src/agreements/agreements.dto.js';
import type { SeededOrg } from './org-fixture.js';
import type { TestApp } from './test-app.js';

/** Paris office hours, 09:00–18:00 on weekdays: the calendar of the examples. */
export const PARIS_OFFICE = {
  name: 'Paris office',
  timezone: 'Europe/Paris',
  hours: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
};

/** The two agreements of the issue, as written there (ids filled in). */
export function hotLeads(org: SeededOrg, calendarId: string) {
  return {
    name: 'Hot leads are called fast',
    providerDepartmentId: org.sales.id,
    consumerDepartmentId: org.marketing.id,
    calendarId,
    response: structuredClone(RESPONSE_EXAMPLE),
  };
}

export function qualifiedLeads(org: SeededOrg, calendarId: string) {
  return {
    name: 'Marketing delivers qualified leads',
    providerDepartmentId: org.marketing.id,
    consumerDepartmentId: org.sales.id,
    calendarId,
    quota: structuredClone(QUOTA_EXAMPLE),
  };
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export async function createCalendar(t: TestApp, body: object = PARIS_OFFICE): Promise<string> {
  const created = await t.as().post('/api/calendars').send(body);
  expectStatus(created, 201, 'create calendar');
  return created.body.id;
}

/** Drafts, proposes and has both heads approve an agreement; returns its id. */
export async function signAgreement(t: TestApp, org: SeededOrg, body: object): Promise<string> {
  const created = await t.as(org.salesHead.token).post('/api/agreements').send(body);
  expectStatus(created, 201, 'draft agreement');
  const id = created.body.id as string;
  expectStatus(await t.as(org.salesHead.token).post(`/api/agreements/${id}/propose`), 200, 'propose');
  expectStatus(await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({}), 200, 'sales approves');
  expectStatus(await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({}), 200, 'marketing approves');
  return id;
}

let keys = 0;
/** An event as a CRM would send it, with a fresh idempotency key unless one is given. */
export function crmEvent(type: string, subject: string, occurredAt: string, attributes: Record<string, unknown> = {}, key?: string) {
  keys += 1;
  return { type, subject, occurredAt, attributes, key: key ?? `crm-${process.pid}-${keys}` };
}
