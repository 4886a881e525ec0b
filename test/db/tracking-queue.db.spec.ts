import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { TrackingQueueRepository } from '../../src/events/tracking-queue.repository.js';
import { TrackingQueueWorker, type AppliedDrain } from '../../src/tracking/tracking-queue.worker.js';
import { TrackingService } from '../../src/tracking/tracking.service.js';
import { createCalendar, crmEvent, hotLeads, PARIS_OFFICE, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Tracking behind the events (issue 16) on a real database shared by several instances
 * (PostgreSQL when DATABASE_URL is set, else a SQLite file): a delivery stores its events and a
 * queue row; the worker applies each stored event exactly once — after a crash between storing
 * and tracking, after a drain that failed half-way, with two instances draining at once — and
 * in the order the events happened. The worker's interval is long (60 s): the tests drain by hand.
 */
describe(`the tracking queue on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  const QUEUED = { TRACKING_INTERVAL_MS: '60000' };
  let database: TestDatabase;
  let apps: TestApp[];
  let org: SeededOrg;

  beforeEach(async () => {
    database = await createTestDatabase({ shared: true });
    const first = await TestApp.start({ database, env: QUEUED });
    apps = [first];
    org = await seedOrg(first);
    const calendarId = await createCalendar(first);
    first.clock.set('2026-11-02T07:00:00Z');
    await signAgreement(first, org, hotLeads(org, calendarId));
    await signAgreement(first, org, qualifiedLeads(org, calendarId));
  });

  afterEach(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  const start = async (env: Record<string, string> = QUEUED) => {
    const app = await TestApp.start({ database, env });
    app.clock.set('2026-11-02T08:30:00Z');
    apps.push(app);
    return app;
  };
  const count = async (sql: string) => Number((await apps[0].app.get(DataSource).query(sql))[0].n);
  const queueRows = () => count('SELECT COUNT(*) AS n FROM tracking_queue');
  const clocks = () => count(`SELECT COUNT(*) AS n FROM clocks WHERE state <> 'void'`);
  /** EU MQLs counted by the quota agreement: a count, so an event applied twice shows. */
  const quotaCount = () => count('SELECT COALESCE(SUM(count), 0) AS n FROM quota_periods');

  /** `leads` hot leads handed over on Monday 2 November 2026 at 09:00 Paris, each with an EU MQL the minute before. */
  const delivery = (prefix: string, leads: number) =>
    Array.from({ length: leads }, (_, i) => [
      crmEvent('lead.mql', `${prefix}-${i}`, '2026-11-02T08:59:00+01:00', { region: 'EU' }),
      crmEvent('lead.handed_over', `${prefix}-${i}`, '2026-11-02T09:00:00+01:00', { score: 'hot' }),
    ]).flat();
  const send = async (app: TestApp, events: object[]) => {
    const response = await app.as(org.marketingMember.token).post('/api/events').send(events);
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(events.length);
    return response.body;
  };

  it('answers at once with what measures each event, and tracks nothing until the worker drains', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    const answer = await send(app, [...delivery('A', 2), crmEvent('lead.unknown', 'A-0', '2026-11-02T09:00:00+01:00')]);
    expect(answer.results.map((result: { matched: boolean }) => result.matched)).toEqual([true, true, true, true, false]);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([1, 0, 0]);

    expect(await app.app.get(TrackingQueueWorker).catchUp()).toBe(5);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 2, 2]);
  });

  it('applies events stored before a crash once, when the service starts again', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    await send(app, delivery('C', 3));
    await send(app, delivery('D', 2));
    // The process stops with the events stored and their tracking still queued.
    await app.close();
    apps.shift();
    // Without a worker, the queue left behind is applied before the service answers anything.
    await start({ TRACKING_INTERVAL_MS: '0' });
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 5, 5]);

    // Started again (and drained again), nothing is applied a second time.
    const again = await start();
    expect(await again.app.get(TrackingQueueWorker).catchUp()).toBe(0);
    expect([await clocks(), await quotaCount()]).toEqual([5, 5]);
  });

  it('keeps the queue row of a drain that failed half-way, and applies it once on the next drain', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    await send(app, delivery('F', 4));
    const tracking = app.app.get(TrackingService);
    const track = tracking.track.bind(tracking);
    // Clocks, quotas and stage entries written, then the process "dies" before the commit.
    const failing = jest.spyOn(tracking, 'track').mockImplementationOnce(async (manager, events) => {
      await track(manager, events);
      throw new Error('killed mid-drain');
    });
    await expect(app.app.get(TrackingQueueWorker).catchUp()).rejects.toThrow('killed mid-drain');
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([1, 0, 0]);

    failing.mockRestore();
    expect(await app.app.get(TrackingQueueWorker).catchUp()).toBe(8);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 4, 4]);
  });

  it('applies each event once when two instances drain the same queue at once', async () => {
    const [first] = apps;
    const second = await start();
    first.clock.set('2026-11-02T08:30:00Z');
    for (let i = 0; i < 6; i++) await send(i % 2 ? second : first, delivery(`T${i}`, 20));
    expect(await queueRows()).toBe(6);

    const workers = [first, second].map((app) => app.app.get(TrackingQueueWorker));
    // PostgreSQL: both instances at the same moment (rows one of them holds are skipped by the
    // other). SQLite has one writer and both instances share this test's thread, where one would
    // wait for a lock the other cannot release: two drains of each instance at once, the instances
    // one after the other.
    const drained =
      process.env.DATABASE_URL
        ? await Promise.all([workers[0].catchUp(), workers[1].catchUp(), workers[0].catchUp(), workers[1].catchUp()])
        : [...(await Promise.all([workers[0].catchUp(), workers[0].catchUp()])), ...(await Promise.all([workers[1].catchUp(), workers[1].catchUp()]))];
    // Every event tracked by exactly one of the drains, and counted once.
    expect(drained.reduce((sum, events) => sum + events, 0)).toBe(240);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 120, 120]);
    expect(await count(`SELECT COUNT(*) AS n FROM breaches`)).toBe(0);
  });

  it('drains again after a large drain, not after a small one: its few events join the next catch-up', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    const worker = app.app.get(TrackingQueueWorker);
    worker.eventsPerDrain = 50;
    const claims = jest.spyOn(app.app.get(TrackingQueueRepository), 'claim');
    const drains: AppliedDrain[] = [];
    const subscription = worker.applied.subscribe((drain) => drains.push(drain));
    try {
      // Two whole drains of 50, then 2 events: fewer than a tenth of 50, so no fourth claim.
      await send(app, delivery('W', 25));
      await send(app, delivery('X', 25));
      await send(app, delivery('Y', 1));
      expect(await worker.catchUp()).toBe(102);
      expect(drains.map((drain) => drain.events)).toEqual([50, 50, 2]);
      expect(claims).toHaveBeenCalledTimes(3);

      // 20 events: not a whole drain, but not a small one either: one more claim finds nothing.
      await send(app, delivery('Z', 10));
      expect(await worker.catchUp()).toBe(20);
      expect(claims).toHaveBeenCalledTimes(5);
      expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 61, 61]);
    } finally {
      subscription.unsubscribe();
      claims.mockRestore();
    }
  });

  // Only PostgreSQL lets another drain hold rows while this one claims (SQLite has one writer).
  if (process.env.DATABASE_URL) it('drains the rows behind one another drain holds, however small each is (PostgreSQL)', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    const worker = app.app.get(TrackingQueueWorker);
    worker.eventsPerDrain = 50;
    await send(app, delivery('H', 25));
    for (let i = 0; i < 3; i++) await send(app, delivery(`S${i}`, 1));
    // Another instance's drain holds the first row (50 events) until told to roll back.
    const dataSource = app.app.get(DataSource);
    let release = () => undefined as void;
    let held = () => undefined as void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = dataSource
      .transaction(async (manager) => {
        expect((await app.app.get(TrackingQueueRepository).claim(manager, 50)).batches).toHaveLength(1);
        held();
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('the other drain dies');
      })
      .catch(() => undefined);
    await holding;
    // Each free row is a small drain (2 events), but each claim stopped at its budget: on to the next.
    expect(await worker.catchUp()).toBe(6);
    expect([await queueRows(), await clocks()]).toEqual([1, 3]);
    release();
    await holder;
    expect(await worker.catchUp()).toBe(50);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 28, 28]);
  });

  it('applies one catch-up with TRACKING_DRAINS drains at once on PostgreSQL, one at a time on SQLite, each event once', async () => {
    const first = await start({ ...QUEUED, TRACKING_DRAINS: '2' });
    for (let i = 0; i < 6; i++) await send(first, delivery(`D${i}`, 20));
    const worker = first.app.get(TrackingQueueWorker);
    worker.eventsPerDrain = 40;
    // How many drains apply tracking at the same moment.
    const tracking = first.app.get(TrackingService);
    const track = tracking.track.bind(tracking);
    let inFlight = 0;
    let most = 0;
    jest.spyOn(tracking, 'track').mockImplementation(async (manager, events) => {
      most = Math.max(most, ++inFlight);
      try {
        // Long enough for a second drain to claim its rows meanwhile, if one may.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return await track(manager, events);
      } finally {
        inFlight -= 1;
      }
    });
    const drains: AppliedDrain[] = [];
    const subscription = worker.applied.subscribe((drain) => drains.push(drain));
    expect(await worker.catchUp()).toBe(240);
    subscription.unsubscribe();
    expect(most).toBe(process.env.DATABASE_URL ? 2 : 1);
    // Each queue row claimed by exactly one drain; every event counted once.
    expect(drains.flatMap((drain) => drain.seqs).sort((a, b) => a - b)).toHaveLength(6);
    expect(new Set(drains.flatMap((drain) => drain.seqs)).size).toBe(6);
    expect([await queueRows(), await clocks(), await quotaCount()]).toEqual([0, 120, 120]);
  });

  it('leaves locked only the queue rows a drain takes: a second drain claims the next ones meanwhile', async () => {
    const [first] = apps;
    for (let i = 0; i < 6; i++) await send(first, delivery(`C${i}`, 5));
    const dataSource = first.app.get(DataSource);
    const queue = first.app.get(TrackingQueueRepository);
    const seqs = async (claim: Promise<{ batches: { seq: number }[] }>) => (await claim).batches.map((batch) => batch.seq);
    const all: number[] = (await dataSource.query('SELECT seq FROM tracking_queue ORDER BY seq')).map((row: { seq: number | string }) => Number(row.seq));
    // About 20 events: two rows of ten. On PostgreSQL the second claim runs while the first's
    // transaction is open; SQLite has one writer, so there it runs after the first committed.
    let second: number[] = [];
    const firstClaim = await dataSource.transaction(async (manager) => {
      const taken = await seqs(queue.claim(manager, 20));
      if (process.env.DATABASE_URL) second = await dataSource.transaction((other) => seqs(queue.claim(other, 20)));
      return taken;
    });
    if (!process.env.DATABASE_URL) second = await dataSource.transaction((other) => seqs(queue.claim(other, 20)));
    expect(firstClaim).toEqual(all.slice(0, 2));
    expect(second).toEqual(all.slice(2, 4));
    expect(await queueRows()).toBe(2);
  });

  it('counts a quota signed while events wait in the queue once: the backfill leaves them to their drain', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T08:30:00Z');
    await send(app, delivery('Q', 5));
    const calendarId = await createCalendar(app, { ...PARIS_OFFICE, name: 'Second office' });
    const agreementId = await signAgreement(app, org, { ...qualifiedLeads(org, calendarId), name: 'Signed with events queued' });
    const counted = () => count(`SELECT COALESCE(SUM(count), 0) AS n FROM quota_periods WHERE agreement_id = '${agreementId}'`);
    expect(await counted()).toBe(0);

    await app.app.get(TrackingQueueWorker).catchUp();
    expect(await counted()).toBe(5);
  });

  it('applies the queue in the order it was written and each subject by when its events happened', async () => {
    const [app] = apps;
    app.clock.set('2026-11-02T12:00:00Z');
    // The call arrives before the hand-over it answers, in an earlier delivery.
    await send(app, [crmEvent('lead.contacted', 'O-1', '2026-11-02T09:20:00+01:00')]);
    await send(app, [crmEvent('lead.handed_over', 'O-1', '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
    await send(app, delivery('O2', 1));
    const worker = app.app.get(TrackingQueueWorker);
    const drains: AppliedDrain[] = [];
    const subscription = worker.applied.subscribe((drain) => drains.push(drain));
    await worker.catchUp();
    subscription.unsubscribe();

    const seqs = drains.flatMap((drain) => drain.seqs);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toHaveLength(3);
    const rows = (await app.as().get('/api/clocks?subject=O-1')).body.items;
    expect(rows.map((clock: { outcome: string; state: string }) => [clock.state, clock.outcome])).toEqual([['stopped', 'met']]);
  });

  it('holds a delivery back, unstored, while more than TRACKING_MAX_BACKLOG events wait, and stores it once a drain has caught up', async () => {
    const app = await start({ ...QUEUED, TRACKING_MAX_BACKLOG: '5' });
    const worker = app.app.get(TrackingQueueWorker);
    await send(app, delivery('H', 3));
    expect(worker.backlog).toBe(6);

    let answered = 0;
    // Two deliveries held at once are let go together: each stores in a transaction of its own.
    const held = [send(app, delivery('J', 1)), send(app, delivery('M', 1))].map((sent) => sent.then((body) => ((answered += 1), body)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Not stored yet: the queue still holds the first delivery alone, and nothing answered.
    expect([answered, await queueRows(), await count(`SELECT COUNT(*) AS n FROM events WHERE subject IN ('J-0', 'M-0')`)]).toEqual([0, 1, 0]);

    expect(await worker.catchUp()).toBe(6);
    expect((await Promise.all(held)).map((body) => body.accepted)).toEqual([2, 2]);
    expect([await queueRows(), worker.backlog]).toEqual([2, 4]);
    expect(await worker.catchUp()).toBe(4);
    expect([await clocks(), await quotaCount()]).toEqual([5, 5]);
  });

  it('never holds a delivery back with TRACKING_MAX_BACKLOG=0', async () => {
    const app = await start({ ...QUEUED, TRACKING_MAX_BACKLOG: '0' });
    await send(app, delivery('K', 3));
    await send(app, delivery('L', 3));
    expect([await queueRows(), app.app.get(TrackingQueueWorker).backlog]).toEqual([2, 12]);
  });

  it('stores and queues a delivery whole or not at all: events with a queue row listing exactly the new ones, in order', async () => {
    const app = await start();
    const dataSource = app.app.get(DataSource);
    const sent = delivery('Q', 1);
    const first = await send(app, sent);
    // A repeat of the first delivery's MQL and two new events: only the new ones are stored and queued.
    const again = await app
      .as(org.marketingMember.token)
      .post('/api/events')
      .send([sent[0], ...delivery('R', 1)]);
    expect(again.body).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(again.body.results[0]).toEqual({ status: 'duplicate', id: first.results[0].id });
    const rows = (await dataSource.query('SELECT event_ids, event_count FROM tracking_queue ORDER BY seq')) as { event_ids: string; event_count: number }[];
    expect(rows.map((row) => [JSON.parse(row.event_ids), Number(row.event_count)])).toEqual([
      [first.results.map((result: { id: string }) => result.id), 2],
      [again.body.results.slice(1).map((result: { id: string }) => result.id), 2],
    ]);

    // The queue cannot be written: the events are not stored either.
    await dataSource.query('ALTER TABLE tracking_queue RENAME TO tracking_queue_away');
    try {
      const refused = await app.as(org.marketingMember.token).post('/api/events').send(delivery('S', 1));
      expect(refused.status).toBe(500);
    } finally {
      await dataSource.query('ALTER TABLE tracking_queue_away RENAME TO tracking_queue');
    }
    expect(await count(`SELECT COUNT(*) AS n FROM events WHERE subject = 'S-0'`)).toBe(0);
    expect(await app.app.get(TrackingQueueWorker).catchUp()).toBe(4);
    expect([await clocks(), await quotaCount()]).toEqual([2, 2]);
  });

  it('refuses hostile events sent while tracking is queued as it does in the request: named, nothing stored, nothing queued', async () => {
    const app = await start();
    const events = () => count('SELECT COUNT(*) AS n FROM events');
    const [eventsBefore, rowsBefore] = [await events(), await queueRows()];
    const post = (body: unknown) => app.as(org.marketingMember.token).post('/api/events').set('Content-Type', 'application/json').send(body as object);

    // One event alone takes PostgreSQL's one-statement path: a 400 naming the field.
    const nul = await post({ type: 'lead.mql', subject: 'Z-1', occurredAt: '2026-11-02T08:59:00+01:00', attributes: { note: 'a\u0000b' } });
    expect([nul.status, Object.keys(nul.body.errors ?? {})]).toEqual([400, ['attributes.note']]);
    const proto = await post('{"type":"lead.mql","subject":"Z-2","occurredAt":"2026-11-02T08:59:00+01:00","attributes":{"__proto__":{"x":1}}}');
    expect([proto.status, Object.keys(proto.body.errors ?? {})]).toEqual([400, ['attributes.__proto__']]);
    const nothing = await post({ type: null, subject: null, occurredAt: null });
    expect(nothing.status).toBe(400);
    expect(Object.keys(nothing.body.errors ?? {}).sort()).toEqual(['occurredAt', 'subject', 'type']);
    const future = await post({ type: 'lead.mql', subject: 'Z-3', occurredAt: '+275760-09-13T00:00:00Z' });
    expect([future.status, Object.keys(future.body.errors ?? {})]).toEqual([400, ['occurredAt']]);
    expect([await events(), await queueRows(), app.app.get(TrackingQueueWorker).backlog]).toEqual([eventsBefore, rowsBefore, 0]);

    // A huge number is an ordinary attribute: stored as sent, queued, and tracked once.
    const huge = await post({ type: 'lead.mql', subject: 'Z-4', occurredAt: '2026-11-02T08:59:00+01:00', key: 'z-4', attributes: { region: 'EU', amount: 1e308 } });
    expect(huge.status).toBe(201);
    expect([await events(), await queueRows()]).toEqual([eventsBefore + 1, rowsBefore + 1]);
    expect(await app.app.get(TrackingQueueWorker).catchUp()).toBe(1);
    expect(await quotaCount()).toBe(1);
  });
});
