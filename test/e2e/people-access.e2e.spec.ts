import { DataSource } from 'typeorm';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SessionsService } from '../../src/web/sessions.service.js';
import { TestApp } from '../support/test-app.js';

describe('taking a person’s access away, and giving it back', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  const linksOf = async (personId: string) =>
    Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM sign_in_links WHERE person_id = '${personId}'`))[0].n);

  it('refuses a non-boolean, and lets only admins change it, changing nothing otherwise', async () => {
    const notBoolean = await t.as().patch(`/api/people/${org.salesMember.id}`).send({ active: 'no' });
    expect(notBoolean.status).toBe(400);
    expect(Object.keys(notBoolean.body.errors)).toEqual(['active']);
    const byHead = await t.as(org.salesHead.token).patch(`/api/people/${org.salesMember.id}`).send({ active: false });
    expect(byHead.status).toBe(403);
    expect(byHead.body.message).toContain('only an admin may change active');
    const bySelf = await t.as(org.salesMember.token).patch(`/api/people/${org.salesMember.id}`).send({ active: false });
    expect(bySelf.status).toBe(403);
    expect((await t.as().get(`/api/people/${org.salesMember.id}`)).body.active).toBe(true);
  });

  it('ends tokens, sessions and sign-in links at once, and brings them back on reactivation', async () => {
    const session = await pageSession(t, org.salesMember.token);
    expect((await session.get('/')).status).toBe(200);

    const off = await t.as().patch(`/api/people/${org.salesMember.id}`).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const api = await t.as(org.salesMember.token).get('/api/people');
    expect(api.status).toBe(401);
    expect(api.body.message).toBe('this person no longer has access to Concord');
    expect((await session.get('/')).status).toBe(303);
    const links = await linksOf(org.salesMember.id);
    const anonymous = await t.anonymous().get('/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(anonymous.text)![1];
    const cookie = (anonymous.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const asked = await t.anonymous().post('/sign-in/email').set('Cookie', cookie).type('form').send({ _csrf: csrf, email: org.salesMember.email });
    expect(asked.status).toBe(200);
    await t.app.get(SessionsService).linkRequestsServed();
    expect(await linksOf(org.salesMember.id)).toBe(links);

    const on = await t.as().patch(`/api/people/${org.salesMember.id}`).send({ active: true });
    expect(on.body.active).toBe(true);
    expect((await t.as(org.salesMember.token).get('/api/people')).status).toBe(200);
    // The old session stays ended: coming back means signing in again.
    expect((await session.get('/')).status).toBe(303);
    expect((await (await pageSession(t, org.salesMember.token)).get('/')).status).toBe(200);
  });

  it('never takes the access of the last active admin', async () => {
    const admins = (await t.as().get('/api/people?role=admin')).body.items as { id: string }[];
    expect(admins).toHaveLength(1);
    const refused = await t.as().patch(`/api/people/${admins[0].id}`).send({ active: false });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('last active admin');
    expect((await t.as().get(`/api/people/${admins[0].id}`)).body.active).toBe(true);
  });
});
