import { DataSource } from 'typeorm';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { clocksOf, sweepAt } from '../support/tracking-fixture.js';
import { TestApp } from '../support/test-app.js';

const ndjson = (lines: object[]) => lines.map((line) => JSON.stringify(line)).join('\n');

/** Monday 16 November 2026, 11:00 in Paris: the heads sign; last week is 9–13 November. */
const APPROVAL = '2026-11-16T10:00:00Z';
const LAST_MONDAY = '2026-11-09T00:00:00+01:00';

/** Last week's CRM export, on the 09:00–18:00 Paris calendar of the examples. */
const LAST_WEEK = [
  crmEvent('lead.handed_over', 'H-0', '2026-11-06T10:00:00+01:00', { score: 'hot' }), // before measureFrom: not measured
  crmEvent('lead.handed_over', 'H-1', '2026-11-09T10:00:00+01:00', { score: 'hot' }),
  crmEvent('lead.contacted', 'H-1', '2026-11-09T10:30:00+01:00'), // met
  crmEvent('lead.handed_over', 'H-2', '2026-11-09T10:00:00+01:00', { score: 'hot' }),
  crmEvent('lead.contacted', 'H-2', '2026-11-09T12:00:00+01:00'), // 2 h for 1 h: breached, due Mon 9 at 11:00
  crmEvent('lead.handed_over', 'H-3', '2026-11-10T09:00:00+01:00', { score: 'hot' }), // never called: breached, due Tue 10 at 10:00
  crmEvent('lead.handed_over', 'H-4', '2026-11-11T09:00:00+01:00', { score: 'warm' }),
  crmEvent('lead.contacted', 'H-4', '2026-11-11T12:00:00+01:00'), // 3 h of 4: met
  crmEvent('lead.handed_over', 'H-5', '2026-11-12T09:00:00+01:00', { score: 'hot' }),
  crmEvent('lead.on_hold', 'H-5', '2026-11-12T09:30:00+01:00'), // paused
  crmEvent('lead.handed_over', 'H-6', '2026-11-13T16:00:00+01:00', { score: 'cold' }), // two business days: due Tue 17 at 16:00
  crmEvent('lead.handed_over', 'H-7', '2026-11-13T09:00:00+01:00', { score: 'hot' }),
  crmEvent('lead.disqualified', 'H-7', '2026-11-13T09:20:00+01:00'), // cancelled
  crmEvent('lead.created', 'H-8', '2026-11-13T11:00:00+01:00'), // a type no agreement listens to
  // The quota's events: five in the week of 2 November, one in the week of 9 November.
  ...['02', '03', '04', '05', '06'].map((day, i) => crmEvent('lead.mql', `Q-${i}`, `2026-11-${day}T10:00:00+01:00`, { region: 'EU' })),
  crmEvent('lead.mql', 'Q-5', '2026-11-10T10:00:00+01:00', { region: 'EU' }),
];

