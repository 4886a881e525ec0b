import { MIGRATIONS } from '../../migrations/index.js';
import { DataSource } from 'typeorm';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Several Concord instances on one database (PostgreSQL in production; a SQLite file here when
 * DATABASE_URL is unset): they migrate, ingest and sweep at the same time without double work.
 */
describe(`several instances on one ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'} database`, () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
    // Both start at once on an empty database: migrations take turns, one first admin is created.
    [first, second] = await Promise.all([TestApp.start({ database }), TestApp.start({ database })]);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  const count = async (sql: string) => Number((await first.app.get(DataSource).query(sql))[0].n);

  it('migrates once and creates one first admin', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM migrations')).toBe(MIGRATIONS.length);
    expect(await count(`SELECT COUNT(*) AS n FROM people WHERE role = 'admin'`)).toBe(1);
  });

  it('records each breach once when every instance sweeps at the same moment', async () => {
    const org = await seedOrg(first);
    const calendarId = await createCalendar(first);
    first.clock.set('2026-11-02T07:00:00Z');
    await signAgreement(first, org, hotLeads(org, calendarId));

    // Sixty hot leads handed over at 09:00 Paris, due at 10:00, sent half through each instance.
    const leads = Array.from({ length: 60 }, (_, i) => crmEvent('lead.handed_over', `P-${i}`, '2026-11-02T09:00:00+01:00', { score: 'hot' }));
    for (const t of [first, second]) t.clock.set('2026-11-02T08:30:00Z');
    const [a, b] = await Promise.all([
      first.as(org.marketingMember.token).post('/api/events').send(leads.slice(0, 30)),
      second.as(org.marketingMember.token).post('/api/events').send(leads.slice(30)),
    ]);
    expect([a.body.accepted, b.body.accepted]).toEqual([30, 30]);

    for (const t of [first, second]) t.clock.set('2026-11-02T09:00:30Z');
    const sweeps = await Promise.all([first, second, first, second].map((t) => t.as().post('/api/admin/sweep')));
    expect(sweeps.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    expect(sweeps.reduce((sum, s) => sum + s.body.breached, 0)).toBe(60);
    expect(await count('SELECT COUNT(*) AS n FROM breaches')).toBe(60);
    expect(await count('SELECT COUNT(DISTINCT clock_id) AS n FROM breaches')).toBe(60);
  });

  it('stores a delivery sent to two instances at once one time, and tracks it once', async () => {
    const admin = (await first.as().get('/api/people?role=admin')).body.items[0].id;
    const crm = (await first.as().post(`/api/people/${admin}/tokens`).send({ name: 'CRM', scope: 'events:write' })).body.token;
    const events = Array.from({ length: 40 }, (_, i) => crmEvent('lead.handed_over', `Q-${i}`, '2026-11-02T09:10:00+01:00', { score: 'warm' }));
    const before = await count('SELECT COUNT(*) AS n FROM events');
    const [a, b] = await Promise.all([first.as(crm).post('/api/events').send(events), second.as(crm).post('/api/events').send(events)]);
    expect(a.body.accepted + b.body.accepted).toBe(40);
    expect(a.body.duplicates + b.body.duplicates).toBe(40);
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(before + 40);
    expect(await count(`SELECT COUNT(*) AS n FROM clocks WHERE subject LIKE 'Q-%'`)).toBe(40);
  });
});
