import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TestApp } from '../support/test-app.js';

describe('the first start on an empty database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('creates the first admin once, prints a generated token once, and that token signs in', async () => {
    const first = await TestApp.start({ database, env: { CONCORD_ADMIN_TOKEN: undefined, LOG_LEVEL: 'log' } });
    let token: string;
    try {
      const banner = first.logger.lines.join('\n');
      const printed = banner.match(/cnc_[A-Za-z0-9_-]{43}/g) ?? [];
      expect(new Set(printed).size).toBe(1);
      token = printed[0] ?? '';
      expect(banner).toContain('admin@concord.local');
      const people = await first.as(token).get('/api/people');
      expect(people.status).toBe(200);
      expect(people.body.items).toEqual([expect.objectContaining({ role: 'admin', email: 'admin@concord.local' })]);
    } finally {
      await first.close();
    }

    const second = await TestApp.start({ database, env: { CONCORD_ADMIN_TOKEN: undefined, LOG_LEVEL: 'log' } });
    try {
      expect(second.logger.lines.join('\n')).not.toMatch(/cnc_/);
      const people = await second.as(token).get('/api/people');
      expect(people.status).toBe(200);
      expect(people.body.total).toBe(1);
    } finally {
      await second.close();
    }
  });
});

describe('the first start with CONCORD_ADMIN_TOKEN', () => {
  it('uses that token for the first admin and never prints it', async () => {
    const t = await TestApp.start({ env: { CONCORD_ADMIN_TOKEN: 'scripted-admin-token-for-ci-0001', CONCORD_ADMIN_EMAIL: 'ops@example.com', LOG_LEVEL: 'log' } });
    try {
      expect(t.logger.lines.join('\n')).not.toContain('scripted-admin-token-for-ci-0001');
      const people = await t.as('scripted-admin-token-for-ci-0001').get('/api/people');
      expect(people.status).toBe(200);
      expect(people.body.items[0]).toMatchObject({ email: 'ops@example.com', role: 'admin' });
    } finally {
      await t.close();
    }
  });
});
