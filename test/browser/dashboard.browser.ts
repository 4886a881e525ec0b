import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { sendEvents } from '../support/tracking-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

/** A hot lead handed over at `at` (Paris office hours) and called `minutes` later. */
function lead(subject: string, at: string, minutes: number) {
  const contacted = new Date(new Date(at).getTime() + minutes * 60_000).toISOString();
  return [crmEvent('lead.handed_over', subject, at, { score: 'hot' }), crmEvent('lead.contacted', subject, contacted)];
}

describe('the dashboard of a head of sales', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let hot: string;
  let meetingIds: string[];

  beforeAll(async () => {
    h = await BrowserHarness.start();
    const t = h.t;
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-08-03T08:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
    await signAgreement(t, org, qualifiedLeads(org, calendarId));
    t.clock.set('2026-11-24T10:00:00Z');
    await sendEvents(t, org.salesHead.token, [
      ...lead('L-SEP-1', '2026-09-07T09:00:00+02:00', 20),
      ...lead('L-SEP-2', '2026-09-08T09:00:00+02:00', 30),
      ...lead('L-OCT-1', '2026-10-05T09:00:00+02:00', 20),
      ...lead('L-OCT-2', '2026-10-06T09:00:00+02:00', 150),
      ...lead('L-NOV-1', '2026-11-09T09:00:00+01:00', 10),
      ...lead('L-NOV-2', '2026-11-10T09:00:00+01:00', 15),
      ...lead('L-NOV-3', '2026-11-16T09:00:00+01:00', 95),
      ...Array.from({ length: 60 }, (_, i) => crmEvent('lead.mql', `M-${i}`, `2026-11-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00+01:00`, { region: 'EU' })),
    ]);
    // A November meeting was held and gave the head of sales an action; the next is on 1 December.
    t.clock.set('2026-10-20T08:00:00Z');
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org, { startsOn: '2026-11-03T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3' }));
    expect(series.status).toBe(201);
    meetingIds = series.body.meetings.map((meeting: { id: string }) => meeting.id);
    t.clock.set('2026-11-03T10:30:00Z');
    await t.as(org.marketingHead.token).put(`/api/meetings/${meetingIds[0]}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'present' },
      ],
    });
    const action = await t.as(org.marketingHead.token).post(`/api/meetings/${meetingIds[0]}/outcomes`).send({ type: 'action', text: `Publish the lead rota ${HOSTILE}`, ownerId: org.salesHead.id, dueOn: '2026-11-20' });
    expect(action.status).toBe(200);
    t.clock.set('2026-11-24T10:00:00Z');
  });
  afterAll(async () => h?.close());

  it('shows this month against the goal, the six months before, quota pace, breaches, actions and the next meeting', async () => {
    const page = await h.signIn(org.salesHead.token);
    const card = page.getByRole('article').filter({ hasText: 'Hot leads' });
    // November: 2 of 3 met = 66.7 % against 95 %.
    expect(await card.textContent()).toContain('66.7 % met this month');
    expect(await card.textContent()).toContain('below goal');
    expect(await card.getByRole('img').getAttribute('aria-label')).toBe('Last six months: May 2026 –, Jun 2026 –, Jul 2026 –, Aug 2026 –, Sep 2026 100 %, Oct 2026 50 %');

    const quota = page.getByRole('article').filter({ hasText: 'Marketing delivers qualified leads' });
    expect(await quota.textContent()).toContain('60 of 200');
    expect(await quota.textContent()).toContain('This promise is made to us');

    const breaches = page.getByRole('region', { name: 'Breaches waiting for an explanation' });
    expect(await breaches.getByRole('link').allTextContents()).toEqual(['Hot leads are called fast: L-NOV-3', 'Hot leads are called fast: L-OCT-2']);
    const actions = page.getByRole('region', { name: 'My open action items' });
    // The action's text was typed as hostile markup: it is shown as text, and no script ran (expectPageOk).
    expect(await actions.textContent()).toContain(`Publish the lead rota ${HOSTILE}`);
    expect(await actions.textContent()).toContain('overdue');
    const meeting = page.getByRole('region', { name: 'Next joint meeting' });
    expect(await meeting.getByRole('link').textContent()).toBe('Marketing & Sales monthly');
    expect(await meeting.textContent()).toContain('Tue 1 Dec 2026, 10:00 Europe/Paris');
    await expectPageOk(page);
    await screenshot(page, 'dashboard');

    const phone = await h.signIn(org.salesHead.token, 375);
    await expectPageOk(phone);
    await screenshot(phone, 'dashboard-phone');
  });

  it('is keyboard-usable: the skip link leads to the content, and the menu is reachable by Tab', async () => {
    const page = await h.signIn(org.marketingMember.token);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    const marketing = page.getByRole('article').filter({ hasText: 'Hot leads' });
    expect(await marketing.textContent()).toContain('This promise is made to us');
    void hot;
  });
});
