import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

const NOVEMBER = { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' };
const DATABASE = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';

interface GroupStage {
  stageId: string;
  name: string;
  entered: number;
  reasons?: { reason: string; count: number }[];
  competitors?: { competitor: string; count: number }[];
}
interface Group {
  key: string | null;
  stages: GroupStage[];
  conversions: { from: string; to: string; percent: number | null; medianSeconds: number | null }[];
  winRate: number | null;
  neverWorked: { count: number; subjects: { subject: string; enteredAt: string }[] } | null;
  compliance: { agreement: string; target: string; met: number; breached: number; percent: number | null }[];
}

const stageOf = (group: Group, name: string) => group.stages.find((stage) => stage.name === name) as GroupStage;
const groupOf = (groups: Group[], key: string) => groups.find((group) => group.key === key) as Group;
/** Stage name → entered, for the stages that were entered. */
const enteredOf = (group: Group) => Object.fromEntries(group.stages.filter((stage) => stage.entered > 0).map((stage) => [stage.name, stage.entered]));

/**
 * Issue 14, "The funnel report": the twenty leads of the closed loop (funnel-fixture) give exactly
 * the funnel by source, as JSON and CSV, on the page and by email; "Hot leads are called
 * fast" measures the trade-show leads' first calls (TS-1…TS-4 called within the hour, TS-5 after
 * three and a half) and WB-1's (warm, called within the hour).
 */
describe(`the funnel report (${DATABASE})`, () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;

  const report = (query: Record<string, string | number>) => t.as(org.marketingMember.token).get('/api/reports/funnel').query({ ...NOVEMBER, format: 'json', ...query });

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    t.clock.set('2026-12-15T08:00:00Z');
    stages = await createFunnel(t, org);
    await sendClosedLoop(t, org);
    // First calls, 10:00 Paris on the MQL's day (09:00 UTC, as the fixture's MQLs).
    const calls = [
      ...['TS-1', 'TS-2', 'TS-3', 'TS-4'].map((subject, i) => [subject, 'hot', `2026-11-0${2 + i}T09:00:00Z`, `2026-11-0${2 + i}T09:30:00Z`]),
      ['TS-5', 'hot', '2026-11-06T09:00:00Z', '2026-11-06T12:30:00Z'],
      ['WB-1', 'warm', '2026-11-16T09:00:00Z', '2026-11-16T10:00:00Z'],
    ];
    const sent = await t
      .as(org.marketingMember.token)
      .post('/api/events')
      .send(calls.flatMap(([subject, score, handedOver, contacted]) => [crmEvent('lead.handed_over', subject, handedOver, { score }), crmEvent('lead.contacted', subject, contacted)]));
    expect(sent.body.accepted).toBe(12);
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('gives the funnel of the issue by source, as JSON', async () => {
    const answer = await report({ by: 'source' });
    expect(answer.status).toBe(200);
    const body = answer.body as { from: string; to: string; by: string; stages: GroupStage[]; groups: Group[] };
    expect(body).toMatchObject({ from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z', by: 'source', neverWorkedDays: 14 });
    // Counted stages in funnel order (Lead has no entering event), the sums over the groups.
    expect(body.stages.map((stage) => [stage.name, stage.entered])).toEqual([
      ['MQL', 20],
      ['Rejected', 4],
      ['SAL', 0],
      ['SQL', 8],
      ['Won', 3],
      ['Lost', 4],
      ['Recycled', 0],
    ]);
    expect(body.stages[0].stageId).toBe(stages.MQL);
    expect(body.groups.map((group) => group.key)).toEqual(['trade-show', 'webinar']);

    const tradeShow = groupOf(body.groups, 'trade-show');
    expect(enteredOf(tradeShow)).toEqual({ MQL: 10, Rejected: 1, SQL: 6, Won: 3, Lost: 2 });
    expect(stageOf(tradeShow, 'Lost')).toEqual({
      stageId: stages.Lost,
      name: 'Lost',
      entered: 2,
      // As many of each: in the order they were first seen (TS-4's loss came before TS-5's).
      reasons: [
        { reason: 'price', count: 1 },
        { reason: 'competitor', count: 1 },
      ],
      competitors: [{ competitor: 'Acme', count: 1 }],
    });
    expect(stageOf(tradeShow, 'Rejected').reasons).toEqual([{ reason: 'duplicate', count: 1 }]);
    expect(stageOf(tradeShow, 'SQL').reasons).toBeUndefined();
    expect(tradeShow.winRate).toBe(60);
    expect(tradeShow.conversions.find((conversion) => conversion.to === 'SQL')).toMatchObject({ from: 'MQL', to: 'SQL', percent: 60, medianSeconds: 86400 });
    expect(tradeShow.conversions.find((conversion) => conversion.to === 'Won')).toMatchObject({ percent: 30 });
    expect(tradeShow.conversions.find((conversion) => conversion.to === 'SAL')).toMatchObject({ percent: 0, medianSeconds: null });
    // TS-6 became an SQL on 10 November and nothing happened since.
    expect(tradeShow.neverWorked).toEqual({ count: 1, subjects: [{ subject: 'TS-6', enteredAt: '2026-11-10T09:00:00.000Z' }] });
    expect(tradeShow.compliance).toEqual([{ agreementId: expect.any(String), agreement: 'Hot leads are called fast', target: 'hot', met: 4, breached: 1, percent: 80 }]);

    const webinar = groupOf(body.groups, 'webinar');
    expect(enteredOf(webinar)).toEqual({ MQL: 10, Rejected: 3, SQL: 2, Lost: 2 });
    expect(stageOf(webinar, 'Lost').reasons).toEqual([{ reason: 'no budget', count: 2 }]);
    expect(stageOf(webinar, 'Lost').competitors).toBeUndefined();
    expect(stageOf(webinar, 'Rejected').reasons).toEqual([
      { reason: 'not our market', count: 2 },
      { reason: 'student', count: 1 },
    ]);
    expect(webinar.winRate).toBe(0);
    expect(webinar.conversions.find((conversion) => conversion.to === 'SQL')).toMatchObject({ percent: 20, medianSeconds: 86400 });
    expect(webinar.neverWorked).toEqual({ count: 0, subjects: [] });
    expect(webinar.compliance).toEqual([{ agreementId: expect.any(String), agreement: 'Hot leads are called fast', target: 'warm', met: 1, breached: 0, percent: 100 }]);
  });

  it('gives one group, "all", without by, and groups by any attribute of the entering event', async () => {
    const all = await report({});
    expect(all.status).toBe(200);
    expect(all.body.by).toBeNull();
    expect(all.body.groups).toHaveLength(1);
    expect(all.body.groups[0].key).toBe('all');
    expect(enteredOf(all.body.groups[0])).toEqual({ MQL: 20, Rejected: 4, SQL: 8, Won: 3, Lost: 4 });
    expect(all.body.groups[0].winRate).toBe(42.9);

    const byScore = await report({ by: 'score' });
    expect(byScore.body.groups.map((group: Group) => [group.key, stageOf(group, 'MQL').entered])).toEqual([
      ['warm', 10],
      ['cold', 5],
      ['hot', 5],
    ]);
    // No MQL event carries a region: every lead falls in the group without it.
    const byRegion = await report({ by: 'region' });
    expect(byRegion.body.groups.map((group: Group) => [group.key, stageOf(group, 'MQL').entered])).toEqual([[null, 20]]);
  });

  it('counts the later stages of a cohort whenever they happened, and only that cohort', async () => {
    // The MQLs of 16–27 November are the webinar's: the wins and losses of December still count.
    const late = await report({ from: '2026-11-16T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00', by: 'source' });
    expect(late.body.groups.map((group: Group) => group.key)).toEqual(['webinar']);
    expect(enteredOf(late.body.groups[0])).toEqual({ MQL: 10, Rejected: 3, SQL: 2, Lost: 2 });
    const december = await report({ from: '2026-12-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00', by: 'source' });
    expect(december.body.groups).toEqual([]);
    expect(december.body.stages.every((stage: GroupStage) => stage.entered === 0)).toBe(true);
  });

  it('answers CSV: a row per group and stage, then its reasons and competitors', async () => {
    const answer = await t.as(org.salesHead.token).get('/api/reports/funnel').query({ ...NOVEMBER, by: 'source', format: 'csv' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="funnel-report-2026-11-01-to-2026-11-30-by-source.csv"');
    const rows: Record<string, string>[] = parse(answer.text, { columns: true, bom: true });
    const tradeShow = rows.filter((row) => row.group === 'trade-show');
    expect(tradeShow.filter((row) => row.detail === '').map((row) => [row.stage, row.entered, row.percent_of_cohort, row.median_seconds, row.win_rate])).toEqual([
      ['MQL', '10', '100', '', '60'],
      ['Rejected', '1', '10', '86400', '60'],
      ['SAL', '0', '0', '', '60'],
      ['SQL', '6', '60', '86400', '60'],
      ['Won', '3', '30', expect.any(String), '60'],
      ['Lost', '2', '20', expect.any(String), '60'],
      ['Recycled', '0', '0', '', '60'],
    ]);
    expect(tradeShow.filter((row) => row.detail !== '').map((row) => [row.stage, row.detail, row.value, row.count])).toEqual([
      ['Rejected', 'reason', 'duplicate', '1'],
      ['Lost', 'reason', 'price', '1'],
      ['Lost', 'reason', 'competitor', '1'],
      ['Lost', 'competitor', 'Acme', '1'],
    ]);
    const webinar = rows.filter((row) => row.group === 'webinar');
    expect(webinar.find((row) => row.stage === 'Lost' && row.detail === '')).toMatchObject({ entered: '2', win_rate: '0' });
    expect(webinar.find((row) => row.stage === 'Lost' && row.detail === 'reason')).toMatchObject({ value: 'no budget', count: '2' });
    expect(rows).toHaveLength(tradeShow.length + webinar.length);
  });

  it('answers HTML and text in the reader\'s zone, with the cohort rule', async () => {
    const html = await t.as(org.marketingHead.token).get('/api/reports/funnel').query({ ...NOVEMBER, by: 'source' });
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('Funnel by source');
    expect(html.text).toContain('Leads that entered MQL from 2026-11-01 to 2026-11-30; their later stages count whenever they happened.');
    expect(html.text).toContain('price 1 · competitor 1');
    const text = await t.as(org.marketingHead.token).get('/api/reports/funnel').query({ ...NOVEMBER, by: 'source', format: 'text' });
    expect(text.text).toContain('trade-show: 10 leads, win rate 60 %');
    expect(text.text).toContain('Never worked (SQL for 14+ days, no outcome): 1: TS-6');
    expect(text.text).toContain('Hot leads are called fast, hot: 80 % met (4 of 5 decided)');
  });

  it.each([
    [{ by: 'source; DROP TABLE events' }, 'by'],
    [{ by: 'a"b' }, 'by'],
    [{ by: '' }, 'by'],
    [{ by: 'x'.repeat(101) }, 'by'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-12-01' }, 'to'],
    [{ to: '2026-10-01T00:00:00Z' }, 'to'],
    [{ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
    [{ neverWorkedDays: 0 }, 'neverWorkedDays'],
    [{ neverWorkedDays: 'soon' }, 'neverWorkedDays'],
    [{ format: 'pdf' }, 'format'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const answer = await report(query as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors)).toContain(field);
  });

  it('refuses a request without a token and the hostile input every query is checked for', async () => {
    expect((await t.as('cnc_nobody').get('/api/reports/funnel').query({ ...NOVEMBER, format: 'json' })).status).toBe(401);
    const nul = await report({ by: 'source\u0000' });
    expect(nul.status).toBe(400);
    expect(Object.keys(nul.body.errors)).toContain('by');
  });

  it('renders the funnel page for a signed-in head, with the chart, the table and the links to CSV and JSON', async () => {
    const session = await pageSession(t, org.marketingHead.token);
    const page = await session.get('/reports/funnel?from=2026-11-01&to=2026-11-30&by=source');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('trade-show');
    expect(page.text).toMatch(/<th scope="col">Stage<\/th>/);
    expect(page.text).toContain('price 1 · competitor 1');
    expect(page.text).toContain('Acme 1');
    expect(page.text).toContain('TS-6');
    expect(page.text).toContain('Hot leads are called fast');
    const query = 'from=2026-11-01&amp;to=2026-11-30&amp;by=source&amp;neverWorkedDays=14';
    // Handlebars writes "=" in attributes as &#x3D;.
    const links = page.text.replace(/&#x3D;/g, '=');
    expect(links).toContain(`href="/reports/funnel.csv?${query}"`);
    expect(links).toContain(`href="/reports/funnel.json?${query}"`);
    expect(links).toContain('GET /api/reports/funnel?from=2026-10-31T23%3A00%3A00.000Z&amp;to=2026-11-30T23%3A00%3A00.000Z&amp;by=source&amp;neverWorkedDays=14&amp;format=json');
    expect(page.text).toContain('<a href="/reports/funnel" aria-current="page">Funnel</a>');
    const csv = await session.get(`/reports/funnel.csv?${query.replace(/&amp;/g, '&')}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text).toContain('trade-show,Lost,2,20,');
    const json = await session.get(`/reports/funnel.json?${query.replace(/&amp;/g, '&')}`);
    expect(json.status).toBe(200);
    expect(json.body.groups.map((group: Group) => group.key)).toEqual(['trade-show', 'webinar']);
    // The default window: the last 90 days, by source.
    const defaults = await session.get('/reports/funnel');
    expect(defaults.status).toBe(200);
    expect(defaults.text).toContain('value="2026-09-17"');
    expect(defaults.text).toContain('value="2026-12-15"');
    const refused = await session.get('/reports/funnel?from=yesterday&by=a%22b');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('from must be a date such as 2026-11-02');
    expect((await request(t.server).get('/reports/funnel')).status).toBe(303);
  });

  it('emails the funnel by source of last month to a head who subscribed to it', async () => {
    t.clock.set('2026-11-20T12:00:00Z');
    try {
      const created = await t.as(org.marketingHead.token).post('/api/subscriptions').send({ report: 'funnel', schedule: 'every month on day 1 09:00' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ report: 'funnel', nextAt: '2026-12-01T08:00:00.000Z' });
      const refused = await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'funnel', schedule: 'every month on day 1 09:00', departmentIds: [org.sales.id] });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.errors)).toEqual(['departmentIds']);

      t.clock.set('2026-12-01T08:00:30Z');
      expect((await t.as().post('/api/admin/sweep')).body.reportsQueued).toBe(1);
      await t.as().post('/api/notifications/dispatch');
      const mails = sink.messages.filter((mail) => mail.subject?.startsWith('Funnel by source'));
      // The cohort between two occurrences: from 1 November 09:00 to 1 December 09:00, Paris time.
      expect(mails.map((mail) => mail.subject)).toEqual(['Funnel by source 2026-11-01 – 2026-12-01']);
      const [mail] = mails;
      expect(JSON.stringify(mail.to)).toContain(org.marketingHead.email);
      expect(mail.text).toContain('trade-show: 10 leads, win rate 60 %');
      expect(mail.text).toMatch(/SQL\s+6\s+60 %/);
      expect(mail.text).toContain('Lost: price 1 · competitor 1; lost to Acme 1');
      expect(mail.text).toContain('webinar: 10 leads, win rate 0 %');
      expect(mail.text).toContain('Lost: no budget 2');
      expect(mail.html).toContain('trade-show');
      expect(mail.html).toContain('Acme 1');
    } finally {
      t.clock.set('2026-12-15T08:00:00Z');
    }
  });
  it('emails the same funnel to a Russian head in Russian, its subject too (issue 15)', async () => {
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale: 'ru' })).status).toBe(200);
    t.clock.set('2026-11-20T12:00:00Z');
    try {
      expect((await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'funnel', schedule: 'every month on day 1 09:00' })).status).toBe(201);
      t.clock.set('2026-12-01T08:00:30Z');
      // The marketing head's subscription of the test before is due again too (the outbox keeps it from being sent twice).
      expect((await t.as().post('/api/admin/sweep')).body.reportsQueued).toBeGreaterThanOrEqual(1);
      await t.as().post('/api/notifications/dispatch');
      const mails = sink.messages.filter((mail) => JSON.stringify(mail.to).includes(org.salesHead.email) && mail.subject?.startsWith('Воронка по source'));
      expect(mails.map((mail) => mail.subject)).toEqual(['Воронка по source, 2026-11-01 – 2026-12-01']);
      const [mail] = mails;
      expect(mail.text).toMatch(/trade-show: 10 лидов, доля выигранных 60\s%/);
      expect(mail.text).toContain('Lost: price 1 · competitor 1; проиграно Acme 1');
      expect(mail.text).not.toContain('win rate');
      expect(mail.html).toContain('<html lang="ru" dir="ltr">');
    } finally {
      t.clock.set('2026-12-15T08:00:00Z');
      await t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale: null });
    }
  });
});

describe(`the funnel report after late events (${DATABASE})`, () => {
  let t: TestApp;
  let org: SeededOrg;

  const tradeShow = async (): Promise<Group> => {
    const answer = await t.as(org.salesHead.token).get('/api/reports/funnel').query({ ...NOVEMBER, by: 'source', format: 'json' });
    expect(answer.status).toBe(200);
    return groupOf(answer.body.groups, 'trade-show');
  };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-12-15T08:00:00Z');
    await createFunnel(t, org);
    await sendClosedLoop(t, org);
  });
  afterAll(async () => t?.close());

  it('counts an event that arrives late at once: a new lead, a win, an SQL nobody worked', async () => {
    const before = await tradeShow();
    expect(enteredOf(before)).toEqual({ MQL: 10, Rejected: 1, SQL: 6, Won: 3, Lost: 2 });
    expect(before.neverWorked?.subjects.map((lead) => lead.subject)).toEqual(['TS-6']);

    const sent = await t
      .as(org.marketingMember.token)
      .post('/api/events')
      .send([
        crmEvent('lead.mql', 'TS-11', '2026-11-20T09:00:00Z', { source: 'trade-show' }),
        crmEvent('lead.won', 'TS-6', '2026-12-04T10:00:00Z', { amount: 5000 }),
        crmEvent('lead.sql', 'TS-8', '2026-11-12T09:00:00Z'),
      ]);
    expect(sent.body.accepted).toBe(3);

    const after = await tradeShow();
    expect(enteredOf(after)).toEqual({ MQL: 11, Rejected: 1, SQL: 7, Won: 4, Lost: 2 });
    expect(after.winRate).toBe(66.7);
    expect(after.conversions.find((conversion) => conversion.to === 'SQL')).toMatchObject({ percent: 63.6, medianSeconds: 86400 });
    // TS-6 has its outcome now; TS-8 became an SQL a month ago and has none.
    expect(after.neverWorked).toEqual({ count: 1, subjects: [{ subject: 'TS-8', enteredAt: '2026-11-12T09:00:00.000Z' }] });
  });
});
