import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, sendClosedLoop } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

describe('the funnel page of the head of marketing', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    const t = h.t;
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    t.clock.set('2026-12-15T08:00:00Z');
    await createFunnel(t, org);
    await sendClosedLoop(t, org);
    const sent = await t
      .as(org.marketingMember.token)
      .post('/api/events')
      .send([
        crmEvent('lead.handed_over', 'TS-1', '2026-11-02T09:00:00Z', { score: 'hot' }),
        crmEvent('lead.contacted', 'TS-1', '2026-11-02T09:30:00Z'),
        // A source nobody should trust: shown as text wherever it appears.
        crmEvent('lead.mql', 'X-1', '2026-11-20T09:00:00Z', { source: HOSTILE }),
      ]);
    expect(sent.body.accepted).toBe(3);
  });
  afterAll(async () => h?.close());

  it('opens on the last 90 days by source, from the menu, on a phone', async () => {
    const page = await h.signIn(org.marketingHead.token, 375);
    await page.getByRole('link', { name: 'Funnel', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/reports/funnel');
    await expectPageOk(page);
    expect(await page.getByRole('combobox', { name: 'Group by' }).inputValue()).toBe('source');
    const tradeShow = page.getByRole('region', { name: 'trade-show' });
    expect(await tradeShow.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
    expect(await tradeShow.getByRole('img').textContent()).toContain('trade-show: MQL 10, Rejected 1 (10 %), SAL 0 (0 %), SQL 6 (60 %), Won 3 (30 %), Lost 2 (20 %), Recycled 0 (0 %).');
    expect(await tradeShow.getByRole('row', { name: /^SQL/ }).textContent()).toContain('60 %');
    expect(await tradeShow.textContent()).toContain('price 1 · competitor 1');
    expect(await tradeShow.textContent()).toContain('win rate 60 %');
    expect(await page.getByRole('region', { name: HOSTILE }).count()).toBe(1);
    await screenshot(page, 'funnel-phone');
  });

  it('groups by another attribute and offers the figures as CSV', async () => {
    const page = await h.signIn(org.marketingHead.token);
    await page.goto('/reports/funnel?from=2026-11-01&to=2026-11-30');
    await page.getByRole('combobox', { name: 'Group by' }).selectOption('score');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('by') === 'score');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(expect.arrayContaining(['warm', 'hot', 'cold']));
    await expectPageOk(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'CSV' }).click();
    expect((await download).suggestedFilename()).toBe('funnel-report-2026-11-01-to-2026-11-30-by-score.csv');
    await page.goto('/reports/funnel?from=2026-11-01&to=2026-11-30&by=source');
    await screenshot(page, 'funnel');
  });
});
