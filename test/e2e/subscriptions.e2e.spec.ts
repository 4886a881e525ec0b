import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('scheduled breach reports by email', () => {
  const sink = new SmtpSink();
  let database: TestDatabase;
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    await sink.start();
    database = await createTestDatabase({ shared: true });
    t = await TestApp.start({ database, env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    t.clock.set('2026-10-21T12:00:00Z');
    await t.as(org.marketingMember.token).post('/api/events').send([
      crmEvent('lead.handed_over', 'W-1', '2026-10-20T09:00:00+02:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'W-1', '2026-10-20T11:30:00+02:00'),
    ]);
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await sink.stop();
  });

  async function sweepAndSend(app: TestApp, instant: string) {
    app.clock.set(instant);
    const sweep = (await app.as().post('/api/admin/sweep')).body;
    await app.as().post('/api/notifications/dispatch');
    return sweep;
  }

  const reports = () => sink.messages.filter((mail) => mail.subject?.startsWith('Breach report'));

  it('sends a Monday 08:00 report at 08:00 Paris time on both sides of the autumn clock change, once per week', async () => {
    t.clock.set('2026-10-15T12:00:00Z');
    const created = await t.as(org.marketingHead.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every Monday 08:00' });
    expect(created.status).toBe(201);
    // Paris is on summer time until Sunday 25 October: Monday the 19th at 08:00 is 06:00 UTC.
    expect(created.body.nextAt).toBe('2026-10-19T06:00:00.000Z');

    expect((await sweepAndSend(t, '2026-10-19T05:59:00Z')).reportsQueued).toBe(0);
    await sweepAndSend(t, '2026-10-19T06:00:20Z');
    expect(reports()).toHaveLength(1);
    await sweepAndSend(t, '2026-10-19T07:00:00Z');
    expect(reports()).toHaveLength(1);

    // After the change, Monday the 26th at 08:00 is 07:00 UTC.
    await sweepAndSend(t, '2026-10-26T06:30:00Z');
    expect(reports()).toHaveLength(1);
    await sweepAndSend(t, '2026-10-26T07:00:10Z');
    expect(reports()).toHaveLength(2);
    const second = reports()[1];
    expect(second.text).toContain('W-1');
    expect(second.html).toContain('W-1');
    expect(second.text).toMatch(/2026-10-19/);
  });

  it('never sends a week twice, even after a restart', async () => {
    await t.close();
    t = await TestApp.start({ database, env: { SMTP_URL: sink.url } });
    await sweepAndSend(t, '2026-10-26T08:00:00Z');
    expect(reports()).toHaveLength(2);
  });

  it('refuses bad subscriptions with the field named', async () => {
    for (const [body, field] of [
      [{ report: 'breaches', schedule: 'weekly' }, 'schedule'],
      [{ report: 'breaches', schedule: 'every Funday 08:00' }, 'schedule'],
      [{ report: 'gossip', schedule: 'every Monday 08:00' }, 'report'],
      [{ report: 'breaches', schedule: 'every Monday 08:00', departmentIds: ['sales'] }, 'departmentIds'],
    ] as const) {
      const response = await t.as(org.salesMember.token).post('/api/subscriptions').send(body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
    }
    const unknown = await t.as(org.salesMember.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every day 08:00', departmentIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.status).toBe(404);
    const forSomeoneElse = await t.as(org.salesMember.token).post('/api/subscriptions').send({ personId: org.marketingHead.id, report: 'breaches', schedule: 'every day 08:00' });
    expect(forSomeoneElse.status).toBe(403);
    const own = await t.as(org.salesMember.token).get('/api/subscriptions');
    expect(own.body.total).toBe(0);
  });
});
