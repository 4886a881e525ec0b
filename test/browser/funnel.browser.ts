import { CONVERSION_EXAMPLE } from '../../src/agreements/agreements.dto.js';
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
    const stages = await createFunnel(t, org);
    await sendClosedLoop(t, org);
    await signAgreement(t, org, {
      name: 'MQLs become SQLs',
      providerDepartmentId: org.marketing.id,
      consumerDepartmentId: org.sales.id,
      calendarId,
      measureFrom: '2026-11-01T00:00:00+01:00',
      conversion: { ...CONVERSION_EXAMPLE, fromStageId: stages.MQL, toStageId: stages.SQL },
    });
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
    expect((await t.as().post('/api/admin/sweep')).status).toBeLessThan(300);
  });

  it('shows both heads the same dashboard funnel, loss reasons and shared KPI', async () => {
    const read = async (token: string, width?: number) => {
      const page = await h.signIn(token, width);
      await expectPageOk(page);
      const funnel = page.getByRole('region', { name: 'Funnel of the last 90 days, by source' });
      const kpis = page.getByRole('region', { name: 'Shared KPIs' });
      return {
        page,
        all: await funnel.getByRole('img', { name: /^All sources/ }).getAttribute('aria-labelledby'),
        chart: await funnel.locator('#funnel-all-chart-title').textContent(),
        rows: await funnel.getByRole('row').allInnerTexts(),
        reasons: await funnel.getByRole('listitem').allTextContents(),
        kpi: await kpis.getByRole('article').filter({ hasText: 'MQLs become SQLs' }).getByRole('img', { name: /six months/i }).getAttribute('aria-label'),
      };
    };
    const marketing = await read(org.marketingHead.token);
    expect(marketing.chart).toBe('All sources: MQL 21, Rejected 4 (19 %), SAL 0 (0 %), SQL 8 (38.1 %), Won 3 (14.3 %), Lost 4 (19 %), Recycled 0 (0 %).');
    expect(marketing.rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(
      expect.arrayContaining(['trade-show 10 1 0 6 3 2 0 60 %', 'webinar 10 3 0 2 0 2 0 0 %']),
    );
    expect(marketing.reasons.join(' | ')).toContain('Lost: no budget 2 · price 1 · competitor 1; lost to Acme 1');
    // 21 MQLs in November with X-1, of which 8 became SQLs.
    expect(marketing.kpi).toContain('Nov 2026 38.1 %');
    await screenshot(marketing.page, 'dashboard-closed-loop');
    const sales = await read(org.salesHead.token, 375);
    expect({ ...sales, page: null }).toEqual({ ...marketing, page: null });
    await screenshot(sales.page, 'dashboard-closed-loop-phone');
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
