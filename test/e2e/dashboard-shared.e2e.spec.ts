import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { decode } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 14, "One dashboard, read the same way by both heads": the months of an agreement's card
 * are its calendar's months, not each reader's, so a head in New York and a head in Paris read
 * the same figures for the same agreement.
 */
describe(`the dashboard, the same for both heads (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    await t.as().patch(`/api/people/${org.salesHead.id}`).send({ timezone: 'America/New_York' });
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-20T08:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    t.clock.set('2026-11-10T08:00:00Z');
    // 00:30 on 1 November in Paris, the agreement's zone; still 31 October in New York.
    const sent = await t
      .as(org.marketingMember.token)
      .post('/api/events')
      .send([
        crmEvent('lead.handed_over', 'EDGE-1', '2026-10-31T23:30:00Z', { score: 'hot' }),
        crmEvent('lead.handed_over', 'MID-1', '2026-11-05T09:00:00Z', { score: 'hot' }),
        crmEvent('lead.contacted', 'MID-1', '2026-11-05T09:20:00Z'),
      ]);
    expect(sent.body.accepted).toBe(3);
  });
  afterAll(async () => t?.close());

  it('counts this month in the agreement’s calendar zone on both heads’ screens', async () => {
    const clocksLine = (html: string) => /(\d+) clocks this month: [^<]*\./.exec(decode(html))?.[0];
    const paris = clocksLine((await (await pageSession(t, org.marketingHead.token)).get('/')).text);
    const newYork = clocksLine((await (await pageSession(t, org.salesHead.token)).get('/')).text);
    expect(paris).toBe('2 clocks this month: 1 met, 1 breached (1 still open past due), 0 running, 0 paused, 0 cancelled.');
    expect(newYork).toBe(paris);
  });
});
