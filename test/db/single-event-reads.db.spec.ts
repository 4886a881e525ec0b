import { jest } from '@jest/globals';
import { DataSource, QueryFailedError } from 'typeorm';
import { TrackingService } from '../../src/tracking/tracking.service.js';
import { SqlDialect } from '../../src/database/sql-dialect.js';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, mqlsBecomeSqls } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * What a single event's request reads besides storing it (issue 16), on a real database
 * (PostgreSQL when DATABASE_URL is set, else a SQLite file), with tracking queued as the
 * single-events benchmark runs it. On PostgreSQL the token look-ups of requests arriving together
 * are shared, the catalogue's fingerprint and the counted stages are read by the statement that
 * stores the events, and the hot statements are prepared: none of it may answer from before the
 * request — a token revoked, an agreement signed, a stage added just before are seen by it.
 */
describe(`a single event's reads on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;

  beforeEach(async () => {
    database = await createTestDatabase();
    t = await TestApp.start({ database, env: { TRACKING_INTERVAL_MS: '60000' } });
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    t.clock.set('2026-11-02T07:00:00Z');
  });

  afterEach(async () => {
    await t.close();
    await database.drop();
  });

  let sent = 0;
  /** One event per request, `count` requests at once; answers each response. */
  const sendAtOnce = (token: string, type: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        t
          .as(token)
          .post('/api/events')
          .send(crmEvent(type, `lead-${++sent}`, '2026-11-02T09:00:00+01:00', { score: 'hot' })),
      ),
    );
  const matchedOf = (responses: { status: number; body: { results?: { matched?: boolean }[]; status?: string; matched?: boolean } }[]) =>
    responses.map((response) => {
      expect(response.status).toBe(201);
      return response.body.matched;
    });

  it('answers whether an event is measured by the agreements and stages in force when it was stored, the catalogue cached between requests', async () => {
    // Nothing measures a hand-over yet (the cache holds an empty catalogue after the first).
    expect(matchedOf(await sendAtOnce(org.marketingMember.token, 'lead.handed_over', 5))).toEqual([false, false, false, false, false]);
    await signAgreement(t, org, hotLeads(org, calendarId));
    expect(matchedOf(await sendAtOnce(org.marketingMember.token, 'lead.handed_over', 5))).toEqual([true, true, true, true, true]);

    // A conversion agreement measures the entries of its stages: a stage entered by a new type
    // measures that type from the next request on (the counted stages are read with the event).
    const stages = await createFunnel(t, org);
    await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages));
    expect(matchedOf(await sendAtOnce(org.marketingMember.token, 'lead.webinar_attended', 3))).toEqual([false, false, false]);
    const entered = await t.as().patch(`/api/stages/${stages.SQL}`).send({ enteredOn: { type: 'lead.webinar_attended' } });
    expect(entered.status).toBe(200);
    expect(matchedOf(await sendAtOnce(org.marketingMember.token, 'lead.webinar_attended', 3))).toEqual([true, true, true]);

    // Every event stored once and queued once.
    const source = t.app.get(DataSource);
    const [{ n: events }] = await source.query('SELECT COUNT(*) AS n FROM events');
    const [{ n: queued }] = await source.query('SELECT COALESCE(SUM(event_count), 0) AS n FROM tracking_queue');
    expect([Number(events), Number(queued)]).toEqual([16, 16]);
  });

  it('authenticates requests arriving together each as its own sender, and refuses a token revoked before the request', async () => {
    const second = await t.as().post(`/api/people/${org.salesMember.id}/tokens`).send({ name: 'crm' });
    expect(second.status).toBe(201);
    const [marketing, sales] = await Promise.all([
      sendAtOnce(org.marketingMember.token, 'lead.handed_over', 10),
      sendAtOnce(second.body.token, 'lead.handed_over', 10),
    ]);
    const source = t.app.get(DataSource);
    const senders = async (responses: { body: { id?: string } }[]) => {
      const ids = responses.map((response) => response.body.id);
      const rows: { source_id: string }[] = await source.query(
        `SELECT source_id FROM events WHERE id IN (${SqlDialect.of(source).params(1, ids.length)})`,
        ids,
      );
      return [...new Set(rows.map((row) => row.source_id))];
    };
    expect(await senders(marketing)).toEqual([org.marketingMember.id]);
    expect(await senders(sales)).toEqual([org.salesMember.id]);

    expect((await t.as().delete(`/api/people/${org.salesMember.id}/tokens/${second.body.id}`)).status).toBe(204);
    const [stillMarketing, revoked] = await Promise.all([
      sendAtOnce(org.marketingMember.token, 'lead.handed_over', 5),
      sendAtOnce(second.body.token, 'lead.handed_over', 5),
    ]);
    expect(stillMarketing.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(revoked.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
  });

  // Only PostgreSQL stores a queued delivery before telling what measures it (one statement, no transaction).
  if (process.env.DATABASE_URL)
    it('answers a stored event as accepted, without "matched", when telling what measures it fails after storing', async () => {
      const failing = jest.spyOn(t.app.get(TrackingService), 'matchesRead').mockRejectedValueOnce(new Error('connection lost'));
      try {
        const [response] = await sendAtOnce(org.marketingMember.token, 'lead.handed_over', 1);
        expect(response.status).toBe(201);
        expect(response.body.status).toBe('accepted');
        expect(response.body).not.toHaveProperty('matched');
        const source = t.app.get(DataSource);
        const [{ n: queued }] = await source.query('SELECT COALESCE(SUM(event_count), 0) AS n FROM tracking_queue');
        const [{ n: stored }] = await source.query('SELECT COUNT(*) AS n FROM events WHERE id = $1', [response.body.id]);
        expect([Number(stored), Number(queued)]).toEqual([1, 1]);
      } finally {
        failing.mockRestore();
      }
    });

  it('runs a prepared statement like any other, again and again, and fails it as TypeORM fails a query', async () => {
    const manager = t.app.get(DataSource).manager;
    const dialect = SqlDialect.of(manager);
    const sql = `SELECT id FROM departments WHERE id = ${dialect.param(1)}`;
    for (let i = 0; i < 7; i++) {
      expect(await SqlDialect.rows(manager, sql, [org.sales.id], { prepared: true })).toEqual([{ id: org.sales.id }]);
    }
    if (dialect.kind === 'postgres') {
      // Prepared indeed: the connection that ran it holds it by name.
      const runner = t.app.get(DataSource).createQueryRunner();
      try {
        await SqlDialect.rows(runner.manager, sql, [org.marketing.id], { prepared: true });
        const held: { name: string; statement: string }[] = await runner.query('SELECT name, statement FROM pg_prepared_statements');
        expect(held.filter((statement) => statement.statement === sql).map((statement) => statement.name)).toEqual([expect.stringMatching(/^concord_\d+$/)]);
      } finally {
        await runner.release();
      }
    }
    // The same department again: its primary key refuses it.
    const insert = `INSERT INTO departments (id, name, slug, timezone, created_at, updated_at) SELECT ${dialect.param(1)}, name, slug, timezone, created_at, updated_at FROM departments WHERE id = ${dialect.param(2)}`;
    const failure = await SqlDialect.rows(manager, insert, [org.sales.id, org.sales.id], { prepared: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(String((failure as QueryFailedError).driverError)).toMatch(/duplicate key|UNIQUE constraint/);
  });
});
