import { DataSource } from 'typeorm';
import { AgreementCatalogue } from '../../src/tracking/agreement-catalogue.js';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The catalogue of agreements in force is kept per process between deliveries of events (issue
 * 16: it was read with three ORM queries per request) — and never handed out once the rows it
 * was built from changed, whoever changed them: this instance, another one on the same
 * database, or the caller's own transaction.
 */
describe(`the agreement catalogue kept per process (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let org: SeededOrg;
  let calendarId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
    first = await TestApp.start({ database });
    second = await TestApp.start({ database });
    org = await seedOrg(first);
    calendarId = await createCalendar(first);
    for (const t of [first, second]) t.clock.set('2026-11-02T07:00:00Z');
    await signAgreement(first, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  const catalogueOf = (t: TestApp) => t.app.get(AgreementCatalogue);
  const managerOf = (t: TestApp) => t.app.get(DataSource).manager;

  it('hands out the same catalogue again while nothing it was built from changed', async () => {
    const once = await catalogueOf(first).load(managerOf(first));
    const again = await catalogueOf(first).load(managerOf(first));
    expect(once).toHaveLength(1);
    expect(again).toBe(once);
  });

  it('sees an agreement signed through another instance at its next load, and measures events by it', async () => {
    const before = await catalogueOf(first).load(managerOf(first));
    const signed = await signAgreement(second, org, { ...hotLeads(org, calendarId), name: 'Warm leads too' });
    const after = await catalogueOf(first).load(managerOf(first));
    expect(after).not.toBe(before);
    expect(after.map((measured) => measured.agreement.id)).toContain(signed);

    for (const t of [first, second]) t.clock.set('2026-11-02T08:30:00Z');
    const sent = await first.as(org.marketingMember.token).post('/api/events').send(crmEvent('lead.handed_over', 'CAT-1', '2026-11-02T09:00:00+01:00', { score: 'hot' }));
    expect(sent.status).toBe(201);
    const clocks = await managerOf(first).query(`SELECT agreement_id FROM clocks WHERE subject = 'CAT-1'`);
    expect(clocks.map((row: { agreement_id: string }) => row.agreement_id)).toContain(signed);
    expect(clocks).toHaveLength(2);
  });

  it('follows a calendar changed through another instance', async () => {
    const before = await catalogueOf(first).load(managerOf(first));
    const oldVersion = before[0].versions[0].calendarVersion;
    const changed = await second.as().patch(`/api/calendars/${calendarId}`).send({ name: 'Paris office, renamed' });
    expect(changed.status).toBe(200);
    const after = await catalogueOf(first).load(managerOf(first));
    expect(after).not.toBe(before);
    expect(after[0].versions[0].calendarVersion).toBeGreaterThan(oldVersion);
  });

  it("reads the caller's own transaction: a change it made shows, and after its rollback the change is gone", async () => {
    const before = await catalogueOf(first).load(managerOf(first));
    expect(before.every((measured) => measured.versions.every((version) => version.activeUntil === null))).toBe(true);
    const rollback = new Error('rolled back on purpose');
    await expect(
      first.app.get(DataSource).transaction(async (manager) => {
        await manager.query(`UPDATE agreements SET status = 'retired'`);
        const inside = await catalogueOf(first).load(manager);
        expect(inside.every((measured) => measured.agreement.status === 'retired')).toBe(true);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const after = await catalogueOf(first).load(managerOf(first));
    expect(after.every((measured) => measured.agreement.status === 'active')).toBe(true);
  });
});
