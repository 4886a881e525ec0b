import { DataSource } from 'typeorm';
import { createCalendar, crmEvent, hotLeads, PARIS_OFFICE, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { clocksOf as clocksOfSubject, sendEvents, sweepAt } from '../support/tracking-fixture.js';

describe('measuring agreements from events, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;
  let calendarId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    // In force from Thursday 1 October 2026, 09:00 in Paris.
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (events: unknown[], expectAllAccepted = true) => sendEvents(t, org.marketingMember.token, events, expectAllAccepted);
  const clocksOf = (subject: string, agreementId = hot) => clocksOfSubject(t, org.salesMember.token, subject, agreementId);

  async function tableCounts() {
    const dataSource = t.app.get(DataSource);
    const count = async (table: string) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return { events: await count('events'), clocks: await count('clocks'), breaches: await count('breaches') };
  }

  describe('response clocks', () => {
    it('meets a one-hour target: hot lead handed over Friday 17:30 Paris, called Monday 09:20', async () => {
      t.clock.set('2026-11-09T10:00:00Z');
      await send([
        crmEvent('lead.handed_over', 'L-1', '2026-11-06T17:30:00+01:00', { score: 'hot', source: 'trade-show' }),
        crmEvent('lead.contacted', 'L-1', '2026-11-09T09:20:00+01:00'),
      ]);
      const [clock] = await clocksOf('L-1');
      expect(clock).toMatchObject({ state: 'stopped', outcome: 'met', targetName: 'hot', elapsedSeconds: 50 * 60, breachId: null, cycle: 1 });
      expect(clock.dueAt).toBe('2026-11-09T08:30:00.000Z');
      expect(clock.steps.map((s) => s.action)).toEqual(['start', 'stop']);
    });

    it('breaches it when the call comes at 10:45, with a breach owned by sales', async () => {
      t.clock.set('2026-11-09T10:00:00Z');
      await send([
        crmEvent('lead.handed_over', 'L-2', '2026-11-06T17:30:00+01:00', { score: 'hot' }),
        crmEvent('lead.contacted', 'L-2', '2026-11-09T10:45:00+01:00'),
      ]);
      const [clock] = await clocksOf('L-2');
      expect(clock).toMatchObject({ state: 'stopped', outcome: 'breached', elapsedSeconds: 135 * 60 });
      const breach = await t.as().get(`/api/breaches/${clock.breachId}`);
      expect(breach.body).toMatchObject({
        kind: 'response',
        subject: 'L-2',
        departmentId: org.sales.id,
        dueAt: '2026-11-09T08:30:00.000Z',
        lateSeconds: 75 * 60,
        targetName: 'hot',
        explained: false,
      });
      // Why it counts as breached: the clock's history.
      expect(clock.steps).toEqual([
        expect.objectContaining({ action: 'start', at: '2026-11-06T16:30:00.000Z', eventType: 'lead.handed_over' }),
        expect.objectContaining({ action: 'stop', at: '2026-11-09T09:45:00.000Z', eventType: 'lead.contacted' }),
      ]);
    });

    it('excludes time on hold', async () => {
      t.clock.set('2026-11-10T15:00:00Z');
      await send([
        crmEvent('lead.handed_over', 'L-3', '2026-11-10T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.on_hold', 'L-3', '2026-11-10T09:30:00+01:00'),
        crmEvent('lead.resumed', 'L-3', '2026-11-10T14:00:00+01:00'),
        crmEvent('lead.contacted', 'L-3', '2026-11-10T14:20:00+01:00'),
      ]);
      const [clock] = await clocksOf('L-3');
      expect(clock).toMatchObject({ outcome: 'met', elapsedSeconds: 50 * 60, pausedSeconds: 4.5 * 3600 });
      expect(clock.steps.map((s) => s.action)).toEqual(['start', 'pause', 'resume', 'stop']);
    });

    it('ignores duplicates: the same key, or the same event resent without a key', async () => {
      t.clock.set('2026-11-11T08:30:00Z');
      const handedOver = crmEvent('lead.handed_over', 'L-4', '2026-11-11T09:00:00+01:00', { score: 'warm' }, 'crm-dup-1');
      const first = await t.as(org.marketingMember.token).post('/api/events').send(handedOver);
      expect(first.status).toBe(201);
      const before = await tableCounts();
      const again = await t.as(org.marketingMember.token).post('/api/events').send(handedOver);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', id: first.body.id });
      const keyless = { type: 'lead.on_hold', subject: 'L-4', occurredAt: '2026-11-11T09:10:00+01:00' };
      const batch = await send([keyless, keyless, handedOver], false);
      expect(batch.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate', 'duplicate']);
      expect(batch.results[1].id).toBe(batch.results[0].id);
      expect((await tableCounts()).events).toBe(before.events + 1);
      expect(await clocksOf('L-4')).toHaveLength(1);
    });

    it('refuses a key reused for a different event, and keeps the first', async () => {
      t.clock.set('2026-11-11T08:30:00Z');
      await send([crmEvent('lead.handed_over', 'L-5', '2026-11-11T09:00:00+01:00', { score: 'hot' }, 'crm-reused')]);
      const reused = await t.as(org.marketingMember.token).post('/api/events').send(crmEvent('lead.contacted', 'L-5', '2026-11-11T09:20:00+01:00', {}, 'crm-reused'));
      expect(reused.status).toBe(400);
      expect(reused.body.errors.key[0]).toMatch(/already used for a different event/);
      expect((await clocksOf('L-5'))[0].state).toBe('running');
    });

    it('finds a running clock breached by the sweep, and a late event corrects history', async () => {
      t.clock.set('2026-11-12T08:10:00Z');
      await send([crmEvent('lead.handed_over', 'L-6', '2026-11-12T09:00:00+01:00', { score: 'hot' })]);
      expect((await clocksOf('L-6'))[0]).toMatchObject({ state: 'running', outcome: 'pending', dueAt: '2026-11-12T09:00:00.000Z' });

      // Due at 10:00 Paris: a sweep 20 s later finds it.
      const report = await sweepAt(t, '2026-11-12T09:00:20Z');
      expect(report.breached).toBeGreaterThanOrEqual(1);
      const breached = (await clocksOf('L-6'))[0];
      expect(breached).toMatchObject({ state: 'running', outcome: 'breached' });
      const breach = await t.as().get(`/api/breaches/${breached.breachId}`);
      expect(breach.body).toMatchObject({ dueAt: '2026-11-12T09:00:00.000Z', detectedAt: '2026-11-12T09:00:20.000Z', withdrawnAt: null });
      expect((await sweepAt(t, '2026-11-12T09:01:00Z')).breached).toBe(0);

      // The CRM was down: the call at 09:40 arrives an hour late. The promise was kept.
      await send([crmEvent('lead.contacted', 'L-6', '2026-11-12T09:40:00+01:00')]);
      const corrected = (await clocksOf('L-6'))[0];
      expect(corrected).toMatchObject({ state: 'stopped', outcome: 'met', elapsedSeconds: 40 * 60 });
      const withdrawn = await t.as().get(`/api/breaches/${breached.breachId}`);
      expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));
      const listed = await t.as().get(`/api/breaches?agreementId=${hot}&limit=200`);
      expect(listed.body.items.map((b: { id: string }) => b.id)).not.toContain(breached.breachId);
    });

    it('processes events that arrive out of order by when they happened', async () => {
      t.clock.set('2026-11-13T10:00:00Z');
      await send([
        crmEvent('lead.contacted', 'L-7', '2026-11-13T10:30:00+01:00'),
        crmEvent('lead.handed_over', 'L-7', '2026-11-13T10:00:00+01:00', { score: 'hot' }),
      ]);
      expect((await clocksOf('L-7'))[0]).toMatchObject({ state: 'stopped', outcome: 'met', elapsedSeconds: 1800 });
    });

    it('runs a subject again after it stopped: a new cycle', async () => {
      t.clock.set('2026-11-17T12:00:00Z');
      await send([
        crmEvent('lead.handed_over', 'L-8', '2026-11-16T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.contacted', 'L-8', '2026-11-16T09:10:00+01:00'),
        crmEvent('lead.handed_over', 'L-8', '2026-11-17T09:00:00+01:00', { score: 'warm' }),
        crmEvent('lead.contacted', 'L-8', '2026-11-17T12:00:00+01:00'),
      ]);
      expect((await clocksOf('L-8')).map((c) => [c.cycle, c.targetName, c.outcome])).toEqual([
        [1, 'hot', 'met'],
        [2, 'warm', 'met'],
      ]);
    });

    it('warns when a clock reaches warnAtPercent of its target, once', async () => {
      t.clock.set('2026-11-18T08:00:00Z');
      await send([crmEvent('lead.handed_over', 'L-9', '2026-11-18T09:00:00+01:00', { score: 'hot' })]);
      expect((await sweepAt(t, '2026-11-18T08:47:00Z')).warned).toBe(0);
      expect((await sweepAt(t, '2026-11-18T08:48:00Z')).warned).toBe(1);
      expect((await sweepAt(t, '2026-11-18T08:49:00Z')).warned).toBe(0);
      await send([crmEvent('lead.contacted', 'L-9', '2026-11-18T09:55:00+01:00')]);
    });

    it('lets the owner explain a breach, and nobody else', async () => {
      t.clock.set('2026-11-18T12:00:00Z');
      await send([
        crmEvent('lead.handed_over', 'L-12', '2026-11-16T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.contacted', 'L-12', '2026-11-16T11:00:00+01:00'),
      ]);
      const [clock] = await clocksOf('L-12');
      const explanation = { cause: 'Monday stand-up ran long.', correctiveAction: 'Hot leads are checked before the stand-up.' };
      const byMarketing = await t.as(org.marketingHead.token).post(`/api/breaches/${clock.breachId}/explanation`).send(explanation);
      expect(byMarketing.status).toBe(403);
      const incomplete = await t.as(org.salesMember.token).post(`/api/breaches/${clock.breachId}/explanation`).send({ cause: 'x' });
      expect(incomplete.status).toBe(400);
      expect(incomplete.body.errors).toHaveProperty('correctiveAction');

      const unexplainedBefore = (await t.as().get(`/api/breaches?agreementId=${hot}&explained=false`)).body.total;
      const explained = await t.as(org.salesMember.token).post(`/api/breaches/${clock.breachId}/explanation`).send(explanation);
      expect(explained.status).toBe(200);
      expect(explained.body).toMatchObject({ explained: true, ...explanation, explainedBy: org.salesMember.id });
      expect((await t.as().get(`/api/breaches?agreementId=${hot}&explained=false`)).body.total).toBe(unexplainedBefore - 1);
      expect((await t.as().get(`/api/breaches?agreementId=${hot}&explained=true`)).body.items.map((b: { id: string }) => b.id)).toContain(clock.breachId);
    });

    it('pins clocks to the version in force when they started', async () => {
      // An agreement of its own, on event types no other test sends.
      t.clock.set('2026-11-19T07:00:00Z');
      const terms = (within: string) => ({
        startOn: { type: 'demo.requested' },
        stopOn: { type: 'demo.booked' },
        targets: [{ within }],
        goalPercent: 90,
      });
      const demos = await signAgreement(t, org, { ...hotLeads(org, calendarId), name: 'Demos are booked fast', response: terms('PT1H') });
      t.clock.set('2026-11-19T07:45:00Z');
      await send([crmEvent('demo.requested', 'D-1', '2026-11-19T08:30:00+01:00')]);
      // Version 2 (half an hour) comes into force at 09:00 Paris; D-1 started under version 1.
      t.clock.set('2026-11-19T08:00:00Z');
      await t.as(org.salesHead.token).patch(`/api/agreements/${demos}`).send({ response: terms('PT30M') });
      await t.as(org.salesHead.token).post(`/api/agreements/${demos}/propose`);
      await t.as(org.salesHead.token).post(`/api/agreements/${demos}/approve`).send({});
      await t.as(org.marketingHead.token).post(`/api/agreements/${demos}/approve`).send({});
      t.clock.set('2026-11-19T12:00:00Z');
      await send([
        crmEvent('demo.booked', 'D-1', '2026-11-19T09:50:00+01:00'),
        crmEvent('demo.requested', 'D-2', '2026-11-19T10:00:00+01:00'),
        crmEvent('demo.booked', 'D-2', '2026-11-19T10:50:00+01:00'),
      ]);
      expect((await clocksOf('D-1', demos))[0]).toMatchObject({ versionNumber: 1, outcome: 'met', elapsedSeconds: 50 * 60 });
      expect((await clocksOf('D-2', demos))[0]).toMatchObject({ versionNumber: 2, outcome: 'breached', elapsedSeconds: 50 * 60 });
    });
    it('recomputes the due times of running clocks when their calendar changes', async () => {
      const calendar = await createCalendar(t, { ...PARIS_OFFICE, name: 'Trial desk' });
      t.clock.set('2026-11-20T07:00:00Z');
      const trials = await signAgreement(t, org, {
        ...hotLeads(org, calendar),
        name: 'Trials are called back',
        response: { startOn: { type: 'trial.started' }, stopOn: { type: 'trial.called' }, targets: [{ within: 'PT1H' }], goalPercent: 90 },
      });
      t.clock.set('2026-11-20T17:00:00Z');
      await send([crmEvent('trial.started', 'T-1', '2026-11-20T17:30:00+01:00')]);
      expect((await clocksOf('T-1', trials))[0].dueAt).toBe('2026-11-23T08:30:00.000Z');

      // The desk opens on Saturday mornings from now on: the lead is due Saturday 10:30.
      const changed = await t.as().patch(`/api/calendars/${calendar}`).send({ hours: { ...PARIS_OFFICE.hours, sat: [['10:00', '12:00']] } });
      expect(changed.status).toBe(200);
      await t.as().post('/api/admin/sweep');
      expect((await clocksOf('T-1', trials))[0].dueAt).toBe('2026-11-21T09:30:00.000Z');
    });
  });

  describe('bad events', () => {
    beforeEach(() => t.clock.set('2026-11-20T12:00:00Z'));

    it('answers a batch item by item: rejected items change nothing, the others are kept', async () => {
      const before = await tableCounts();
      const batch = await send([
        crmEvent('lead.handed_over', 'L-20', '2026-11-20T09:00:00+01:00', { score: 'hot' }),
        { type: 'lead handed over', subject: 'L-21', occurredAt: '2026-11-20T09:00:00+01:00' },
        { type: 'lead.contacted', subject: '', occurredAt: '2026-11-20T09:00:00+01:00' },
        { type: 'lead.contacted', subject: 'L-22', occurredAt: '2026-11-20 09:00' },
        { type: 'lead.contacted', subject: 'L-23', occurredAt: '2026-02-30T09:00:00Z' },
        { type: 'lead.contacted', subject: 'L-24', occurredAt: '2026-11-20T09:00:00Z', attributes: { nested: { a: 1 } } },
        { type: 'lead.contacted', subject: 'L-25', occurredAt: '2026-11-20T09:00:00Z', colour: 'red' },
        { type: 'lead.contacted', subject: 'L-26', occurredAt: '2027-06-01T09:00:00Z' },
        'lead.contacted',
      ], false);
      expect(batch).toMatchObject({ accepted: 1, duplicates: 0, rejected: 8 });
      const errors = batch.results.slice(1).map((r: { errors: Record<string, string[]> }) => Object.keys(r.errors)[0]);
      expect(errors).toEqual(['type', 'subject', 'occurredAt', 'occurredAt', 'attributes.nested', 'colour', 'occurredAt', 'event']);
      expect(batch.results[7].errors.occurredAt[0]).toMatch(/future/);
      expect(await tableCounts()).toMatchObject({ events: before.events + 1 });
    });

    it('refuses a single bad event with 400 naming the field, writing nothing', async () => {
      const before = await tableCounts();
      const response = await t.as(org.marketingMember.token).post('/api/events').send({ type: 'lead.contacted', occurredAt: 'yesterday' });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors).sort()).toEqual(['occurredAt', 'subject']);
      expect(await tableCounts()).toEqual(before);
    });

    it('refuses an empty batch and one over 1,000 events', async () => {
      expect((await t.as(org.marketingMember.token).post('/api/events').send([])).status).toBe(400);
      const tooMany = Array.from({ length: 1001 }, (_, i) => crmEvent('lead.mql', `X-${i}`, '2026-11-20T09:00:00Z'));
      const response = await t.as(org.marketingMember.token).post('/api/events').send(tooMany);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/1,000/);
    });

    it('lets an events-only integration token send events and nothing else', async () => {
      const issued = await t.as(org.marketingHead.token).post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'HubSpot', scope: 'events:write' });
      const sent = await t.as(issued.body.token).post('/api/events').send(crmEvent('lead.mql', 'I-1', '2026-11-20T09:00:00Z', { region: 'EU' }));
      expect(sent.status).toBe(201);
      expect((await t.as(issued.body.token).get('/api/clocks')).status).toBe(403);
      expect((await t.anonymous().post('/api/events').send(crmEvent('lead.mql', 'I-2', '2026-11-20T09:00:00Z'))).status).toBe(401);
    });
  });
});
