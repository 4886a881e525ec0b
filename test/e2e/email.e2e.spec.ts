import { simpleParser } from 'mailparser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config.js';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const HOSTILE = '<script>alert(1)</script>{{x}}';

/** An org with a stage owned by a sales member in New York, and both example agreements in force. */
async function setUp(t: TestApp) {
  const org = await seedOrg(t);
  await t.as().patch(`/api/people/${org.salesMember.id}`).send({ timezone: 'America/New_York' });
  const stages = await t.as().get('/api/stages');
  const sal = stages.body.items.find((stage: { name: string }) => stage.name === 'SAL');
  await t.as().patch(`/api/stages/${sal.id}`).send({ departmentId: org.sales.id, ownerId: org.salesMember.id });
  const calendarId = await createCalendar(t);
  t.clock.set('2026-11-01T08:00:00Z');
  const hot = await signAgreement(t, org, { ...hotLeads(org, calendarId), stageId: sal.id });
  const quota = await signAgreement(t, org, qualifiedLeads(org, calendarId));
  return { org, hot, quota };
}

async function send(t: TestApp, org: SeededOrg, events: object[]) {
  const response = await t.as(org.marketingMember.token).post('/api/events').send(events);
  expect(response.body.accepted).toBe(events.length);
}

async function sweep(t: TestApp, instant: string) {
  t.clock.set(instant);
  return (await t.as().post('/api/admin/sweep')).body;
}

async function dispatch(t: TestApp) {
  return (await t.as().post('/api/notifications/dispatch')).body;
}