describe('an agreement measuring from an agreed date, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let hot: string;
  let quota: string;
  const window = { from: LAST_MONDAY, to: APPROVAL };

  const notifications = async (kind: string) => (await t.as().get('/api/notifications').query({ kind, limit: 200 })).body.items as { recipientEmail: string; subject: string | null; referenceId: string }[];

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    t.clock.set(APPROVAL);
    const imported = await t.as(org.marketingMember.token).post('/api/events/import').set('Content-Type', 'application/x-ndjson').send(ndjson(LAST_WEEK));
    expect(imported.status).toBe(200);
    // Nothing is in force yet: every accepted event is unmatched, and the summary says so.
    expect(imported.body).toMatchObject({ accepted: LAST_WEEK.length, rejected: 0, unmatched: LAST_WEEK.length });

    hot = await signAgreement(t, org, { ...hotLeads(org, calendarId), measureFrom: LAST_MONDAY });
    const weekly = qualifiedLeads(org, calendarId);
    weekly.quota = { ...weekly.quota, period: 'week', minimum: 3 };
    quota = await signAgreement(t, org, { ...weekly, measureFrom: '2026-11-02T00:00:00+01:00' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('keeps measureFrom on the version, as sent', async () => {
    const agreement = await t.as(org.salesHead.token).get(`/api/agreements/${hot}`);
    expect(agreement.body.inForce).toMatchObject({ number: 1, measureFrom: '2026-11-08T23:00:00.000Z', activeFrom: '2026-11-16T10:00:00.000Z' });
  });

  it('builds, on approval, the live clocks of last week: the same figures as the replay of that window', async () => {
    const live = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(window);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ replay: false, version: 1, total: 7, met: 2, breached: 2, cancelled: 1 });
    expect(live.body.targets).toEqual([
      expect.objectContaining({ name: 'hot', total: 5, met: 1, breached: 2 }),
      expect.objectContaining({ name: 'warm', total: 1, met: 1 }),
      expect.objectContaining({ name: 'default', total: 1, met: 0 }),
    ]);
    const replay = await t.as(org.salesHead.token).post(`/api/agreements/${hot}/replay`).query({ ...window, version: 1 });
    expect(replay.status).toBe(200);
    expect({ ...replay.body, replay: false }).toEqual(live.body);

    // They are live clocks, with their history; nothing before measureFrom was measured.
    expect(await clocksOf(t, org.salesHead.token, 'H-3', hot)).toEqual([expect.objectContaining({ outcome: 'breached', dueAt: '2026-11-10T09:00:00.000Z', versionNumber: 1 })]);
    expect(await clocksOf(t, org.salesHead.token, 'H-0', hot)).toEqual([]);
  });

  it('builds the quota periods from measureFrom on: past ones met or missed, the running one open', async () => {
    const window = { from: '2026-11-02T00:00:00+01:00', to: '2026-11-23T00:00:00+01:00' };
    const live = await t.as(org.marketingHead.token).get(`/api/agreements/${quota}/compliance`).query(window);
    expect(live.body.periods).toEqual([
      expect.objectContaining({ label: '2026-W45', count: 5, status: 'met' }),
      expect.objectContaining({ label: '2026-W46', count: 1, status: 'missed' }),
      expect.objectContaining({ label: '2026-W47', count: 0, status: 'open' }),
    ]);
    const replay = await t.as(org.marketingHead.token).post(`/api/agreements/${quota}/replay`).query({ ...window, version: 1 });
    expect({ ...replay.body, replay: false }).toEqual(live.body);
  });

  it('records and lists the breaches already past due, without an alert each', async () => {
    const breaches = await t.as(org.salesHead.token).get('/api/breaches').query({ agreementId: hot });
    expect(breaches.body.items.map((breach: { subject: string }) => breach.subject).sort()).toEqual(['H-2', 'H-3']);
    const missed = await t.as(org.salesHead.token).get('/api/breaches').query({ agreementId: quota });
    expect(missed.body.total).toBe(1);
    expect(await notifications('breach-alert')).toEqual([]);
    // Nor escalated one by one when they stay unexplained: the summary told both heads.
    const report = await sweepAt(t, APPROVAL);
    expect(report).toMatchObject({ breached: 0 });
    await sweepAt(t, '2026-11-16T16:00:00Z'); // H-6 is at risk (80 % of two business days), not yet due
    expect(await notifications('escalation')).toEqual([]);
  });

  it('sends each head ONE summary of what was measured, with a link to the agreement', async () => {
    const summaries = await notifications('history-measured');
    expect(summaries).toHaveLength(4); // two agreements, two heads each
    const hotVersion = (await t.as(org.salesHead.token).get(`/api/agreements/${hot}`)).body.inForce.id;
    expect(summaries.filter((n) => n.referenceId === hotVersion)).toHaveLength(2);
    expect(summaries.map((n) => n.recipientEmail).sort()).toEqual(['maelle@example.com', 'maelle@example.com', 'samir@example.com', 'samir@example.com']);

    expect((await t.as().post('/api/notifications/dispatch')).body).toMatchObject({ failed: 0 });
    const sent = await notifications('history-measured');
    const subjects = sent.map((n) => n.subject).sort();
    expect(subjects).toEqual([
      'Measuring from 2 Nov: 1 breach already past due, 3 quota periods — Marketing delivers qualified leads',
      'Measuring from 2 Nov: 1 breach already past due, 3 quota periods — Marketing delivers qualified leads',
      'Measuring from 9 Nov: 7 clocks, 2 breaches already past due — Hot leads are called fast',
      'Measuring from 9 Nov: 7 clocks, 2 breaches already past due — Hot leads are called fast',
    ]);
    const dataSource = t.app.get(DataSource);
    const [{ text }] = await dataSource.query(`SELECT text FROM notifications WHERE kind = 'history-measured' AND recipient_email = 'samir@example.com' AND subject LIKE '%Hot leads%'`);
    expect(text).toContain(`/agreements/${hot}`);
  });

  it('alerts normally a breach that falls due after the approval', async () => {
    // H-6 (cold, two business days from Friday 16:00) falls due on Tuesday 17 November at 16:00 Paris.
    expect(await sweepAt(t, '2026-11-17T15:00:00Z')).toMatchObject({ breached: 1 });
    const alerts = await notifications('breach-alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].recipientEmail).toBe('samir@example.com');
    const [breach] = (await t.as(org.salesHead.token).get('/api/breaches').query({ agreementId: hot, from: '2026-11-17T00:00:00Z' })).body.items;
    expect(breach).toMatchObject({ subject: 'H-6' });
    expect(alerts[0].referenceId).toBe(breach.id);
  });

  it('answers, for every batch, how many accepted events no agreement in force measures', async () => {
    t.clock.set('2026-11-18T10:00:00Z');
    const batch = await t.as(org.marketingMember.token).post('/api/events').send([
      crmEvent('lead.handed_over', 'U-1', '2026-11-18T10:00:00+01:00', { score: 'hot' }), // measured
      crmEvent('lead.mql', 'U-2', '2026-11-18T10:00:00+01:00', { region: 'US' }), // the quota counts EU only
      crmEvent('lead.handed_over', 'U-3', '2026-11-02T10:00:00+01:00', { score: 'hot' }), // before the agreement measures
      crmEvent('lead.created', 'U-4', '2026-11-18T10:00:00+01:00'),
      { type: 'lead.created', subject: 'U-5' }, // rejected: not counted either way
    ]);
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ accepted: 4, rejected: 1, unmatched: 3 });
    expect(batch.body.results.map((result: { matched?: boolean }) => result.matched)).toEqual([true, false, false, false, undefined]);

    const single = await t.as(org.marketingMember.token).post('/api/events').send(crmEvent('lead.mql', 'U-6', '2026-11-18T11:00:00+01:00', { region: 'EU' }));
    expect(single.status).toBe(201);
    expect(single.body).toMatchObject({ status: 'accepted', matched: true });

    const imported = await t.as(org.marketingMember.token).post('/api/events/import').set('Content-Type', 'application/x-ndjson').send(
      ndjson([
        crmEvent('lead.contacted', 'U-1', '2026-11-18T10:20:00+01:00'),
        crmEvent('lead.created', 'U-7', '2026-11-18T10:20:00+01:00'),
        crmEvent('lead.mql', 'U-8', '2026-11-18T10:20:00+01:00', { region: 'EU' }),
      ]),
    );
    expect(imported.body).toMatchObject({ accepted: 3, unmatched: 1 });
  });

  it('refuses a measureFrom more than 400 days back, or in the future, naming it and writing nothing', async () => {
    const dataSource = t.app.get(DataSource);
    const count = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM agreement_versions'))[0].n);
    const before = await count();
    const now = Date.parse('2026-11-18T10:00:00Z');
    for (const measureFrom of [new Date(now - 401 * 86_400_000).toISOString(), '2026-11-19T10:00:00Z', 'last month']) {
      const refused = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Too far back', measureFrom });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.errors)).toEqual(['measureFrom']);
    }
    expect(await count()).toBe(before);
  });

  it('refuses, at the approval, a measureFrom that aged past 400 days while proposed', async () => {
    t.clock.set('2026-11-18T10:00:00Z');
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Signed late', measureFrom: '2025-10-15T00:00:00Z' });
    expect(created.status).toBe(201);
    await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/propose`).expect(200);
    await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/approve`).send({}).expect(200);
    t.clock.set('2026-11-20T10:00:00Z');
    const late = await t.as(org.marketingHead.token).post(`/api/agreements/${created.body.id}/approve`).send({});
    expect(late.status).toBe(400);
    expect(Object.keys(late.body.errors)).toEqual(['measureFrom']);
    const after = await t.as(org.salesHead.token).get(`/api/agreements/${created.body.id}`);
    expect(after.body).toMatchObject({ status: 'proposed', inForce: null });
    expect(after.body.pending.approvals).toHaveLength(1);
  });

  it('measures a later version from its own approval: last week stays as version 1 measured it', async () => {
    t.clock.set('2026-11-20T10:00:00Z');
    const refused = await t.as(org.salesHead.token).patch(`/api/agreements/${hot}`).send({ measureFrom: LAST_MONDAY });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors)).toEqual(['measureFrom']);
    expect((await t.as(org.salesHead.token).get(`/api/agreements/${hot}`)).body.pending).toBeNull();

    const before = (await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(window)).body;
    const lenient = hotLeads(org, calendarId).response;
    lenient.targets[0] = { when: { score: 'hot' }, within: 'PT3H' };
    const draft = await t.as(org.salesHead.token).patch(`/api/agreements/${hot}`).send({ response: lenient });
    expect(draft.body.pending).toMatchObject({ number: 2, measureFrom: null });
    await t.as(org.salesHead.token).post(`/api/agreements/${hot}/propose`).expect(200);
    await t.as(org.salesHead.token).post(`/api/agreements/${hot}/approve`).send({}).expect(200);
    await t.as(org.marketingHead.token).post(`/api/agreements/${hot}/approve`).send({}).expect(200);

    const after = (await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(window)).body;
    expect({ ...after, version: before.version }).toEqual(before);
    expect(await clocksOf(t, org.salesHead.token, 'H-2', hot)).toEqual([expect.objectContaining({ outcome: 'breached', versionNumber: 1 })]);
    expect(await notifications('history-measured')).toHaveLength(4);
  });
  it('records, without an alert each or an escalation, the past breaches of an export imported after the approval', async () => {
    t.clock.set('2026-11-20T11:00:00Z');
    const alertsBefore = (await notifications('breach-alert')).length;
    const lateExport = [
      crmEvent('lead.handed_over', 'H-9', '2026-11-10T11:00:00+01:00', { score: 'hot' }), // never called: due Tue 10 at 12:00, before the approval
      crmEvent('lead.handed_over', 'H-10', '2026-11-20T11:30:00+01:00', { score: 'hot' }), // today, after the approval
    ];
    const imported = await t.as(org.marketingMember.token).post('/api/events/import').set('Content-Type', 'application/x-ndjson').send(ndjson(lateExport));
    expect(imported.body).toMatchObject({ accepted: 2, unmatched: 0 });
    const breaches = (await t.as(org.salesHead.token).get('/api/breaches').query({ agreementId: hot })).body.items as { id: string; subject: string }[];
    const h9 = breaches.find((breach) => breach.subject === 'H-9');
    expect(h9).toBeDefined();
    expect(await notifications('breach-alert')).toHaveLength(alertsBefore);
    // H-10 falls due after the approval (version 2 gives hot leads 3 h: Friday 14:30 Paris): alerted as usual.
    expect(await sweepAt(t, '2026-11-20T14:00:00Z')).toMatchObject({ breached: 1 });
    const alerts = await notifications('breach-alert');
    expect(alerts.length).toBeGreaterThan(alertsBefore);
    expect(alerts.filter((alert) => alert.referenceId === h9!.id)).toEqual([]);
    // Left unexplained for days, the old breach is not escalated one by one either.
    await sweepAt(t, '2026-11-27T12:00:00Z');
    expect((await notifications('escalation')).filter((n) => n.referenceId === h9!.id)).toEqual([]);
  });
});
