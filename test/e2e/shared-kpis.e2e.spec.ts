import { parse } from 'csv-parse/sync';
import { createCalendar, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, mqlsBecomeSqls, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { createPerson, seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

const NOVEMBER = { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' };
const DECEMBER = { from: '2026-12-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' };
/** The missed November of the closed-loop data, as every format of the breach report names its breach. */
const NOVEMBER_MISSED = 'MQL → SQL, November 2026: 8 of 20 (40 %), minimum 50 %';
/** The columns of the breach report's CSV before shared KPIs: they keep their names and places. */
const FIRST_COLUMNS = ['agreement', 'kind', 'subject', 'target', 'owner', 'department', 'due', 'late_seconds', 'shortfall', 'explained', 'cause', 'corrective_action', 'still_open'];

interface AgendaItemBody {
  source: string;
  title: string;
  details: { agreementId: string; fromStage: string; toStage: string; periods: Record<string, unknown>[] } | null;
}

/**
 * Issue 14's shared KPI on the closed-loop data (20 MQLs in November, 8 SQLs within ten business
 * days: 40 % against a 50 % minimum) in the breach report and on the joint meetings' agenda:
 * read on Saturday 5 December while November is still open (the last window ends Friday 11
 * December, 10:00 Paris), then after the sweep has closed it as missed, and in the monthly email
 * of 1 January. The story runs once in beforeAll; each test reads what it kept.
 */
describe(`shared KPIs in the breach report and on the agenda (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;
  let agreementId: string;
  let joint: string;
  let salesAndProduct: string;
  let productAndSupport: string;
  const open = {} as { json: Record<string, any>; html: string; text: string; agenda: AgendaItemBody[] };
  const closed = {} as { november: Record<string, any>; json: Record<string, any>; html: string; text: string; csv: string; agenda: AgendaItemBody[]; room: string };
  const agendas = {} as { salesAndProduct: AgendaItemBody[]; productAndSupport: AgendaItemBody[] };
  let email: { html: string; text: string };

  const report = async (window: { from: string; to: string }, format: string, token = org.salesHead.token) => {
    const answer = await t.as(token).get('/api/reports/breaches').query({ ...window, format });
    expect(answer.status).toBe(200);
    return answer;
  };
  const series = async (body: object) => {
    const created = await t.as().post('/api/meeting-series').send(body);
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  /** Builds the agenda of the series' first meeting from `after` on. */
  const agendaOf = async (seriesId: string, after: string, token = org.salesHead.token): Promise<{ meetingId: string; agenda: AgendaItemBody[] }> => {
    const meetings = (await t.as().get('/api/meetings').query({ seriesId })).body.items as { id: string; startsAt: string }[];
    const meeting = meetings.filter((m) => m.startsAt >= after).sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
    const built = await t.as(token).post(`/api/meetings/${meeting.id}/agenda/build`);
    expect(built.status).toBe(200);
    return { meetingId: meeting.id, agenda: built.body.agenda };
  };
  const sweep = async (at: string) => {
    t.clock.set(at);
    const answer = await t.as().post('/api/admin/sweep');
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    t.clock.set('2026-12-05T08:00:00Z');
    stages = await createFunnel(t, org);
    const calendarId = await createCalendar(t);
    joint = await series(monthlyMeeting(org, { startsOn: '2026-12-07T10:00', rrule: 'FREQ=WEEKLY;COUNT=2' }));
    const product = await t.as().post('/api/departments').send({ name: 'Product', timezone: 'Europe/Paris' });
    const support = await t.as().post('/api/departments').send({ name: 'Support', timezone: 'Europe/Paris' });
    const productHead = await createPerson(t, { name: 'Pia Head', email: 'pia@example.com', role: 'head', departmentId: product.body.id });
    const supportHead = await createPerson(t, { name: 'Sven Head', email: 'sven@example.com', role: 'head', departmentId: support.body.id });
    const twoOf = (title: string, departmentIds: string[], chairId: string, other: string) =>
      monthlyMeeting(org, {
        title,
        departmentIds,
        startsOn: '2026-12-16T10:00',
        rrule: 'FREQ=WEEKLY;COUNT=1',
        chairId,
        participants: [
          { personId: chairId, role: 'required' },
          { personId: other, role: 'required' },
        ],
      });
    salesAndProduct = await series(twoOf('Sales & Product', [org.sales.id, product.body.id], org.salesHead.id, productHead.id));
    productAndSupport = await series(twoOf('Product & Support', [product.body.id, support.body.id], productHead.id, supportHead.id));
    await sendClosedLoop(t, org);
    agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages, { measureFrom: '2026-11-01T00:00:00+01:00' }));

    // Saturday 5 December: November is open, its last window running.
    open.json = (await report(NOVEMBER, 'json')).body;
    open.html = (await report(NOVEMBER, 'html')).text;
    open.text = (await report(NOVEMBER, 'text')).text;
    open.agenda = (await agendaOf(joint, '2026-12-07')).agenda;

    // Friday 11 December, 10:00 Paris: the last window has passed, November is missed.
    expect(await sweep('2026-12-11T09:00:00Z')).toMatchObject({ conversionsClosed: 1, conversionsMissed: 1 });
    t.clock.set('2026-12-11T10:00:00Z');
    closed.november = (await report(NOVEMBER, 'json')).body;
    closed.json = (await report(DECEMBER, 'json')).body;
    closed.html = (await report(DECEMBER, 'html')).text;
    closed.text = (await report(DECEMBER, 'text')).text;
    closed.csv = (await report(DECEMBER, 'csv')).text;
    const rebuilt = await agendaOf(joint, '2026-12-14', org.marketingHead.token);
    closed.agenda = rebuilt.agenda;
    const room = await (await pageSession(t, org.marketingHead.token)).get(`/meetings/${rebuilt.meetingId}`);
    expect(room.status).toBe(200);
    closed.room = room.text;
    agendas.salesAndProduct = (await agendaOf(salesAndProduct, '2026-12-16')).agenda;
    agendas.productAndSupport = (await agendaOf(productAndSupport, '2026-12-16', productHead.token)).agenda;

    // The monthly report the head of Sales subscribes to, sent on 1 January for December.
    const subscribed = await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every month on day 1 09:00' });
    expect(subscribed.status).toBe(201);
    expect(await sweep('2027-01-01T08:00:30Z')).toMatchObject({ reportsQueued: 1 });
    expect((await t.as().post('/api/notifications/dispatch')).body.failed).toBe(0);
    const mails = sink.to(org.salesHead.email).filter((mail) => mail.subject?.startsWith('Breach report'));
    expect(mails).toHaveLength(1);
    email = { html: typeof mails[0].html === 'string' ? mails[0].html : '', text: mails[0].text ?? '' };
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('gives a conversion agreement its own section in JSON, not a quota with no periods: November open, projected', () => {
    expect(open.json.quotas).toEqual([]);
    expect(open.json.conversions).toEqual([
      {
        agreementId,
        name: 'MQLs become SQLs',
        provider: { id: org.marketing.id, name: 'Marketing' },
        consumer: { id: org.sales.id, name: 'Sales' },
        metPercent: null,
        previousMetPercent: null,
        goalMet: null,
        breaches: 0,
        previousBreaches: 0,
        fromStage: 'MQL',
        toStage: 'SQL',
        terms: 'MQL → SQL within 10 business days, ≥ 50 % a month',
        periods: [
          {
            label: '2026-11',
            start: '2026-10-31T23:00:00.000Z',
            end: '2026-11-30T23:00:00.000Z',
            cohort: 20,
            converted: 8,
            percent: 40,
            minimumPercent: 50,
            status: 'open',
            projected: 53.33,
            closesAt: '2026-12-11T09:00:00.000Z',
          },
        ],
      },
    ]);
    expect(open.json.headline).toMatchObject({ agreementsInForce: 1, metGoal: 0, missedGoal: 0, undecided: 1, breaches: 0 });
  });

  it('shows the open period in the HTML and text, under Shared KPIs and not under Quotas', () => {
    const quotas = open.html.slice(open.html.indexOf('>Quotas</h2>'), open.html.indexOf('>Shared KPIs</h2>'));
    expect(quotas).toContain('No quota in force.');
    expect(quotas).not.toContain('MQLs become SQLs');
    const kpis = open.html.slice(open.html.indexOf('>Shared KPIs</h2>'), open.html.indexOf('>Breaches</h2>'));
    expect(kpis).toContain('MQLs become SQLs');
    expect(kpis).toContain('Marketing and Sales · MQL → SQL within 10 business days, ≥ 50 % a month');
    expect(kpis).toContain('<strong>8</strong> of 20 (40 %)');
    expect(kpis).toContain('minimum 50 %');
    expect(kpis).toContain('open, projected 53.3 % · closes 2026-12-11');
    // 40 % of a 50 % minimum: the bar is four fifths full.
    expect(kpis).toContain('width:80%');

    expect(open.text).toContain(
      [
        'SHARED KPIS',
        '',
        '  MQLs become SQLs',
        '  Marketing and Sales: not decided yet',
        '  MQL → SQL within 10 business days, ≥ 50 % a month',
        '    2026-11   8 of 20   40 %   min 50 %   open, projected 53.3 %',
      ].join('\n'),
    );
    for (const line of open.text.split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('names the missed period as the subject of its breach in JSON, in the report of the month it was decided', () => {
    expect(closed.json.conversions[0]).toMatchObject({ metPercent: 0, previousMetPercent: 0, goalMet: false, breaches: 1, previousBreaches: 0 });
    // November, decided in December, beside the running December.
    expect(closed.json.conversions[0].periods).toEqual([
      expect.objectContaining({ label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50, status: 'missed', projected: null, closesAt: '2026-12-11T09:00:00.000Z' }),
      expect.objectContaining({ label: '2026-12', cohort: 0, converted: 0, percent: null, status: 'open', projected: null }),
    ]);
    expect(closed.json.headline).toMatchObject({ agreementsInForce: 1, metGoal: 0, missedGoal: 1, undecided: 0, breaches: 1, unexplained: 1 });
    expect(closed.json.breaches).toEqual([
      expect.objectContaining({
        agreementId,
        kind: 'conversion',
        subject: NOVEMBER_MISSED,
        period: '2026-11',
        shortfall: 2,
        conversion: { label: '2026-11', periodName: 'November 2026', fromStage: 'MQL', toStage: 'SQL', cohort: 20, converted: 8, percent: 40, minimumPercent: 50 },
        dueAt: '2026-12-11T09:00:00.000Z',
        owner: { kind: 'department', id: org.marketing.id, name: 'Marketing' },
        lateSeconds: null,
        stillOpen: null,
        explained: false,
      }),
    ]);
    // The November report shows November decided, and leaves its breach to December's.
    expect(closed.november.conversions[0].periods).toEqual([expect.objectContaining({ label: '2026-11', status: 'missed' })]);
    expect(closed.november.conversions[0]).toMatchObject({ goalMet: false, breaches: 0 });
    expect(closed.november.breaches).toEqual([]);
  });

  it('gives the breach its period and figures in added CSV columns, the old ones in place', () => {
    const [header] = parse(closed.csv, { bom: true, to_line: 1 }) as string[][];
    expect(header).toEqual([...FIRST_COLUMNS, 'period', 'cohort', 'converted', 'percent', 'minimum_percent']);
    const rows: Record<string, string>[] = parse(closed.csv, { bom: true, columns: true });
    expect(rows).toEqual([
      {
        agreement: 'MQLs become SQLs',
        kind: 'conversion',
        subject: NOVEMBER_MISSED,
        target: '',
        owner: 'Marketing',
        department: 'Marketing',
        due: '2026-12-11T10:00:00+01:00',
        late_seconds: '',
        shortfall: '2',
        explained: 'no',
        cause: '',
        corrective_action: '',
        still_open: '',
        period: '2026-11',
        cohort: '20',
        converted: '8',
        percent: '40',
        minimum_percent: '50',
      },
    ]);
  });

  it('shows the breach as its period in the HTML and text, with the conversions it lacked', () => {
    const breaches = closed.html.slice(closed.html.indexOf('>Breaches</h2>'));
    expect(breaches).toContain(`<strong>${NOVEMBER_MISSED}</strong> · MQLs become SQLs`);
    expect(breaches).toContain('Short: <strong>2 conversions below the minimum</strong>');
    expect(closed.html).not.toContain('(no subject)');
    const kpis = closed.html.slice(closed.html.indexOf('>Shared KPIs</h2>'), closed.html.indexOf('>Breaches</h2>'));
    expect(kpis).toContain('missed, 2 short');
    expect(kpis).toContain('goal missed');

    expect(closed.text).toContain('    2026-11   8 of 20   40 %   min 50 %   missed, 2 short');
    expect(closed.text).toContain(`  ${NOVEMBER_MISSED}, MQLs become SQLs\n    Owner  Marketing\n`);
    expect(closed.text).toContain('    Short  2 conversions below the minimum');
    expect(closed.text).not.toContain('(no subject)');
    for (const line of closed.text.split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('sends the same in the monthly email', () => {
    expect(email.html).toContain('>Shared KPIs</h2>');
    expect(email.html).toContain(`<strong>${NOVEMBER_MISSED}</strong>`);
    expect(email.text).toContain('SHARED KPIS');
    expect(email.text).toContain('    2026-11   8 of 20   40 %   min 50 %   missed, 2 short');
    expect(email.text).toContain(`  ${NOVEMBER_MISSED}, MQLs become SQLs`);
  });

  it("puts the KPI's open period on the agenda, with where it is heading", () => {
    const kpis = open.agenda.filter((item) => item.source === 'kpis');
    expect(kpis).toHaveLength(1);
    expect(kpis[0].title).toBe('Shared KPI "MQLs become SQLs" (MQL → SQL, at least 50 %): 2026-11 8 of 20 (40 %) so far, projected 53.33 %; 2026-12 0 of 0 so far');
    expect(kpis[0].details).toEqual({
      agreementId,
      fromStage: 'MQL',
      toStage: 'SQL',
      periods: [
        { label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50, status: 'open', projected: 53.33, closesAt: '2026-12-11T09:00:00.000Z', onTrack: true },
        { label: '2026-12', cohort: 0, converted: 0, percent: null, minimumPercent: 50, status: 'open', projected: null, closesAt: '2026-12-31T23:00:00.000Z', onTrack: null },
      ],
      // The title again as a catalogue message, so each reader sees it in their language (issue 15).
      message: { key: 'meetings.agendaTitle.kpi', values: { name: 'MQLs become SQLs', from: 'MQL', to: 'SQL', minimum: 50 } },
    });
    // Right after the breaches and quotas, before the action items and briefs.
    expect(open.agenda.map((item) => item.source).filter((source) => source !== 'template')).toEqual(['kpis']);
  });

  it('puts the last closed period on the agenda once decided, and shows it in the meeting room', () => {
    const sources = closed.agenda.map((item) => item.source);
    expect(sources.indexOf('breaches')).toBeLessThan(sources.indexOf('kpis'));
    const kpi = closed.agenda.find((item) => item.source === 'kpis') as AgendaItemBody;
    expect(kpi.title).toBe('Shared KPI "MQLs become SQLs" (MQL → SQL, at least 50 %): 2026-11 8 of 20 (40 %), missed; 2026-12 0 of 0 so far');
    expect(kpi.details?.periods).toEqual([
      expect.objectContaining({ label: '2026-11', status: 'missed', cohort: 20, converted: 8, percent: 40, onTrack: false }),
      expect.objectContaining({ label: '2026-12', status: 'open' }),
    ]);
    expect(closed.room).toContain('<span class="badge">Shared KPI</span>');
    expect(closed.room).toContain('<tr><td>2026-11</td><td>8 of 20</td><td>40 %</td><td>50 %</td><td><span class="badge bad">missed</span></td><td>–</td></tr>');
  });

  it('is on the agenda of a series either department takes part in, and of no other', () => {
    expect(agendas.salesAndProduct.filter((item) => item.source === 'kpis').map((item) => item.details?.agreementId)).toEqual([agreementId]);
    expect(agendas.productAndSupport.filter((item) => item.source === 'kpis')).toEqual([]);
  });
});
