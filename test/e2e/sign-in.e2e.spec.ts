import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createPerson, seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { csrfOf, formBody, pageSession } from '../support/page-session.js';
import { SessionsService } from '../../src/web/sessions.service.js';
import { TestApp } from '../support/test-app.js';

describe('signing in to the pages, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  /** A visitor with the anonymous CSRF cookie and the token of the sign-in forms. */
  async function visitor() {
    const agent = request.agent(t.server);
    const page = await agent.get('/sign-in');
    expect(page.status).toBe(200);
    const csrf = csrfOf(page.text);
    return { agent, csrf, post: (path: string, form: Record<string, unknown>) => agent.post(path).type('form').send(formBody({ _csrf: csrf, ...form })) };
  }

  /** Link requests are served after their answer has gone: wait for them before reading the outbox. */
  const linksServed = () => t.app.get(SessionsService).linkRequestsServed();
  const countOf = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('sends a visitor without a session to sign in, remembering where they were going', async () => {
    const page = await request(t.server).get('/breaches?explained=all');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fbreaches%3Fexplained%3Dall');
  });

  it('refuses a blank, unknown or integration-only token next to the field, opening no session', async () => {
    const v = await visitor();
    const before = await countOf('web_sessions');
    const blank = await v.post('/sign-in/token', { token: '  ', next: '/' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('<p class="field-error" id="f-token-error">paste your API token</p>');
    const unknown = await v.post('/sign-in/token', { token: 'cnc_unknown', next: '/' });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('this API token is unknown');
    const integration = await t.as().post(`/api/people/${org.salesMember.id}/tokens`).send({ name: 'crm', scope: 'events:write' });
    const limited = await v.post('/sign-in/token', { token: integration.body.token, next: '/' });
    expect(limited.status).toBe(401);
    expect(limited.text).toContain('limited to integrations');
    expect((limited.headers['set-cookie'] as unknown as string[] | undefined)?.some((cookie: string) => cookie.startsWith('concord_session=')) ?? false).toBe(false);
    expect(await countOf('web_sessions')).toBe(before);
  });

  it('refuses a sign-in form without the CSRF token of the visitor', async () => {
    const v = await visitor();
    const forged = await v.agent.post('/sign-in/token').type('form').send({ token: org.salesHead.token });
    expect(forged.status).toBe(403);
    const otherVisitors = await v.agent.post('/sign-in/token').type('form').send({ _csrf: 'x'.repeat(43), token: org.salesHead.token });
    expect(otherVisitors.status).toBe(403);
  });

  it('never sends anyone elsewhere after sign-in: an outside `next` becomes the dashboard', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const v = await visitor();
      const signedIn = await v.post('/sign-in/token', { token: org.salesHead.token, next });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/');
    }
  });

  it('sets an http-only, SameSite=Lax session cookie that holds no database value', async () => {
    const v = await visitor();
    const signedIn = await v.post('/sign-in/token', { token: org.salesHead.token, next: '/briefs' });
    expect(signedIn.headers.location).toBe('/briefs');
    const cookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('concord_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const secret = /^concord_session=([^;]+)/.exec(cookie)![1];
    const stored = await t.app.get(DataSource).query('SELECT secret_hash FROM web_sessions');
    expect(stored.map((row: { secret_hash: string }) => row.secret_hash)).not.toContain(secret);
  });

  it('answers an unknown and a malformed address the same way, sending mail only to the known one', async () => {
    const v = await visitor();
    const before = await countOf('notifications');
    const malformed = await v.post('/sign-in/email', { email: 'not an address' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('id="f-email-error">enter the email address you work with');
    expect(malformed.text).toContain('value="not an address"');
    const unknown = await v.post('/sign-in/email', { email: 'nobody@example.com' });
    const known = await v.post('/sign-in/email', { email: org.salesHead.email });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const message = (html: string) => /<p class="notice" role="status">If [^<]* belongs/.test(html);
    expect(message(unknown.text)).toBe(true);
    expect(message(known.text)).toBe(true);
    await linksServed();
    expect(await countOf('notifications')).toBe(before + 1);
  });

  it('answers a known and an unknown address before looking either up, through the same queue', async () => {
    const sessions = t.app.get(SessionsService);
    const v = await visitor();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = sessions.sendLink.bind(sessions);
    // The lookup and the write wait at the gate: the answers cannot depend on them.
    const looked = jest.spyOn(sessions, 'sendLink').mockImplementation(async (email) => {
      await gate;
      return real(email);
    });
    try {
      const before = await countOf('notifications');
      const unknown = await v.post('/sign-in/email', { email: 'nobody@example.com' });
      const known = await v.post('/sign-in/email', { email: org.salesHead.email });
      expect([unknown.status, known.status]).toEqual([200, 200]);
      expect(unknown.text.replaceAll('nobody@example.com', 'ADDRESS')).toBe(known.text.replaceAll(org.salesHead.email, 'ADDRESS'));
      // Both answered while the first lookup still waits and the second is queued behind it.
      expect(looked.mock.calls).toEqual([['nobody@example.com']]);
      expect(await countOf('notifications')).toBe(before);
      release();
      await linksServed();
      expect(looked.mock.calls).toEqual([['nobody@example.com'], [org.salesHead.email]]);
      expect(await countOf('notifications')).toBe(before + 1);
    } finally {
      release();
      looked.mockRestore();
    }
  });

  it('uses a link once, refuses it when expired or unknown, and a GET of the link signs nobody in', async () => {
    const linkFor = async (): Promise<string> => {
      const v = await visitor();
      await v.post('/sign-in/email', { email: org.marketingHead.email });
      await linksServed();
      const [row] = await t.app.get(DataSource).query("SELECT payload FROM notifications WHERE kind = 'sign-in-link' ORDER BY created_at DESC, id DESC LIMIT 1");
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      return new URL(payload.url).searchParams.get('token') as string;
    };
    const token = await linkFor();
    const v = await visitor();
    const confirm = await v.agent.get(`/sign-in/link?token=${token}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Sign in as <strong>Maëlle Head</strong>');
    expect((confirm.headers['set-cookie'] as unknown as string[] | undefined)?.some((c: string) => c.startsWith('concord_session=')) ?? false).toBe(false);
    const used = await v.post('/sign-in/link', { token });
    expect(used.status).toBe(303);
    const again = await (await visitor()).post('/sign-in/link', { token });
    expect(again.status).toBe(401);
    expect(again.text).toContain('already been used');
    const unknown = await (await visitor()).post('/sign-in/link', { token: 'nope' });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('not valid');

    const late = await linkFor();
    t.clock.advance(16 * 60_000);
    const expired = await (await visitor()).post('/sign-in/link', { token: late });
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('expired');
  });

  it('ends a session at sign-out and after 14 days; a forged sign-out changes nothing', async () => {
    const s = await pageSession(t, org.salesMember.token);
    expect((await s.forge('/sign-out')).status).toBe(403);
    expect((await s.get('/')).status).toBe(200);
    expect((await s.post('/sign-out')).status).toBe(303);
    expect((await s.get('/')).status).toBe(303);

    const long = await pageSession(t, org.salesMember.token);
    t.clock.advance(13 * 86_400_000);
    expect((await long.get('/')).status).toBe(200);
    t.clock.advance(2 * 86_400_000);
    expect((await long.get('/')).status).toBe(303);
  });

  it('ends the sessions opened with a token when the token is revoked', async () => {
    const issued = await t.as().post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'laptop' });
    const s = await pageSession(t, issued.body.token);
    const other = await pageSession(t, org.marketingMember.token);
    expect((await s.get('/')).status).toBe(200);
    expect((await t.as().delete(`/api/people/${org.marketingMember.id}/tokens/${issued.body.id}`)).status).toBe(204);
    const after = await s.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/sign-in?next=%2F');
    expect((after.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('concord_session=;'))).toBe(true);
    // The person's session opened with another token goes on.
    expect((await other.get('/')).status).toBe(200);
  });

  it('ends the previous session when the browser signs in again, and signs out an ended session gracefully', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const sessions = async () => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM web_sessions WHERE person_id = '${org.salesMember.id}' AND ended_at IS NULL`))[0].n);
    const before = await sessions();
    const page = await s.get('/sign-in');
    expect(page.status).toBe(303);
    // Signing in again from the same browser (another token, another person): one session, not two.
    const v = await s.agent.post('/sign-in/token').type('form').send(formBody({ _csrf: s.csrf, token: org.salesMember.token, next: '/' }));
    expect(v.status).toBe(303);
    expect(await sessions()).toBe(before);
    expect((await s.get('/')).status).toBe(200);

    const expired = await pageSession(t, org.salesMember.token);
    t.clock.advance(15 * 86_400_000);
    const out = await expired.post('/sign-out');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in');
  });

  it('keeps no more than three live sign-in links per person, however often the button is pressed', async () => {
    const v = await visitor();
    const links = async () => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM sign_in_links WHERE person_id = '${org.salesMember.id}' AND used_at IS NULL`))[0].n);
    const before = await links();
    for (let i = 0; i < 6; i++) expect((await v.post('/sign-in/email', { email: org.salesMember.email })).status).toBe(200);
    await linksServed();
    expect(await links()).toBe(before + 3);
  });

  it('sends the link in an email where a hostile name is text, to the person’s own address', async () => {
    const sink = new SmtpSink();
    await sink.start();
    const mailing = await TestApp.start({ env: { SMTP_URL: sink.url } });
    try {
      const hostile = `<script>alert(1)</script>{{x}}"'&`;
      await createPerson(mailing, { name: hostile, email: 'hostile@example.com', role: 'admin' });
      const agent = request.agent(mailing.server);
      const csrf = csrfOf((await agent.get('/sign-in')).text);
      expect((await agent.post('/sign-in/email').type('form').send(formBody({ _csrf: csrf, email: 'Hostile@Example.com' }))).status).toBe(200);
      await mailing.app.get(SessionsService).linkRequestsServed();
      expect((await mailing.as().post('/api/notifications/dispatch').send({})).status).toBeLessThan(300);
      const mail = sink.messages.find((message) => message.subject === 'Your Concord sign-in link');
      expect(mail?.to).toMatchObject({ value: [{ address: 'hostile@example.com' }] });
      expect(mail?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{x}}');
      expect(mail?.html).not.toContain('<script>');
      expect(mail?.text).toContain(`${hostile}, here is your link`);
      expect(mail?.text).toMatch(/\/sign-in\/link\?token=[A-Za-z0-9_-]{43}/);
    } finally {
      await mailing.close();
      await sink.stop();
    }
  });
});
