import { createCalendar, crmEvent, hotLeads, signAgreement } from './agreement-fixture.js';
import type { SeededOrg } from './org-fixture.js';
import type { TestApp } from './test-app.js';
import { sendEvents } from './tracking-fixture.js';

/** "Hot leads are called fast" in force and a hot lead called 75 working minutes late: one breach, owned by sales. */
export async function seedBreach(t: TestApp, org: SeededOrg, subject = 'L-LATE'): Promise<{ agreementId: string; breachId: string }> {
  const calendarId = await createCalendar(t);
  const agreementId = await signAgreement(t, org, hotLeads(org, calendarId));
  t.clock.set('2026-11-09T10:00:00Z');
  await sendEvents(t, org.salesHead.token, [
    crmEvent('lead.handed_over', subject, '2026-11-06T17:30:00+01:00', { score: 'hot' }),
    crmEvent('lead.contacted', subject, '2026-11-09T10:45:00+01:00'),
  ]);
  const breaches = await t.as().get(`/api/breaches?agreementId=${agreementId}`);
  const breach = breaches.body.items.find((item: { subject: string }) => item.subject === subject);
  if (!breach) throw new Error(`no breach for ${subject}: ${JSON.stringify(breaches.body)}`);
  return { agreementId, breachId: breach.id };
}
