import { simpleParser } from 'mailparser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config.js';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { briefsAnswered, completeContent } from '../support/brief-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { clocksOf as clocksOfSubject, sendEvents, sweepAt, type ClockBody } from '../support/tracking-fixture.js';

/** The first week of the clocks below, Monday to Friday in Paris. */
const FIRST_WEEK = { from: '2026-11-02T00:00:00+01:00', to: '2026-11-07T00:00:00+01:00' };

describe('a response agreement that cancels clocks (cancelOn), over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let leads: string;

  /** Hot leads with cancelOn set here rather than inherited from the documented example: this test says what it measures. */
  const terms = () => ({ ...hotLeads(org, calendarId).response, cancelOn: { type: 'lead.disqualified' } });

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    leads = await signAgreement(t, org, { ...hotLeads(org, calendarId), name: 'Leads are called or disqualified', response: terms() });
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (events: unknown[]) => sendEvents(t, org.marketingMember.token, events);
  const clocksOf = (subject: string, agreementId = leads) => clocksOfSubject(t, org.salesMember.token, subject, agreementId);

  /** Sends what the outbox holds (as .eml files, without SMTP) and reads the messages new since the last call. */
  const read = new Set<string>();
  async function dispatch() {
    expect((await t.as().post('/api/notifications/dispatch')).body).toMatchObject({ failed: 0 });
    const directory = t.app.get(AppConfig).OUTBOX_DIR;
    // The directory is made with the first message.
    const files = (existsSync(directory) ? readdirSync(directory) : []).filter((file) => file.endsWith('.eml') && !read.has(file));
    for (const file of files) read.add(file);
    return Promise.all(files.map((file) => simpleParser(readFileSync(join(directory, file)))));
  }

  async function breachesOf(subject: string) {
    const response = await t.as().get('/api/breaches').query({ agreementId: leads, includeWithdrawn: true, limit: 200 });
    return (response.body.items as { id: string; subject: string; withdrawnAt: string | null; lateSeconds: number }[]).filter((b) => b.subject === subject);
  }

  it('never warns about nor breaches a lead disqualified before its due time, and lists its clock as cancelled', async () => {
    t.clock.set('2026-11-02T08:05:00Z');
    await send([crmEvent('lead.handed_over', 'C-1', '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
    expect((await clocksOf('C-1'))[0]).toMatchObject({ state: 'running', outcome: 'pending', dueAt: '2026-11-02T09:00:00.000Z' });

    // Disqualified at 09:30 Paris, in a delivery of its own: the stored clock is closed.
    t.clock.set('2026-11-02T08:35:00Z');
    await send([crmEvent('lead.disqualified', 'C-1', '2026-11-02T09:30:00+01:00', { reason: 'student' })]);
    const [clock] = await clocksOf('C-1');
    expect(clock).toMatchObject({
      cycle: 1,
      state: 'cancelled',
      outcome: 'cancelled',
      dueAt: null,
      warnAt: null,
      breachedAt: null,
      stoppedAt: '2026-11-02T08:30:00.000Z',
      elapsedSeconds: 30 * 60,
      breachId: null,
    });
    expect(clock.steps.map((s) => [s.action, s.eventType])).toEqual([
      ['start', 'lead.handed_over'],
      ['cancel', 'lead.disqualified'],
    ]);

    // Past the warning (80 %, 09:48) and the due time (10:00): the sweep finds nothing.
    expect(await sweepAt(t, '2026-11-02T08:50:00Z')).toMatchObject({ warned: 0, breached: 0 });
    expect(await sweepAt(t, '2026-11-02T12:00:00Z')).toMatchObject({ warned: 0, breached: 0 });
    expect((await clocksOf('C-1'))[0]).toMatchObject({ state: 'cancelled', outcome: 'cancelled', breachId: null });
    expect(await breachesOf('C-1')).toEqual([]);
    expect(await dispatch()).toEqual([]);

    const listed = await t.as(org.salesMember.token).get('/api/clocks').query({ agreementId: leads, state: 'cancelled', outcome: 'cancelled' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: ClockBody) => c.subject)).toEqual(['C-1']);
  });

  it('keeps the one breach of a lead disqualified after its due time, late up to the cancel, and says so in the alert', async () => {
    t.clock.set('2026-11-03T08:05:00Z');
    await send([crmEvent('lead.handed_over', 'C-2', '2026-11-03T09:00:00+01:00', { score: 'hot' })]);
    expect((await sweepAt(t, '2026-11-03T09:00:20Z')).breached).toBe(1);
    const [breached] = await clocksOf('C-2');
    expect(breached).toMatchObject({ state: 'running', outcome: 'breached', breachId: expect.any(String) });

    t.clock.set('2026-11-03T09:30:00Z');
    await send([crmEvent('lead.disqualified', 'C-2', '2026-11-03T10:20:00+01:00')]);
    const [clock] = await clocksOf('C-2');
    expect(clock).toMatchObject({
      state: 'cancelled',
      outcome: 'breached',
      dueAt: '2026-11-03T09:00:00.000Z',
      breachedAt: '2026-11-03T09:00:00.000Z',
      elapsedSeconds: 80 * 60,
      breachId: breached.breachId,
    });

    // The alert, composed when it leaves, tells the head of sales it was cancelled, late for good.
    const mails = await dispatch();
    expect(mails.map((mail) => mail.subject)).toEqual(['Breach: Leads are called or disqualified — C-2']);
    const [alert] = mails;
    expect(alert.text).toContain('Cancelled: Tue 3 Nov 2026, 10:20 Europe/Paris');
    expect(alert.text).toContain('Status:    cancelled when 20 min of working time late\n');
    expect(alert.text).not.toContain('Done:');

    // Days later: no second breach, none withdrawn, and it is no later than it was at the cancel.
    expect((await sweepAt(t, '2026-11-05T12:00:00Z')).breached).toBe(0);
    const breaches = await breachesOf('C-2');
    expect(breaches).toEqual([expect.objectContaining({ id: breached.breachId, withdrawnAt: null, lateSeconds: 20 * 60 })]);
  });

  it('records the breach of a lead disqualified late even when both events arrive together', async () => {
    t.clock.set('2026-11-04T12:00:00Z');
    await send([
      crmEvent('lead.handed_over', 'C-3', '2026-11-04T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.disqualified', 'C-3', '2026-11-04T11:00:00+01:00'),
    ]);
    const [clock] = await clocksOf('C-3');
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'breached', breachId: expect.any(String) });
    expect(await breachesOf('C-3')).toEqual([expect.objectContaining({ withdrawnAt: null, lateSeconds: 3600 })]);
  });

  it('withdraws the breach of a lead whose disqualification before the due time arrives late', async () => {
    t.clock.set('2026-11-05T08:05:00Z');
    await send([crmEvent('lead.handed_over', 'C-5', '2026-11-05T09:00:00+01:00', { score: 'hot' })]);
    expect((await sweepAt(t, '2026-11-05T09:00:20Z')).breached).toBe(1);
    const [breached] = await clocksOf('C-5');

    // The CRM was down: the lead was disqualified at 09:50, before it fell due.
    t.clock.set('2026-11-05T10:00:00Z');
    await send([crmEvent('lead.disqualified', 'C-5', '2026-11-05T09:50:00+01:00')]);
    expect((await clocksOf('C-5'))[0]).toMatchObject({ state: 'cancelled', outcome: 'cancelled', dueAt: null, breachedAt: null });
    expect(await breachesOf('C-5')).toEqual([expect.objectContaining({ id: breached.breachId, withdrawnAt: '2026-11-05T10:00:00.000Z' })]);
  });

  it('starts a new cycle for a lead handed over again after it was disqualified', async () => {
    t.clock.set('2026-11-09T08:05:00Z');
    await send([crmEvent('lead.handed_over', 'C-1', '2026-11-09T09:00:00+01:00', { score: 'warm' })]);
    expect((await clocksOf('C-1')).map((c) => [c.cycle, c.state, c.outcome])).toEqual([
      [1, 'cancelled', 'cancelled'],
      [2, 'running', 'pending'],
    ]);
    await send([crmEvent('lead.contacted', 'C-1', '2026-11-09T10:00:00+01:00')]);
  });

  it('counts cancelled clocks apart in compliance, live and replayed alike', async () => {
    t.clock.set('2026-11-06T12:00:00Z');
    await send([
      crmEvent('lead.handed_over', 'C-4', '2026-11-06T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'C-4', '2026-11-06T09:40:00+01:00'),
    ]);
    const live = await t.as(org.salesHead.token).get(`/api/agreements/${leads}/compliance`).query(FIRST_WEEK);
    expect(live.status).toBe(200);
    // C-1 and C-5 cancelled in time; C-2 and C-3 cancelled late; C-4 called in 40 minutes.
    expect(live.body).toMatchObject({ total: 5, met: 1, breached: 2, cancelled: 2, running: 0, paused: 0, metPercent: 33.33, medianSeconds: 40 * 60 });
    expect(live.body.targets[0]).toMatchObject({ name: 'hot', total: 5, cancelled: 2 });
    const replay = await t.as(org.salesHead.token).post(`/api/agreements/${leads}/replay`).query({ ...FIRST_WEEK, version: 1 });
    expect(replay.status).toBe(200);
    expect({ ...replay.body, replay: false }).toEqual(live.body);

    const report = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...FIRST_WEEK, format: 'json' });
    expect(report.status).toBe(200);
    expect(report.body.responses).toEqual([expect.objectContaining({ name: 'Leads are called or disqualified', total: 5, met: 1, breached: 2, cancelled: 2 })]);
    const text = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...FIRST_WEEK, format: 'text' });
    expect(text.text).toContain('5 measured: 1 met, 2 breached,\n      0 running, 0 paused, 2 cancelled');
  });

  it('abandons the clock of a brief its requester cancels, waiting for an answer or returned to them', async () => {
    // The briefs agreement of the README, in force from Monday 16 November, 08:00 in Paris.
    t.clock.set('2026-11-16T07:00:00Z');
    const answered = briefsAnswered(org, calendarId);
    const briefs = await signAgreement(t, org, { ...answered, response: { ...answered.response, cancelOn: { type: 'brief.cancelled' } } });
    const clockOf = (briefId: string) => clocksOf(`brief:${briefId}`, briefs);
    const submit = async () => {
      const created = await t.as(org.marketingHead.token).post('/api/briefs').send({
        title: 'Spring launch',
        recipientDepartmentId: org.sales.id,
        content: completeContent(org.marketingHead.id),
      });
      expect((await t.as(org.marketingHead.token).post(`/api/briefs/${created.body.id}/submit`)).status).toBe(200);
      return created.body.id as string;
    };

    t.clock.set('2026-11-16T08:00:00Z');
    const waiting = await submit();
    const returned = await submit();
    expect((await t.as(org.salesHead.token).post(`/api/briefs/${returned}/return`).send({ comment: 'Which segment first?' })).status).toBe(200);
    t.clock.set('2026-11-16T10:00:00Z');
    for (const id of [waiting, returned]) expect((await t.as(org.marketingMember.token).post(`/api/briefs/${id}/cancel`)).status).toBe(200);

    // Due at 17:00 Paris the same day: long past, and nothing breached.
    expect((await sweepAt(t, '2026-11-18T12:00:00Z')).breached).toBe(0);
    expect((await clockOf(waiting)).map((c) => [c.state, c.outcome, c.breachId])).toEqual([['cancelled', 'cancelled', null]]);
    expect((await clockOf(returned)).map((c) => [c.steps.map((s) => s.action), c.state, c.outcome])).toEqual([
      [['start', 'pause', 'cancel'], 'cancelled', 'cancelled'],
    ]);
  });

  describe('a bad cancelOn is refused with the field named, and nothing is written', () => {
    const agreementCount = async () => Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM agreements'))[0].n);

    it.each([
      ['a type that is not an event type', () => ({ type: 'lead disqualified' }), 'response.cancelOn.type'],
      ['an unknown filter field', () => ({ type: 'lead.disqualified', reason: 'spam' }), 'response.cancelOn.reason'],
      ['the start filter', () => ({ type: 'lead.handed_over' }), 'response.cancelOn'],
      ['the stop filter', () => ({ type: 'lead.contacted' }), 'response.cancelOn'],
    ])('%s', async (_case, cancelOn, field) => {
      const before = await agreementCount();
      const result = await t
        .as(org.salesHead.token)
        .post('/api/agreements')
        .send({ ...hotLeads(org, calendarId), name: 'Refused', response: { ...terms(), cancelOn: cancelOn() } });
      expect(result.status).toBe(400);
      expect(Object.keys(result.body.errors)).toEqual([field]);
      expect(await agreementCount()).toBe(before);
    });
  });
});
