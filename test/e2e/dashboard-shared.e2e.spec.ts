import { CONVERSION_EXAMPLE } from '../../src/agreements/agreements.dto.js';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, sendClosedLoop } from '../support/funnel-fixture.js';
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

  it('opens at midnight on the first of a month in the agreement’s zone, with nothing counted this month yet', async () => {
    t.clock.set('2026-11-30T23:00:00Z');
    try {
      const page = await (await pageSession(t, org.marketingHead.token)).get('/');
      expect(page.status).toBe(200);
      expect(decode(page.text)).toContain('0 clocks this month');
    } finally {
      t.clock.set('2026-11-10T08:00:00Z');
    }
  });
});

describe(`the dashboard's funnel and shared KPIs (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  /** The funnel section and the shared KPIs of a head's dashboard, as text. */
  const sections = async (token: string) => {
    const html = decode((await (await pageSession(t, token)).get('/')).text);
    const raw = (from: string, to: string) => {
      const start = html.indexOf(from);
      return start < 0 ? '' : html.slice(start, html.indexOf(to, start));
    };
    const text = (part: string) => part.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const kpis = raw('id="kpis-title"', '</section>');
    return { kpis: text(kpis), kpisHtml: kpis, funnel: text(raw('id="funnel-title"', '</section>')), html };
  };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    await t.as().patch(`/api/people/${org.salesHead.id}`).send({ timezone: 'America/New_York' });
    const calendarId = await createCalendar(t);
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
    expect((await t.as().post('/api/admin/sweep')).status).toBeLessThan(300);
  });
  afterAll(async () => t?.close());

  it('shows the funnel of the last 90 days by source, with the loss reasons, the same for both heads', async () => {
    const marketing = await sections(org.marketingHead.token);
    const sales = await sections(org.salesHead.token);
    // Columns: leads (MQL), then Rejected, SAL, SQL, Won, Lost, Recycled, and the win rate.
    expect(marketing.funnel).toContain('Source Leads Rejected SAL SQL Won Lost Recycled Win rate');
    expect(marketing.funnel).toContain('trade-show 10 1 0 6 3 2 0 60 %');
    expect(marketing.funnel).toContain('webinar 10 3 0 2 0 2 0 0 %');
    expect(marketing.funnel).toContain('Lost : no budget 2 · price 1 · competitor 1; lost to Acme 1');
    expect(marketing.funnel).toContain('Rejected : not our market 2 · duplicate 1 · student 1');
    expect(marketing.html).toContain('<title id="funnel-all-chart-title">All sources: MQL 20, Rejected 4 (20 %), SAL 0 (0 %), SQL 8 (40 %), Won 3 (15 %), Lost 4 (20 %), Recycled 0 (0 %).</title>');
    // The dates of the cohort rule are written in each reader's zone; every figure is the same.
    const figures = (text: string) => text.replace(/from [^;]*;/, '');
    expect(figures(sales.funnel)).toBe(figures(marketing.funnel));
  });

  it('shows the shared KPI apart, with its period missed, the same for both heads', async () => {
    const marketing = await sections(org.marketingHead.token);
    const sales = await sections(org.salesHead.token);
    expect(marketing.kpis).toContain('MQLs become SQLs');
    // December is open and empty so far; November, the month before, missed at 40 %.
    expect(marketing.kpis).toContain('0 of 0 converted (–) in 2026-12, at least 50 % promised open Last closed: 8 of 20 (40 %) in 2026-11 missed');
    expect(marketing.kpisHtml).toContain('title="Nov 2026: 40 %"');
    expect(marketing.kpisHtml).toMatch(/class="col bad" style="height: 40%" title="Nov 2026: 40 %"/);
    expect(marketing.kpis).toContain('Both departments answer for it · shared conversion KPI');
    // Only the closing time is written in each reader's zone.
    const figures = (text: string) => text.replace(/Closes [^)]*\)\./, '');
    expect(figures(sales.kpis)).toBe(figures(marketing.kpis));
  });
});
