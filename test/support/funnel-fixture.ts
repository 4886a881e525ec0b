import { CONVERSION_EXAMPLE } from '../../src/agreements/agreements.dto.js';
import type { SeededOrg } from './org-fixture.js';
import type { TestApp } from './test-app.js';
import { crmEvent } from './agreement-fixture.js';

/** The stages the closed-loop tests read: the default funnel's, entered by the conventional events, and a Rejected stage. */
export const FUNNEL = ['MQL', 'SQL', 'Won', 'Lost', 'Rejected'] as const;
export type StageName = (typeof FUNNEL)[number];
export type FunnelIds = Record<StageName, string>;

/**
 * The default funnel (Lead, MQL, SAL, SQL, Opportunity, Won, Lost, Recycled — each but Lead entered
 * by its conventional event since the StageEntries migration) plus "Rejected" after MQL, entered
 * by lead.rejected, owned by sales. Returns the ids of the stages the tests read.
 */
export async function createFunnel(t: TestApp, org: SeededOrg): Promise<FunnelIds> {
  const rejected = await t
    .as()
    .post('/api/stages')
    .send({ name: 'Rejected', position: 3, departmentId: org.sales.id, doneDefinition: 'Sales turned the lead down, with a reason.', enteredOn: { type: 'lead.rejected' } });
  if (rejected.status !== 201) throw new Error(`create stage Rejected: ${rejected.status} ${JSON.stringify(rejected.body)}`);
  const list = await t.as().get('/api/stages?limit=100');
  const ids = {} as FunnelIds;
  for (const name of FUNNEL) {
    const stage = (list.body.items as { id: string; name: string }[]).find((candidate) => candidate.name === name);
    if (!stage) throw new Error(`no stage ${name}`);
    ids[name] = stage.id;
  }
  return ids;
}

const DAY = 86_400_000;
/** 10:00 in Paris on a November 2026 weekday (09:00 UTC): the n-th working day from Monday 2 November. */
function workingDay(n: number): number {
  const monday = Date.UTC(2026, 10, 2, 9);
  const week = Math.floor(n / 5);
  return monday + (week * 7 + (n % 5)) * DAY;
}
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The twenty leads of the "Done when", from two sources:
 * - trade-show (TS-1…TS-10, MQL 2–13 November): 6 become SQL a day later; 3 won, 2 lost (price;
 *   competitor Acme); TS-7 rejected as a duplicate. Win rate 3 ÷ 5 = 60 %.
 * - webinar (WB-1…WB-10, MQL 16–27 November): 2 become SQL a day later, both lost for "no budget";
 *   WB-3 and WB-4 rejected as "not our market", WB-5 as "student".
 * Every SQL comes exactly one day (86,400 s) after its MQL. Of the 20 MQLs of November, 8 become
 * SQL within 10 business days: 40 %.
 */
export function closedLoopEvents() {
  const events: ReturnType<typeof crmEvent>[] = [];
  for (let i = 1; i <= 10; i++) {
    const at = workingDay(i - 1);
    const subject = `TS-${i}`;
    events.push(crmEvent('lead.mql', subject, iso(at), { source: 'trade-show', score: i <= 5 ? 'hot' : 'warm' }));
    if (i <= 6) events.push(crmEvent('lead.sql', subject, iso(at + DAY)));
    if (i <= 3) events.push(crmEvent('lead.won', subject, iso(Date.UTC(2026, 11, 1, 10)), { amount: 1000 * i }));
    if (i === 4) events.push(crmEvent('lead.lost', subject, iso(Date.UTC(2026, 11, 2, 10)), { reason: 'price' }));
    if (i === 5) events.push(crmEvent('lead.lost', subject, iso(Date.UTC(2026, 11, 2, 11)), { reason: 'competitor', competitor: 'Acme' }));
    if (i === 7) events.push(crmEvent('lead.rejected', subject, iso(at + DAY), { reason: 'duplicate' }));
  }
  for (let i = 1; i <= 10; i++) {
    const at = workingDay(i + 9);
    const subject = `WB-${i}`;
    events.push(crmEvent('lead.mql', subject, iso(at), { source: 'webinar', score: i <= 5 ? 'warm' : 'cold' }));
    if (i <= 2) {
      events.push(crmEvent('lead.sql', subject, iso(at + DAY)));
      events.push(crmEvent('lead.lost', subject, iso(Date.UTC(2026, 11, 3, 10)), { reason: 'no budget' }));
    }
    if (i === 3 || i === 4) events.push(crmEvent('lead.rejected', subject, iso(at + DAY), { reason: 'not our market' }));
    if (i === 5) events.push(crmEvent('lead.rejected', subject, iso(at + DAY), { reason: 'student' }));
  }
  return events;
}

/** Sends the twenty leads' events (as the marketing member's CRM token), after the clock has passed them. */
export async function sendClosedLoop(t: TestApp, org: SeededOrg): Promise<void> {
  const sent = await t.as(org.marketingMember.token).post('/api/events').send(closedLoopEvents());
  if (sent.status !== 200 && sent.status !== 201) throw new Error(`send closed-loop events: ${sent.status} ${JSON.stringify(sent.body)}`);
}

/** The conversion agreement, on a funnel's stages: MQL → SQL within 10 business days, at least 50 % a month. */
export function mqlsBecomeSqls(org: SeededOrg, calendarId: string, stages: FunnelIds, extra: object = {}) {
  return {
    name: 'MQLs become SQLs',
    providerDepartmentId: org.marketing.id,
    consumerDepartmentId: org.sales.id,
    calendarId,
    conversion: { ...CONVERSION_EXAMPLE, fromStageId: stages.MQL, toStageId: stages.SQL },
    ...extra,
  };
}
