import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('departments and people over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function counts() {
    const departments = await t.as().get('/api/departments');
    const people = await t.as().get('/api/people');
    const audit = await t.as().get('/api/audit?limit=1');
    return { departments: departments.body.total, people: people.body.total, audit: audit.body.total };
  }

  describe('departments', () => {
    it('creates a department with a slug derived from its name, and reads it back', async () => {
      const created = await t.as().post('/api/departments').send({ name: 'Customer Success (EMEA)', timezone: 'Europe/Berlin' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Customer Success (EMEA)', slug: 'customer-success-emea', timezone: 'Europe/Berlin', headId: null });
      const read = await t.as().get(`/api/departments/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('lists departments in pages, with their heads', async () => {
      const page = await t.as(org.salesMember.token).get('/api/departments?limit=1&offset=0');
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThanOrEqual(2);
      const all = await t.as().get('/api/departments?limit=200');
      const sales = all.body.items.find((d: { slug: string }) => d.slug === 'sales');
      expect(sales.headId).toBe(org.salesHead.id);
    });

    it('lets the head of a department rename it, and nobody else outside admins', async () => {
      const renamed = await t.as(org.salesHead.token).patch(`/api/departments/${org.sales.id}`).send({ name: 'Sales EMEA' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Sales EMEA');

      const byOtherHead = await t.as(org.marketingHead.token).patch(`/api/departments/${org.sales.id}`).send({ name: 'Hijacked' });
      expect(byOtherHead.status).toBe(403);
      const byMember = await t.as(org.salesMember.token).patch(`/api/departments/${org.sales.id}`).send({ name: 'Hijacked' });
      expect(byMember.status).toBe(403);
      expect((await t.as().get(`/api/departments/${org.sales.id}`)).body.name).toBe('Sales EMEA');
    });

    it('lets only admins create and delete departments', async () => {
      expect((await t.as(org.salesHead.token).post('/api/departments').send({ name: 'Shadow', timezone: 'UTC' })).status).toBe(403);
      const created = await t.as().post('/api/departments').send({ name: 'Temporary', timezone: 'UTC' });
      expect((await t.as(org.salesHead.token).delete(`/api/departments/${created.body.id}`)).status).toBe(403);
      expect((await t.as().delete(`/api/departments/${created.body.id}`)).status).toBe(204);
      expect((await t.as().get(`/api/departments/${created.body.id}`)).status).toBe(404);
    });

    it('refuses a duplicate slug with 409 naming the field, and writes nothing', async () => {
      const before = await counts();
      const duplicate = await t.as().post('/api/departments').send({ name: 'Marketing', timezone: 'UTC' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.errors).toHaveProperty('slug');
      const renamed = await t.as().patch(`/api/departments/${org.sales.id}`).send({ slug: 'marketing' });
      expect(renamed.status).toBe(409);
      expect(await counts()).toEqual(before);
    });

    it('refuses to delete a department that still has people', async () => {
      const response = await t.as().delete(`/api/departments/${org.marketing.id}`);
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(/still has \d+ people/);
    });

    it.each([
      ['an unknown field', { name: 'X', timezone: 'UTC', color: 'red' }, 'color'],
      ['a missing name', { timezone: 'UTC' }, 'name'],
      ['a name of the wrong type', { name: 42, timezone: 'UTC' }, 'name'],
      ['an empty name', { name: '', timezone: 'UTC' }, 'name'],
      ['an unknown time zone', { name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
      ['no time zone and no calendar', { name: 'Nowhere' }, 'timezone'],
      ['a slug with capitals', { name: 'X', slug: 'Bad Slug', timezone: 'UTC' }, 'slug'],
      ['a calendar id that is not a UUID', { name: 'X', timezone: 'UTC', calendarId: 'cal-1' }, 'calendarId'],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
      const before = await counts();
      const response = await t.as().post('/api/departments').send(body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
      expect(response.body.message).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('answers 404 naming the field for a calendar that does not exist', async () => {
      const response = await t.as().post('/api/departments').send({ name: 'X', timezone: 'UTC', calendarId: UNKNOWN_ID });
      expect(response.status).toBe(404);
      expect(response.body.errors).toHaveProperty('calendarId');
    });

    it('refuses a null name on update rather than erasing it', async () => {
      const response = await t.as().patch(`/api/departments/${org.marketing.id}`).send({ name: null });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('name');
    });

    it('answers 404 for unknown ids and 400 for malformed ones', async () => {
      expect((await t.as().get(`/api/departments/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await t.as().patch(`/api/departments/${UNKNOWN_ID}`).send({ name: 'X' })).status).toBe(404);
      expect((await t.as().delete(`/api/departments/${UNKNOWN_ID}`)).status).toBe(404);
      const malformed = await t.as().get('/api/departments/not-an-id');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toHaveProperty('id');
    });

    it('refuses a body that is not JSON with 400', async () => {
      const response = await t.as().post('/api/departments').set('Content-Type', 'application/json').send('{"name": ');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/not valid JSON/);
    });

    it('refuses bad paging with 400', async () => {
      const response = await t.as().get('/api/departments?limit=0&offset=-1');
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors).sort()).toEqual(['limit', 'offset']);
    });
  });

  describe('people', () => {
    it('creates a person with a lower-cased email and the department time zone by default', async () => {
      const response = await t.as().post('/api/people').send({
        name: 'Léa Durand',
        email: 'Lea.Durand@Example.com',
        role: 'member',
        departmentId: org.marketing.id,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ email: 'lea.durand@example.com', timezone: 'Europe/Paris', role: 'member' });
    });

    it('refuses the same email in other capitals with 409', async () => {
      const before = await counts();
      const response = await t.as().post('/api/people').send({
        name: 'Copy',
        email: 'MAELLE@example.com',
        role: 'member',
        departmentId: org.marketing.id,
      });
      expect(response.status).toBe(409);
      expect(response.body.errors).toHaveProperty('email');
      expect(await counts()).toEqual(before);
    });

    it('keeps one head per department', async () => {
      const response = await t.as().post('/api/people').send({
        name: 'Second Head',
        email: 'second.head@example.com',
        role: 'head',
        departmentId: org.sales.id,
      });
      expect(response.status).toBe(409);
      expect(response.body.errors).toHaveProperty('role');
    });

    it('lets a head add members to their own department only', async () => {
      const own = await t.as(org.salesHead.token).post('/api/people').send({
        name: 'New Seller',
        email: 'new.seller@example.com',
        role: 'member',
      });
      expect(own.status).toBe(201);
      expect(own.body.departmentId).toBe(org.sales.id);

      const other = await t.as(org.salesHead.token).post('/api/people').send({
        name: 'Planted',
        email: 'planted@example.com',
        role: 'member',
        departmentId: org.marketing.id,
      });
      expect(other.status).toBe(403);
      const promoted = await t.as(org.salesHead.token).post('/api/people').send({
        name: 'Self-made Admin',
        email: 'selfmade@example.com',
        role: 'admin',
        departmentId: org.sales.id,
      });
      expect(promoted.status).toBe(403);
    });

    it('lets members change their own name and time zone, and nothing of anyone else', async () => {
      const own = await t.as(org.marketingMember.token).patch(`/api/people/${org.marketingMember.id}`).send({ timezone: 'America/New_York' });
      expect(own.status).toBe(200);
      expect(own.body.timezone).toBe('America/New_York');

      const ownRole = await t.as(org.marketingMember.token).patch(`/api/people/${org.marketingMember.id}`).send({ role: 'head' });
      expect(ownRole.status).toBe(403);
      const colleague = await t.as(org.marketingMember.token).patch(`/api/people/${org.marketingHead.id}`).send({ name: 'X' });
      expect(colleague.status).toBe(403);
      const otherDepartment = await t.as(org.marketingMember.token).patch(`/api/people/${org.salesMember.id}`).send({ name: 'X' });
      expect(otherDepartment.status).toBe(403);
      const removal = await t.as(org.marketingMember.token).delete(`/api/people/${org.salesMember.id}`);
      expect(removal.status).toBe(403);
    });

    it("lets a head manage their members, but not another department's", async () => {
      const renamed = await t.as(org.marketingHead.token).patch(`/api/people/${org.marketingMember.id}`).send({ name: 'Marc M.' });
      expect(renamed.status).toBe(200);
      const moved = await t.as(org.marketingHead.token).patch(`/api/people/${org.marketingMember.id}`).send({ departmentId: org.sales.id });
      expect(moved.status).toBe(403);
      const foreign = await t.as(org.marketingHead.token).patch(`/api/people/${org.salesMember.id}`).send({ name: 'X' });
      expect(foreign.status).toBe(403);
    });

    it('lets an admin move a person and change their role', async () => {
      const person = await t.as().post('/api/people').send({ name: 'Mover', email: 'mover@example.com', role: 'member', departmentId: org.marketing.id });
      const moved = await t.as().patch(`/api/people/${person.body.id}`).send({ departmentId: org.sales.id });
      expect(moved.status).toBe(200);
      expect(moved.body.departmentId).toBe(org.sales.id);
      const removed = await t.as(org.salesHead.token).delete(`/api/people/${person.body.id}`);
      expect(removed.status).toBe(204);
      expect((await t.as().get(`/api/people/${person.body.id}`)).status).toBe(404);
    });

    it('filters people by department and role', async () => {
      const heads = await t.as().get(`/api/people?role=head&departmentId=${org.marketing.id}`);
      expect(heads.status).toBe(200);
      expect(heads.body.items.map((p: { id: string }) => p.id)).toEqual([org.marketingHead.id]);
      expect((await t.as().get('/api/people?role=boss')).status).toBe(400);
    });

    it('never removes or demotes the last admin', async () => {
      const admins = await t.as().get('/api/people?role=admin');
      expect(admins.body.items).toHaveLength(1);
      const adminId = admins.body.items[0].id;
      expect((await t.as().patch(`/api/people/${adminId}`).send({ role: 'member', departmentId: org.sales.id })).status).toBe(409);
      expect((await t.as().delete(`/api/people/${adminId}`)).status).toBe(409);
      expect((await t.as().get(`/api/people/${adminId}`)).body.role).toBe('admin');
    });

    it.each([
      ['an invalid email', { name: 'X', email: 'not-an-email', role: 'member' }, 'email'],
      ['an unknown role', { name: 'X', email: 'x1@example.com', role: 'boss' }, 'role'],
      ['a member without department', { name: 'X', email: 'x2@example.com', role: 'member' }, 'departmentId'],
      ['an unknown time zone', { name: 'X', email: 'x3@example.com', role: 'admin', timezone: 'Paris' }, 'timezone'],
      ['an unknown field', { name: 'X', email: 'x4@example.com', role: 'admin', password: 'secret' }, 'password'],
      ['a name that is a list', { name: ['X'], email: 'x5@example.com', role: 'admin' }, 'name'],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
      const before = await counts();
      const response = await t.as().post('/api/people').send(body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('answers 404 naming the field for a department that does not exist', async () => {
      const response = await t.as().post('/api/people').send({ name: 'X', email: 'ghost@example.com', role: 'member', departmentId: UNKNOWN_ID });
      expect(response.status).toBe(404);
      expect(response.body.errors).toHaveProperty('departmentId');
    });

    it('answers 404 for unknown people', async () => {
      expect((await t.as().get(`/api/people/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await t.as().patch(`/api/people/${UNKNOWN_ID}`).send({ name: 'X' })).status).toBe(404);
      expect((await t.as().delete(`/api/people/${UNKNOWN_ID}`)).status).toBe(404);
    });
  });
});
