import { parse } from 'csv-parse/sync';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const NOVEMBER = { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' };
const SCRIPT = '<script>alert(1)</script>';
const CURLIES = '{{x}}';
const FORMULAS = ['=HYPERLINK("http://x")', '-2+3', '@SUM(A1)'];

/**
 * A month of "Hot leads are called fast" and a monthly quota of 5 EU MQLs on the 09:00–18:00
 * Paris calendar, with October as the previous period. The first-call stage has no owner until
 * 11 November, when Sofia takes it: the breaches before are the Sales department's, hers after.
 *
 * October: P-1 hot met, P-2 hot 1 h late, P-3 warm met; 3 MQLs of 5 (missed).
 * November: N-1 hot met, N-2 hot 1 h 30 late (explained), N-3 warm 2 h late; then, Sofia's:
 * <script> hot never called, {{x}} hot 2 h late, =HYPERLINK warm 4 h late, -2+3 hot 1 h late,
 * @SUM cold a business day late; N-4 cold met, N-5 hot met; 6 MQLs of 5 (met).
 */
describe('the breach report, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;
  let quota: string;
  let reader: SeededPerson;

  const send = async (instant: string, events: object[]) => {
    t.clock.set(instant);
    const sent = await t.as(org.marketingMember.token).post('/api/events').send(events);
    expect(sent.body.accepted).toBe(events.length);
  };
  const lead = (subject: string, score: string, handedOver: string, contacted?: string) => [
    crmEvent('lead.handed_over', subject, handedOver, { score }),
    ...(contacted ? [crmEvent('lead.contacted', subject, contacted)] : []),
  ];
  const mqls = (n: number, day: string) => Array.from({ length: n }, (_, i) => crmEvent('lead.mql', `M-${day}-${i}`, `${day}T10:00:00+01:00`, { region: 'EU' }));
  const report = (query: object, token = org.salesHead.token) => t.as(token).get('/api/reports/breaches').query({ ...NOVEMBER, ...query });

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    reader = await createPerson(t, { name: 'Nora Reader', email: 'nora@example.com', role: 'member', departmentId: org.sales.id, timezone: 'America/New_York' });
    const calendarId = await createCalendar(t);
    const stage = await t.as().post('/api/stages').send({ name: 'First call', departmentId: org.sales.id, doneDefinition: 'Sales has called the lead.' });
    expect(stage.status).toBe(201);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, { ...hotLeads(org, calendarId), stageId: stage.body.id });
    const monthly = qualifiedLeads(org, calendarId);
    monthly.quota.minimum = 5;
    quota = await signAgreement(t, org, monthly);

    await send('2026-10-30T12:00:00Z', [
      ...lead('P-1', 'hot', '2026-10-14T10:00:00+02:00', '2026-10-14T10:30:00+02:00'),
      ...lead('P-2', 'hot', '2026-10-15T10:00:00+02:00', '2026-10-15T12:00:00+02:00'),
      ...lead('P-3', 'warm', '2026-10-16T10:00:00+02:00', '2026-10-16T11:00:00+02:00'),
      ...mqls(3, '2026-10-20'),
    ]);
    t.clock.set('2026-11-01T00:00:30+01:00');
    expect((await t.as().post('/api/admin/sweep')).body).toMatchObject({ periodsMissed: 1 });

    await send('2026-11-11T17:00:00Z', [
      ...lead('N-1', 'hot', '2026-11-09T09:00:00+01:00', '2026-11-09T09:30:00+01:00'),
      ...lead('N-2', 'hot', '2026-11-10T09:00:00+01:00', '2026-11-10T11:30:00+01:00'),
      ...lead('N-3', 'warm', '2026-11-11T09:00:00+01:00', '2026-11-11T15:00:00+01:00'),
    ]);
    expect((await t.as().patch(`/api/stages/${stage.body.id}`).send({ ownerId: org.salesMember.id })).status).toBe(200);
    await send('2026-11-30T12:00:00Z', [
      ...lead(SCRIPT, 'hot', '2026-11-12T09:00:00+01:00'),
      ...lead(CURLIES, 'hot', '2026-11-12T10:00:00+01:00', '2026-11-12T13:00:00+01:00'),
      ...lead(FORMULAS[0], 'warm', '2026-11-13T09:00:00+01:00', '2026-11-13T17:00:00+01:00'),
      ...lead(FORMULAS[1], 'hot', '2026-11-16T09:00:00+01:00', '2026-11-16T11:00:00+01:00'),
      ...lead(FORMULAS[2], 'cold', '2026-11-17T09:00:00+01:00', '2026-11-20T09:00:00+01:00'),
      ...lead('N-4', 'cold', '2026-11-18T09:00:00+01:00', '2026-11-18T10:00:00+01:00'),
      ...lead('N-5', 'hot', '2026-11-19T09:00:00+01:00', '2026-11-19T09:45:00+01:00'),
      ...mqls(6, '2026-11-24'),
    ]);
    t.clock.set('2026-12-01T00:00:30+01:00');
    expect((await t.as().post('/api/admin/sweep')).body).toMatchObject({ periodsClosed: 1, periodsMissed: 0 });

    const late = await t.as().get('/api/breaches').query({ agreementId: hot, explained: false, ...NOVEMBER });
    const n2 = late.body.items.find((breach: { subject: string }) => breach.subject === 'N-2');
    const explained = await t.as(org.salesHead.token).post(`/api/breaches/${n2.id}/explanation`).send({
      cause: 'The lead came in during the Monday pipeline review; nobody watched the queue.',
      correctiveAction: 'A named backup watches the hot queue during team meetings.',
    });
    expect(explained.status).toBe(200);
    t.clock.set('2026-12-02T09:00:00Z');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers the model as JSON: headline, this period against the previous one, per target, worst offenders', async () => {
    const answer = await report({ format: 'json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const model = answer.body;
    expect(model).toMatchObject({
      timezone: 'Europe/Paris',
      department: null,
      period: { from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z' },
      previousPeriod: { from: '2026-10-01T23:00:00.000Z', to: '2026-10-31T23:00:00.000Z' },
      headline: { agreementsInForce: 2, metGoal: 1, missedGoal: 1, undecided: 0, breaches: 7, previousBreaches: 2, unexplained: 6 },
    });
    expect(model.responses).toHaveLength(1);
    expect(model.responses[0]).toMatchObject({
      agreementId: hot,
      name: 'Hot leads are called fast',
      provider: { id: org.sales.id, name: 'Sales' },
      consumer: { id: org.marketing.id, name: 'Marketing' },
      goalPercent: 95,
      goalMet: false,
      total: 10,
      met: 3,
      breached: 7,
      metPercent: 30,
      previousMetPercent: 66.67,
      breaches: 7,
      previousBreaches: 1,
    });
    expect(model.responses[0].targets.map((target: { name: string; breached: number }) => [target.name, target.breached])).toEqual([
      ['hot', 4],
      ['warm', 2],
      ['default', 1],
    ]);
    expect(model.quotas).toEqual([
      expect.objectContaining({ agreementId: quota, goalMet: true, metPercent: 100, previousMetPercent: 0, breaches: 0, previousBreaches: 1 }),
    ]);
    expect(model.quotas[0].periods).toEqual([expect.objectContaining({ label: '2026-11', count: 6, minimum: 5, status: 'met' })]);

    expect(model.breaches.map((breach: { subject: string }) => breach.subject)).toEqual(['N-2', 'N-3', SCRIPT, CURLIES, ...FORMULAS]);
    expect(model.breaches[0]).toMatchObject({ owner: { kind: 'department', name: 'Sales' }, lateSeconds: 5400, explained: true, cause: expect.stringContaining('pipeline review') });
    expect(model.breaches[3]).toMatchObject({ targetName: 'hot', owner: { kind: 'person', id: org.salesMember.id, name: 'Sofia Member' }, lateSeconds: 7200, explained: false, cause: null });
    expect(model.offenders).toEqual([
      { owner: { kind: 'person', id: org.salesMember.id, name: 'Sofia Member' }, breaches: 5, unexplained: 5 },
      { owner: { kind: 'department', id: org.sales.id, name: 'Sales' }, breaches: 2, unexplained: 1 },
    ]);
  });

  it('shows the running quota period with its pace, and names a missed period as the subject of its breach', async () => {
    const december = (await report({ format: 'json', from: '2026-12-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' })).body;
    expect(december.quotas[0].periods).toEqual([expect.objectContaining({ label: '2026-12', status: 'open', pace: expect.stringMatching(/^at this pace: \d+ of 5$/) })]);
    expect(december.headline).toMatchObject({ agreementsInForce: 2, undecided: 2, breaches: 0 });

    const october = (await report({ format: 'json', from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00' })).body;
    expect(october.breaches).toContainEqual(
      expect.objectContaining({ kind: 'quota', subject: '2026-10', shortfall: 2, owner: { kind: 'department', id: org.marketing.id, name: 'Marketing' } }),
    );
  });

  it('keeps to the agreements a department provides or consumes', async () => {
    const support = await t.as().post('/api/departments').send({ name: 'Support', timezone: 'Europe/Paris' });
    const none = (await report({ format: 'json', departmentId: support.body.id })).body;
    expect(none).toMatchObject({ department: { id: support.body.id, name: 'Support' }, responses: [], quotas: [], breaches: [], headline: { agreementsInForce: 0 } });
    const marketing = (await report({ format: 'json', departmentId: org.marketing.id })).body;
    expect(marketing.headline).toMatchObject({ agreementsInForce: 2, breaches: 7 });
  });

  it('renders the emailed HTML: key figures, times in the reader zone, hostile subjects escaped, nothing external', async () => {
    const answer = await report({});
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = answer.text;
    expect(html).toContain('2026-11-01 to 2026-11-30, against 2026-10-02 to 2026-10-31');
    expect(html).toContain('1 of 2');
    expect(html).toContain('5 more than the previous period (2)');
    expect(html).toContain('30 %');
    expect(html).toContain('66.7 %');
    expect(html).toContain('width:30%');
    expect(html).toContain('Breaches by target: hot 4 · warm 2 · default 1');
    expect(html).toContain('Tue 10 Nov 2026, 10:00 Europe/Paris (2026-11-10T10:00+01:00)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(SCRIPT);
    expect(html).toContain(CURLIES);
    expect(html).toContain('A named backup watches the hot queue during team meetings.');
    expect(html.match(/>unexplained</g)).toHaveLength(6);
    expect(html).not.toMatch(/<style|<link|<img|<script|src=|url\(/i);
  });

  it("renders the plain-text part unescaped, in the caller's own time zone, in lines a terminal shows whole", async () => {
    const answer = await report({ format: 'text' }, reader.token);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    const text = answer.text;
    expect(text).toContain(`${SCRIPT} (hot), Hot leads are called fast`);
    expect(text).toContain(CURLIES);
    expect(text).not.toContain('&lt;');
    expect(text).toContain('Tue 10 Nov 2026, 04:00 America/New_York (2026-11-10T04:00-05:00)');
    expect(text).toContain('    this period  [######--------------]  30 %');
    expect(text).toContain('    previous     [#############-------]  66.7 %');
    expect(text).toContain(
      ['  Owner                Breaches   Unexplained', '  Sofia Member                5             5', '  Sales (department)          2             1'].join('\n'),
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('gives one CSV row per breach, with formulas neutralised', async () => {
    const answer = await report({ format: 'csv' });
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="breach-report-2026-11-01-to-2026-11-30.csv"');
    expect(answer.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    const rows: Record<string, string>[] = parse(answer.text, { bom: true, columns: true });
    expect(rows).toHaveLength(7);
    expect(rows.map((row) => row.subject)).toEqual(['N-2', 'N-3', SCRIPT, CURLIES, ...FORMULAS.map((formula) => `'${formula}`)]);
    expect(rows[0]).toMatchObject({
      agreement: 'Hot leads are called fast',
      kind: 'response',
      target: 'hot',
      owner: 'Sales',
      department: 'Sales',
      due: '2026-11-10T10:00:00+01:00',
      late_seconds: '5400',
      explained: 'yes',
      corrective_action: 'A named backup watches the hot queue during team meetings.',
    });
    expect(rows[6]).toMatchObject({ target: 'default', owner: 'Sofia Member', late_seconds: String(9 * 3600), explained: 'no', cause: '' });
  });

  it('refuses bad queries, naming the field, and an unknown department', async () => {
    const fieldOf = async (query: object, field: string) => {
      const answer = await t.as(org.salesMember.token).get('/api/reports/breaches').query(query);
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.body.errors)).toEqual([field]);
    };
    await fieldOf({ to: NOVEMBER.to }, 'from');
    await fieldOf({ from: NOVEMBER.to, to: NOVEMBER.from }, 'to');
    await fieldOf({ from: NOVEMBER.from, to: '2026-12-01' }, 'to');
    await fieldOf({ ...NOVEMBER, format: 'pdf' }, 'format');
    await fieldOf({ ...NOVEMBER, departmentId: 'marketing' }, 'departmentId');
    const unknown = await report({ departmentId: '0b9d6c52-8a4e-4c1f-9d7e-3f2a1b0c9d8e' });
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.body.errors)).toEqual(['departmentId']);
    expect((await t.anonymous().get('/api/reports/breaches').query(NOVEMBER)).status).toBe(401);
  });
});
