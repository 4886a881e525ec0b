import { DataSource } from 'typeorm';
import request from 'supertest';
import { SessionsService } from '../../src/web/sessions.service.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { csrfOf, formBody } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

const FAILURES = 5;

describe('limits at the door, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start({ env: { AUTH_FAILURES_PER_MINUTE: String(FAILURES) } });
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());
  // Every test starts on a fresh minute: what an earlier test counted has expired.
  beforeEach(() => t.clock.advance(120_000));

  /** A visitor of the sign-in page with its anonymous CSRF cookie. */
  async function visitor() {
    const agent = request.agent(t.server);
    const csrf = csrfOf((await agent.get('/sign-in')).text);
    return { agent, post: (path: string, form: Record<string, unknown>) => agent.post(path).type('form').send(formBody({ _csrf: csrf, ...form })) };
  }

  it('answers 429 with Retry-After once an address has failed too often, while a good token keeps working from it', async () => {
    for (let i = 0; i < FAILURES; i++) {
      const guess = await t.as(`cnc_guess-${i}`).get('/api/people');
      expect(guess.status).toBe(401);
      expect(guess.headers['retry-after']).toBeUndefined();
    }
    const blocked = await t.as('cnc_guess-again').get('/api/people');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too many requests', message: expect.stringMatching(/too many failed sign-ins .*try again in 60 s/) });

    // The same address, during the block: a valid token is served, and its request counts nothing.
    for (let i = 0; i < 3; i++) expect((await t.as(org.salesHead.token).get('/api/people')).status).toBe(200);
    expect((await t.as().get('/api/departments')).status).toBe(200);

    t.clock.advance(45_000);
    const later = await t.as('cnc_guess-later').get('/api/people');
    expect(later.status).toBe(429);
    expect(later.headers['retry-after']).toBe('15');

    t.clock.advance(15_000);
    expect((await t.as('cnc_guess-after-the-minute').get('/api/people')).status).toBe(401);
  });

  it('counts revoked tokens and page sign-ins with a wrong token or link against the same address', async () => {
    const issued = await t.as().post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'old laptop' });
    await t.as().delete(`/api/people/${org.marketingMember.id}/tokens/${issued.body.id}`);
    expect((await t.as(issued.body.token).get('/api/people')).status).toBe(401);

    const v = await visitor();
    for (let i = 1; i < FAILURES - 1; i++) expect((await v.post('/sign-in/token', { token: `cnc_wrong-${i}`, next: '/' })).status).toBe(401);
    expect((await v.post('/sign-in/link', { token: 'not-a-link' })).status).toBe(401);

    const form = await v.post('/sign-in/token', { token: 'cnc_wrong-again', next: '/' });
    expect(form.status).toBe(429);
    expect(Number(form.headers['retry-after'])).toBe(60);
    expect(form.text).toMatch(/id="f-token-error">too many failed sign-ins from [^<]*; try again in 60 s/);
    const link = await v.agent.get('/sign-in/link?token=not-a-link-either');
    expect(link.status).toBe(429);
    expect(link.headers['retry-after']).toBe('60');
    expect((await t.as('cnc_guess').get('/api/people')).status).toBe(429);

    // A good token still signs in to the pages from the blocked address.
    const signedIn = await v.post('/sign-in/token', { token: org.salesHead.token, next: '/' });
    expect(signedIn.status).toBe(303);
  });

  it('limits the sign-in links one address asks for, known address or not, and writes none past the limit', async () => {
    const sessions = t.app.get(SessionsService);
    const links = async () => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM sign_in_links WHERE person_id = '${org.marketingHead.id}'`))[0].n);
    const before = await links();
    const v = await visitor();
    for (let i = 0; i < FAILURES - 1; i++) expect((await v.post('/sign-in/email', { email: `stranger-${i}@example.com` })).status).toBe(200);
    expect((await v.post('/sign-in/email', { email: org.marketingHead.email })).status).toBe(200);
    const refused = await v.post('/sign-in/email', { email: org.marketingHead.email });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.text).toMatch(/id="f-email-error">too many sign-in links asked for from [^<]*; try again in 60 s/);
    await sessions.linkRequestsServed();
    expect(await links()).toBe(before + 1);

    // Failed tokens are counted apart: asking for links did not use up the address's sign-in attempts.
    expect((await t.as('cnc_guess').get('/api/people')).status).toBe(401);
    t.clock.advance(60_000);
    expect((await v.post('/sign-in/email', { email: org.marketingHead.email })).status).toBe(200);
  });

  it('reads X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    // Without TRUST_PROXY a client cannot pick a new address per guess.
    for (let i = 0; i <= FAILURES; i++) await t.as('cnc_guess').get('/api/people').set('X-Forwarded-For', `203.0.113.${i}`);
    expect((await t.as('cnc_guess').get('/api/people').set('X-Forwarded-For', '198.51.100.7')).status).toBe(429);

    const proxied = await TestApp.start({ env: { AUTH_FAILURES_PER_MINUTE: String(FAILURES), TRUST_PROXY: 'loopback' } });
    try {
      const from = (address: string) => proxied.as('cnc_guess').get('/api/people').set('X-Forwarded-For', address);
      for (let i = 0; i < FAILURES; i++) expect((await from('203.0.113.5')).status).toBe(401);
      expect((await from('203.0.113.5')).status).toBe(429);
      expect((await from('203.0.113.6')).status).toBe(401);
      // An IPv6 client counts by its /64, so it cannot step through its own subnet.
      for (let i = 0; i < FAILURES; i++) expect((await from(`2001:db8:1:2::${i + 1}`)).status).toBe(401);
      expect((await from('2001:db8:1:2::ffff')).status).toBe(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('the request budget of a token, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start({ env: { TOKEN_REQUESTS_PER_MINUTE: '40' } });
    org = await seedOrg(t);
    t.clock.advance(120_000);
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After past the budget of a sliding minute, to that token only', async () => {
    for (let i = 0; i < 30; i++) expect((await t.as(org.salesMember.token).get('/api/departments')).status).toBe(200);
    t.clock.advance(20_000);
    for (let i = 0; i < 10; i++) expect((await t.as(org.salesMember.token).get('/api/departments')).status).toBe(200);
    const refused = await t.as(org.salesMember.token).get('/api/departments');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('40');
    expect(refused.body.message).toMatch(/this token has made 40 requests in the last minute, its limit; try again in 40 s/);
    expect((await t.as(org.salesHead.token).get('/api/departments')).status).toBe(200);

    // Once the first 30 are a minute old, 30 more fit; refused requests did not count.
    t.clock.advance(40_000);
    for (let i = 0; i < 30; i++) expect((await t.as(org.salesMember.token).get('/api/departments')).status).toBe(200);
    expect((await t.as(org.salesMember.token).get('/api/departments')).status).toBe(429);
  });
});