describe('emails through a real SMTP server', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Concord <concord@example.com>' } });
    ({ org } = await setUp(t));
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const about = (subject: string) => sink.messages.filter((mail) => (mail.text ?? '').includes(subject));

  it('alerts the owner and the head of the provider, each in their own time zone, with hostile text as text', async () => {
    t.clock.set('2026-11-02T07:30:00Z');
    await send(t, org, [crmEvent('lead.handed_over', HOSTILE, '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
    expect((await sweep(t, '2026-11-02T09:00:30Z')).breached).toBe(1);
    expect(await dispatch(t)).toMatchObject({ sent: 2, failed: 0 });

    const forHead = sink.to(org.salesHead.email);
    const forOwner = sink.to(org.salesMember.email);
    expect(forHead).toHaveLength(1);
    expect(forOwner).toHaveLength(1);
    const [head] = forHead;
    expect(head.subject).toBe(`Breach: Hot leads are called fast — ${HOSTILE}`);
    expect(head.from?.value[0]).toMatchObject({ name: 'Concord', address: 'concord@example.com' });
    expect(head.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{x}}');
    expect(head.html).not.toContain('<script>');
    expect(head.text).toContain(`Subject:   ${HOSTILE}\nTarget:    hot: 1 working hour\n`);
    expect(head.text).toContain('Due:       Mon 2 Nov 2026, 10:00 Europe/Paris (2026-11-02T10:00+01:00)');
    expect(head.text).toContain('Status:    still not contacted, under a minute of working time late');
    expect(head.html).toMatch(/http:\/\/localhost:3000\/breaches\/[0-9a-f-]{36}/);
    expect(forOwner[0].text).toContain('Due:       Mon 2 Nov 2026, 04:00 America/New_York (2026-11-02T04:00-05:00)');
    expect(await dispatch(t)).toMatchObject({ sent: 0 });
  });

  it('warns the owner before the breach, once', async () => {
    t.clock.set('2026-11-03T07:30:00Z');
    await send(t, org, [crmEvent('lead.handed_over', 'L-WARN', '2026-11-03T09:00:00+01:00', { score: 'hot' })]);
    expect((await sweep(t, '2026-11-03T08:48:10Z')).warned).toBe(1);
    expect((await sweep(t, '2026-11-03T08:49:00Z')).warned).toBe(0);
    await dispatch(t);
    const warnings = about('L-WARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].subject).toBe('At risk: L-WARN (Hot leads are called fast) is due soon');
    expect(sink.to(org.salesMember.email)).toContain(warnings[0]);
    expect(warnings[0].text).toContain('It falls due Tue 3 Nov 2026, 04:00 America/New_York (2026-11-03T04:00-05:00).');
    await send(t, org, [crmEvent('lead.contacted', 'L-WARN', '2026-11-03T09:55:00+01:00')]);
  });

  it('escalates a breach left unexplained for two business days to both heads, once, and not an explained one', async () => {
    t.clock.set('2026-11-09T07:00:00Z');
    await send(t, org, [
      crmEvent('lead.handed_over', 'L-ESC', '2026-11-09T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.handed_over', 'L-OK', '2026-11-09T09:00:00+01:00', { score: 'hot' }),
    ]);
    await sweep(t, '2026-11-09T09:00:30Z');
    const explained = (await t.as().get('/api/breaches?explained=false&limit=200')).body.items.find((b: { subject: string }) => b.subject === 'L-OK');
    await t.as(org.salesMember.token).post(`/api/breaches/${explained.id}/explanation`).send({ cause: 'Sick day.', correctiveAction: 'A backup.' });

    expect((await sweep(t, '2026-11-11T08:59:00Z')).escalated).toBe(0);
    expect((await sweep(t, '2026-11-11T09:01:00Z')).escalated).toBe(1);
    expect((await sweep(t, '2026-11-11T09:30:00Z')).escalated).toBe(0);
    await dispatch(t);
    const escalations = about('L-ESC').filter((mail) => mail.subject?.startsWith('Unexplained'));
    expect(escalations.map((mail) => (Array.isArray(mail.to) ? '' : mail.to?.value[0].address)).sort()).toEqual(
      [org.marketingHead.email, org.salesHead.email].sort(),
    );
    expect(about('L-OK').filter((mail) => mail.subject?.startsWith('Unexplained'))).toEqual([]);
  });

  it('announces a quota at risk once past half the month, and the missed month as a breach', async () => {
    t.clock.set('2026-11-04T12:00:00Z');
    const mqls = Array.from({ length: 20 }, (_, i) => crmEvent('lead.mql', `M-${i}`, '2026-11-03T10:00:00+01:00', { region: 'EU' }));
    await send(t, org, mqls);
    expect((await sweep(t, '2026-11-10T12:00:00Z')).quotasAtRisk).toBe(0);
    expect((await sweep(t, '2026-11-17T12:00:00Z')).quotasAtRisk).toBe(1);
    await sweep(t, '2026-11-18T12:00:00Z');
    await dispatch(t);
    const atRisk = sink.messages.filter((mail) => mail.subject?.startsWith('Quota at risk'));
    expect(atRisk).toHaveLength(2);
    expect(atRisk[0].subject).toBe('Quota at risk: Marketing delivers qualified leads — 36 of 200 at this pace');

    expect((await sweep(t, '2026-12-01T00:00:30+01:00')).periodsMissed).toBe(1);
    await dispatch(t);
    const missed = sink.to(org.marketingHead.email).filter((mail) => mail.subject?.startsWith('Breach: Marketing delivers'));
    expect(missed).toHaveLength(1);
    expect(missed[0].text).toContain('Period:    2026-11: 20 of 200, 180 short');
  });

  it('loses nothing while the SMTP server is down, and delivers everything once when it is back', async () => {
    await sink.stop();
    t.clock.set('2026-12-07T07:30:00Z');
    await send(t, org, [crmEvent('lead.handed_over', 'L-DOWN', '2026-12-07T09:00:00+01:00', { score: 'hot' })]);
    await sweep(t, '2026-12-07T09:00:30Z');
    const first = await dispatch(t);
    expect(first).toMatchObject({ sent: 0 });
    expect(first.retrying).toBeGreaterThanOrEqual(2);
    const waiting = async () =>
      (await t.as().get('/api/notifications?status=pending&limit=200')).body.items.filter((n: { subject: string }) => n.subject?.includes('L-DOWN'));
    expect(await waiting()).toHaveLength(2);
    expect((await waiting())[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });

    // Still down a minute later: the messages wait, doubling their pause.
    t.clock.set('2026-12-07T09:01:10Z');
    expect(await dispatch(t)).toMatchObject({ sent: 0 });
    expect((await waiting()).map((n: { attempts: number }) => n.attempts)).toEqual([2, 2]);

    await sink.start();
    t.clock.set('2026-12-07T09:02:20Z');
    expect(await dispatch(t)).toMatchObject({ retrying: 0 });
    expect(about('L-DOWN')).toHaveLength(2);
    t.clock.set('2026-12-07T10:00:00Z');
    expect(await dispatch(t)).toMatchObject({ sent: 0 });
    expect(about('L-DOWN')).toHaveLength(2);
  });

  it('does not announce a breach a late event withdrew before its alert left', async () => {
    t.clock.set('2026-12-08T07:30:00Z');
    await send(t, org, [crmEvent('lead.handed_over', 'L-LATE', '2026-12-08T09:00:00+01:00', { score: 'hot' })]);
    await sweep(t, '2026-12-08T09:00:30Z');
    await send(t, org, [crmEvent('lead.contacted', 'L-LATE', '2026-12-08T09:30:00+01:00')]);
    expect(await dispatch(t)).toMatchObject({ sent: 0, skipped: 2 });
    expect(about('L-LATE')).toEqual([]);
  });

  it('lets only admins see and retry the outbox, and refuses bad requests', async () => {
    expect((await t.as(org.salesHead.token).get('/api/notifications')).status).toBe(403);
    expect((await t.as().get('/api/notifications?status=lost')).status).toBe(400);
    const sent = (await t.as().get('/api/notifications?status=sent&limit=1')).body.items[0];
    expect((await t.as().post(`/api/notifications/${sent.id}/retry`)).status).toBe(409);
    expect((await t.as().post('/api/notifications/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
  });
});

describe('a message that keeps failing', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    await sink.stop(); // keep its port, closed
    t = await TestApp.start({ env: { SMTP_URL: sink.url, OUTBOX_MAX_ATTEMPTS: '2' } });
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('is marked failed with the SMTP error after the last attempt, and can be retried by an admin', async () => {
    const { org } = await setUp(t);
    t.clock.set('2026-11-02T07:30:00Z');
    await send(t, org, [crmEvent('lead.handed_over', 'L-FAIL', '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
    await sweep(t, '2026-11-02T09:00:30Z');
    expect(await dispatch(t)).toMatchObject({ retrying: 2 });
    t.clock.set('2026-11-02T09:01:10Z');
    expect(await dispatch(t)).toMatchObject({ failed: 2 });
    const failed = await t.as().get('/api/notifications?status=failed');
    expect(failed.body.items).toHaveLength(2);
    expect(failed.body.items[0]).toMatchObject({ attempts: 2, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });

    await sink.start();
    const retried = await t.as().post(`/api/notifications/${failed.body.items[0].id}/retry`);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await dispatch(t)).toMatchObject({ sent: 1 });
    expect(sink.messages).toHaveLength(1);
  });
});

describe('emails without SMTP_URL', () => {
  it('are written as readable .eml files', async () => {
    const t = await TestApp.start();
    try {
      const { org } = await setUp(t);
      t.clock.set('2026-11-02T07:30:00Z');
      await send(t, org, [crmEvent('lead.handed_over', 'L-EML', '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
      await sweep(t, '2026-11-02T09:00:30Z');
      expect(await dispatch(t)).toMatchObject({ sent: 2 });
      const directory = t.app.get(AppConfig).OUTBOX_DIR;
      const files = readdirSync(directory).filter((file) => file.endsWith('.eml'));
      expect(files).toHaveLength(2);
      const mail = await simpleParser(readFileSync(join(directory, files[0])));
      expect(mail.subject).toBe('Breach: Hot leads are called fast — L-EML');
      expect(mail.text).toContain('Subject:   L-EML\nTarget:    hot: 1 working hour\n');
      expect(mail.html).toContain('Explain this breach');
    } finally {
      await t.close();
    }
  });
});

describe('several instances on one database', () => {
  const sink = new SmtpSink();
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    await sink.start();
    database = await createTestDatabase({ shared: true });
    first = await TestApp.start({ database, env: { SMTP_URL: sink.url } });
    second = await TestApp.start({ database, env: { SMTP_URL: sink.url } });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
    await sink.stop();
  });

  it('send each alert once when both sweep and dispatch at the same moment', async () => {
    const { org } = await setUp(first);
    first.clock.set('2026-11-02T07:30:00Z');
    const leads = Array.from({ length: 25 }, (_, i) => crmEvent('lead.handed_over', `P-${i}`, '2026-11-02T09:00:00+01:00', { score: 'hot' }));
    await send(first, org, leads);
    for (const t of [first, second]) t.clock.set('2026-11-02T09:00:30Z');
    await Promise.all([first, second].map((t) => t.as().post('/api/admin/sweep')));
    const reports = await Promise.all([first, second, first, second].map((t) => dispatch(t)));
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(50);
    expect(sink.messages).toHaveLength(50);
    expect(new Set(sink.messages.map((mail) => `${mail.subject}|${JSON.stringify(mail.to)}`)).size).toBe(50);
    expect(new Set(sink.messages.map((mail) => mail.messageId)).size).toBe(50);
  });
});
