import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Mailer } from '../../src/notifications/mailer.js';
import { Notification } from '../../src/notifications/notification.entity.js';
import { type DispatchReport, LEASE_MS, OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.js';
import { SessionsService } from '../../src/web/sessions.service.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

/** Messages to write to the outbox: sign-in links, the simplest fact there is. */
async function links(t: TestApp, ...emails: string[]): Promise<void> {
  for (const email of emails) await t.app.get(SessionsService).sendLink(email);
}

const statusOf = async (t: TestApp, id: string) => (await t.app.get(DataSource).manager.findOneByOrFail(Notification, { id })).status;

describe('emails the outbox gave up on', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    // Nothing listens on port 1: every attempt fails, and one attempt is all a message gets.
    t = await TestApp.start({ env: { SMTP_URL: 'smtp://127.0.0.1:1', OUTBOX_MAX_ATTEMPTS: '1' } });
    org = await seedOrg(t);
    await links(t, org.salesMember.email, org.marketingMember.email);
    expect((await t.as().post('/api/notifications/dispatch')).body).toMatchObject({ sent: 0, failed: 2 });
  });
  afterAll(async () => t?.close());

  it('lists them for admins with the SMTP error, by the department of their recipients', async () => {
    const sales = await t.as().get(`/api/notifications?status=failed&departmentId=${org.sales.id}`);
    expect(sales.status).toBe(200);
    expect(sales.body.total).toBe(1);
    expect(sales.body.items[0]).toMatchObject({ recipientEmail: org.salesMember.email, status: 'failed', attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect((await t.as().get('/api/notifications?status=failed')).body.total).toBe(2);
    const bad = await t.as().get('/api/notifications?status=failed&departmentId=sales');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('departmentId');
  });

  it("tells admins (all) and heads (their department's people) on the dashboard, and no one else", async () => {
    const dashboard = async (token: string) => (await (await pageSession(t, token)).get('/')).text;
    const notice = (count: string) => `<a href="/undelivered-emails">${count} could not be delivered</a>`;
    expect(await dashboard(TEST_ADMIN_TOKEN)).toContain(notice('2 emails'));
    expect(await dashboard(org.salesHead.token)).toContain(notice('1 email'));
    expect(await dashboard(org.marketingHead.token)).toContain(notice('1 email'));
    expect(await dashboard(org.salesMember.token)).not.toContain('could not be delivered');
  });

  it('shows them where the dashboard links, each with its error; only admins send one again', async () => {
    const head = await pageSession(t, org.salesHead.token);
    const seen = await head.get('/undelivered-emails');
    expect(seen.status).toBe(200);
    expect(seen.text).toContain(org.salesMember.email);
    expect(seen.text).not.toContain(org.marketingMember.email);
    expect(seen.text).toMatch(/<td>[^<]*(ECONNREFUSED|connect)[^<]*<\/td>/i);
    expect(seen.text).toContain('Your Concord sign-in link');
    expect(seen.text).not.toContain('Send again');
    expect((await (await pageSession(t, org.salesMember.token)).get('/undelivered-emails')).status).toBe(403);

    const failed = (await t.as().get(`/api/notifications?status=failed&departmentId=${org.sales.id}`)).body.items[0];
    expect((await head.post(`/undelivered-emails/${failed.id}/retry`)).status).toBe(403);
    expect(await statusOf(t, failed.id)).toBe('failed');

    const admin = await pageSession(t, TEST_ADMIN_TOKEN);
    const all = await admin.get('/undelivered-emails');
    expect(all.text).toContain(org.salesMember.email);
    expect(all.text).toContain(org.marketingMember.email);
    expect(all.text.match(/>Send again</g)).toHaveLength(2);
    const retried = await admin.post(`/undelivered-emails/${failed.id}/retry`);
    expect(retried.status).toBe(303);
    expect(await statusOf(t, failed.id)).toBe('pending');
    expect((await t.as().get('/api/notifications?status=failed')).body.total).toBe(1);
  });
});

describe('the outbox sends at least once, with a stable Message-ID', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  it("sends a message again once its lease has run out when its 'sent' mark was lost, with the same Message-ID", async () => {
    await links(t, org.salesHead.email);
    const [row] = (await t.as().get('/api/notifications?status=pending')).body.items;
    const repository = t.app.get(DataSource).getRepository(Notification);
    const update = repository.update.bind(repository);
    // The database goes away just after the SMTP server accepted the message: the mark is lost.
    jest.spyOn(repository, 'update').mockImplementation(async (criteria, patch) => {
      if ((patch as { status?: string }).status === 'sent') throw new Error('connection to the database lost');
      return update(criteria, patch);
    });
    await expect(t.app.get(OutboxDispatcher).dispatch()).rejects.toThrow('connection to the database lost');
    jest.restoreAllMocks();
    expect(sink.messages).toHaveLength(1);
    expect(await statusOf(t, row.id)).toBe('sending');

    t.clock.advance(LEASE_MS - 1000);
    expect(await t.app.get(OutboxDispatcher).dispatch()).toMatchObject({ sent: 0 });
    t.clock.advance(1001);
    expect(await t.app.get(OutboxDispatcher).dispatch()).toMatchObject({ sent: 1 });
    expect(sink.messages).toHaveLength(2);
    expect(sink.messages.map((mail) => mail.messageId)).toEqual([`<${row.id}@127.0.0.1>`, `<${row.id}@127.0.0.1>`]);
    expect(await statusOf(t, row.id)).toBe('sent');
  });

  it('never sends a message twice when a slow batch outlives its first lease and another pass takes over', async () => {
    sink.messages.length = 0;
    await links(t, org.marketingHead.email, org.marketingMember.email, org.salesMember.email, org.salesHead.email);
    const dispatcher = t.app.get(OutboxDispatcher);
    const mailer = t.app.get(Mailer);
    const send = mailer.send.bind(mailer);
    let calls = 0;
    let takeover: Promise<DispatchReport> | undefined;
    // Each send takes two minutes; during the third, another instance runs a pass of its own.
    jest.spyOn(mailer, 'send').mockImplementation(async (mail) => {
      calls += 1;
      t.clock.advance(2 * 60_000);
      if (calls === 3) {
        takeover = dispatcher.dispatch();
        await takeover;
      }
      return send(mail);
    });
    const first = await dispatcher.dispatch();
    const second = await (takeover as unknown as Promise<DispatchReport>);
    expect(first.sent + second.sent).toBe(4);
    expect(second.sent).toBe(1);
    const to = sink.messages.map((mail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0].address).sort();
    expect(to).toEqual([org.marketingHead.email, org.marketingMember.email, org.salesHead.email, org.salesMember.email].sort());
  });
});
