import { DataSource } from 'typeorm';
import { hashTokenSecret } from '../../src/auth/token-secret.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

describe('sign-in, roles and the audit log over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('tokens', () => {
    it('requires a token on every /api route, and not on /health or /docs', async () => {
      for (const path of ['/api/departments', '/api/people', '/api/calendars', '/api/audit']) {
        const response = await t.anonymous().get(path);
        expect(response.status).toBe(401);
        expect(response.body.message).toMatch(/Bearer/);
      }
      expect((await t.anonymous().post('/api/departments').send({ name: 'X', timezone: 'UTC' })).status).toBe(401);
      expect((await t.anonymous().get('/health')).body).toEqual({ status: 'ok', database: 'up' });
      expect((await t.anonymous().get('/docs')).status).toBe(200);
      const openApi = await t.anonymous().get('/docs-json');
      expect(openApi.status).toBe(200);
      expect(Object.keys(openApi.body.paths)).toEqual(
        expect.arrayContaining(['/api/departments', '/api/people/{id}/tokens', '/api/calendars/{id}/due', '/health']),
      );
    });

    it('refuses unknown tokens and malformed headers with 401', async () => {
      expect((await t.as('cnc_this-token-was-never-issued').get('/api/people')).status).toBe(401);
      const basic = await t.anonymous().get('/api/people').set('Authorization', `Basic ${TEST_ADMIN_TOKEN}`);
      expect(basic.status).toBe(401);
    });

    it('shows a new token once and stores only its hash', async () => {
      const issued = await t.as(org.salesMember.token).post(`/api/people/${org.salesMember.id}/tokens`).send({ name: 'laptop' });
      expect(issued.status).toBe(201);
      expect(issued.body.token).toMatch(/^cnc_[A-Za-z0-9_-]{43}$/);
      expect(issued.body.prefix).toBe(issued.body.token.slice(0, 10));

      const listed = await t.as(org.salesMember.token).get(`/api/people/${org.salesMember.id}/tokens`);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
      expect(listed.body.map((token: { name: string }) => token.name)).toContain('laptop');

      const dataSource = t.app.get(DataSource);
      const rows: Record<string, unknown>[] = await dataSource.query('SELECT * FROM api_tokens');
      expect(JSON.stringify(rows)).not.toContain(issued.body.token);
      expect(rows.map((row) => row.token_hash)).toContain(hashTokenSecret(issued.body.token));

      const audit = await t.as().get('/api/audit?entityType=api-token&limit=200');
      expect(JSON.stringify(audit.body)).not.toContain(issued.body.token);
    });

    it('stops accepting a token the moment it is revoked', async () => {
      const issued = await t.as().post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'to revoke' });
      expect((await t.as(issued.body.token).get('/api/people')).status).toBe(200);

      const revoked = await t.as(org.marketingMember.token).delete(`/api/people/${org.marketingMember.id}/tokens/${issued.body.id}`);
      expect(revoked.status).toBe(204);
      const refused = await t.as(issued.body.token).get('/api/people');
      expect(refused.status).toBe(401);
      expect(refused.body.message).toMatch(/revoked/);

      const listed = await t.as().get(`/api/people/${org.marketingMember.id}/tokens`);
      expect(listed.body.find((token: { id: string }) => token.id === issued.body.id).revokedAt).toEqual(expect.any(String));
      // Revoking again changes nothing.
      expect((await t.as().delete(`/api/people/${org.marketingMember.id}/tokens/${issued.body.id}`)).status).toBe(204);
    });

    it("lets people manage their own tokens, heads their department's, admins everyone's", async () => {
      expect((await t.as(org.salesMember.token).post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'x' })).status).toBe(403);
      expect((await t.as(org.salesHead.token).post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'x' })).status).toBe(403);
      expect((await t.as(org.salesHead.token).get(`/api/people/${org.marketingMember.id}/tokens`)).status).toBe(403);
      expect((await t.as(org.marketingHead.token).post(`/api/people/${org.marketingMember.id}/tokens`).send({ name: 'x' })).status).toBe(201);
    });

    it('limits an events-only token to event routes', async () => {
      const issued = await t.as().post(`/api/people/${org.marketingHead.id}/tokens`).send({ name: 'CRM', scope: 'events:write' });
      expect(issued.status).toBe(201);
      expect(issued.body.scope).toBe('events:write');
      const refused = await t.as(issued.body.token).get('/api/departments');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/events:write/);
    });

    it.each([
      ['no name', {}, 'name'],
      ['an unknown scope', { name: 'x', scope: 'root' }, 'scope'],
      ['an unknown field', { name: 'x', expires: 'never' }, 'expires'],
    ])('refuses a token request with %s', async (_case, body, field) => {
      const before = (await t.as().get(`/api/people/${org.salesHead.id}/tokens`)).body.length;
      const response = await t.as().post(`/api/people/${org.salesHead.id}/tokens`).send(body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty(field);
      expect((await t.as().get(`/api/people/${org.salesHead.id}/tokens`)).body.length).toBe(before);
    });

    it('answers 404 for tokens of unknown people and unknown tokens', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await t.as().post(`/api/people/${unknown}/tokens`).send({ name: 'x' })).status).toBe(404);
      expect((await t.as().delete(`/api/people/${org.salesHead.id}/tokens/${unknown}`)).status).toBe(404);
      expect((await t.as().delete(`/api/people/${org.salesHead.id}/tokens/nope`)).status).toBe(400);
    });
  });

  describe('audit log', () => {
    it('records who changed what and when, with the record before and after', async () => {
      t.clock.set('2026-11-03T10:00:00Z');
      const renamed = await t.as(org.marketingHead.token).patch(`/api/departments/${org.marketing.id}`).send({ name: 'Growth Marketing' });
      expect(renamed.status).toBe(200);

      const audit = await t.as().get(`/api/audit?entityType=department&entityId=${org.marketing.id}`);
      expect(audit.status).toBe(200);
      const update = audit.body.items.find((entry: { action: string }) => entry.action === 'update');
      expect(update).toMatchObject({
        actorId: org.marketingHead.id,
        actorEmail: org.marketingHead.email,
        entityType: 'department',
        entityId: org.marketing.id,
        at: '2026-11-03T10:00:00.000Z',
        before: { name: 'Marketing' },
        after: { name: 'Growth Marketing' },
      });
      const create = audit.body.items.find((entry: { action: string }) => entry.action === 'create');
      expect(create).toMatchObject({ before: null, after: { slug: 'marketing' } });
    });

    it('records deletions with what was deleted', async () => {
      const person = await t.as().post('/api/people').send({ name: 'Short Stay', email: 'short@example.com', role: 'member', departmentId: org.sales.id });
      await t.as().delete(`/api/people/${person.body.id}`);
      const audit = await t.as().get(`/api/audit?entityId=${person.body.id}`);
      expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual(['create', 'delete']);
      const deletion = audit.body.items.find((entry: { action: string }) => entry.action === 'delete');
      expect(deletion).toMatchObject({ before: { email: 'short@example.com' }, after: null });
    });

    it('records nothing for a refused change', async () => {
      const before = (await t.as().get('/api/audit?limit=1')).body.total;
      await t.as(org.salesMember.token).patch(`/api/departments/${org.marketing.id}`).send({ name: 'X' });
      await t.as().post('/api/departments').send({ name: 'Marketing', slug: 'growth-marketing', timezone: 'Nowhere/Town' });
      expect((await t.as().get('/api/audit?limit=1')).body.total).toBe(before);
    });

    it('filters by time window', async () => {
      t.clock.set('2026-11-04T12:00:00Z');
      await t.as().patch(`/api/departments/${org.sales.id}`).send({ timezone: 'Europe/Madrid' });
      const window = await t.as().get('/api/audit?from=2026-11-04T11:59:00Z&to=2026-11-04T12:01:00Z');
      expect(window.status).toBe(200);
      expect(window.body.items).toHaveLength(1);
      expect(window.body.items[0]).toMatchObject({ at: '2026-11-04T12:00:00.000Z', after: { timezone: 'Europe/Madrid' } });
      const bad = await t.as().get('/api/audit?from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toHaveProperty('from');
    });

    it('is readable by admins only', async () => {
      expect((await t.as(org.salesHead.token).get('/api/audit')).status).toBe(403);
      expect((await t.as(org.salesMember.token).get('/api/audit')).status).toBe(403);
    });
  });
});
