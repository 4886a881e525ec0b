import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { ManualClock } from '../common/clock.js';
import { EventMeasurer, type StoredEvent } from './event-measurer.js';
import { EventRepository } from './event.repository.js';
import { EventsService } from './events.service.js';
import { TrackingQueueRepository } from './tracking-queue.repository.js';

/**
 * Ingestion's rules on a real database, without the app or HTTP (in-memory SQLite, or PostgreSQL
 * when DATABASE_URL is set): a repeat changes nothing and is measured once.
 */
describe(`event ingestion on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let events: EventsService;
  let measured: StoredEvent[];

  beforeAll(async () => {
    database = await openTestDataSource();
    const measurer = new EventMeasurer(new TrackingQueueRepository(), new ManualClock('2026-11-20T12:00:00Z'));
    // Tracking stands in: it records what it is handed, and measures hand-overs only.
    measurer.register({
      track: async (_manager, stored) => {
        measured.push(...stored);
        return stored.map((event) => event.type === 'lead.handed_over');
      },
    });
    events = new EventsService(database.dataSource, new EventRepository(), measurer, new ManualClock('2026-11-20T12:00:00Z'));
  });
  beforeEach(() => (measured = []));
  afterAll(async () => database?.close());

  const lead = (subject: string, extra: Record<string, unknown> = {}) => ({
    type: 'lead.handed_over',
    subject,
    occurredAt: '2026-11-02T09:15:00+01:00',
    attributes: { score: 'hot' },
    ...extra,
  });
  const stored = async (subject: string) =>
    (await database.dataSource.query(`SELECT id, attributes FROM events WHERE subject = ${database.dataSource.options.type === 'postgres' ? '$1' : '?'}`, [subject])) as {
      id: string;
      attributes: string;
    }[];

  it('stores an event with a key once: a repeat is a duplicate pointing at the stored event, and is not measured again', async () => {
    const [first] = await events.ingest(null, [lead('K-1', { key: 'crm-1' })]);
    expect(first).toMatchObject({ status: 'accepted', matched: true });
    expect(measured.map((event) => event.id)).toEqual([first.id]);

    measured = [];
    expect(await events.ingest(null, [lead('K-1', { key: 'crm-1' })])).toEqual([{ status: 'duplicate', id: first.id }]);
    expect(measured).toEqual([]);
    expect(await stored('K-1')).toHaveLength(1);
  });

  it('refuses a key used again for a different event, and keeps the stored one', async () => {
    const [first] = await events.ingest(null, [lead('K-2', { key: 'crm-2' })]);
    const [reused] = await events.ingest(null, [lead('K-2', { key: 'crm-2', attributes: { score: 'cold' } })]);
    expect(reused).toEqual({ status: 'rejected', errors: { key: ['key "crm-2" was already used for a different event'] } });
    expect(await stored('K-2')).toEqual([{ id: first.id, attributes: '{"score":"hot"}' }]);
  });

  it('knows an event without a key by its content', async () => {
    const [first] = await events.ingest(null, [lead('H-1')]);
    const [again, other] = await events.ingest(null, [lead('H-1'), lead('H-1', { occurredAt: '2026-11-02T09:16:00+01:00' })]);
    expect(again).toEqual({ status: 'duplicate', id: first.id });
    expect(other).toMatchObject({ status: 'accepted' });
    expect(await stored('H-1')).toHaveLength(2);
  });

  it('judges each item of a delivery alone: a copy is a duplicate of the first, a reused key and a faulty item are rejected', async () => {
    const results = await events.ingest(null, [
      lead('D-1', { key: 'crm-d1' }),
      lead('D-1', { key: 'crm-d1' }),
      lead('D-2', { key: 'crm-d1' }),
      { type: 'lead.handed_over', subject: '' },
      { ...lead('D-3'), type: 'stage.entered' },
    ]);
    expect(results.map((result) => result.status)).toEqual(['accepted', 'duplicate', 'rejected', 'rejected', 'accepted']);
    expect(results[1].id).toBe(results[0].id);
    expect(results[2].errors).toEqual({ key: ['key is used by another event of this delivery'] });
    expect(results[4].matched).toBe(false);
    expect(measured.map((event) => event.subject)).toEqual(['D-1', 'D-3']);
  });

  it('answers a redelivered batch of hundreds with the ids it stored the first time', async () => {
    const batch = Array.from({ length: 700 }, (_, i) => lead(`B-${i}`, { key: `crm-b${i}` }));
    const first = await events.ingest(null, batch);
    expect(first.every((result) => result.status === 'accepted')).toBe(true);
    const again = await events.ingest(null, batch);
    expect(again).toEqual(first.map((result) => ({ status: 'duplicate', id: result.id })));
  });

  it('lists the events of one CRM connection along an index that holds only the events of a connection', async () => {
    const connectionId = '0198f0a2-7c1d-7000-8000-00000000c0de';
    const [viaCrm] = await events.ingest(null, [lead('C-1', { key: 'crm-c1' })], undefined, { connectionId });
    await events.ingest(null, [lead('C-2', { key: 'crm-c2' })]);
    const listed = await events.list({ connectionId, limit: 50, offset: 0 });
    expect(listed.items.map((event) => event.id)).toEqual([viaCrm.id]);

    const postgres = database.dataSource.options.type === 'postgres';
    // The index is partial: events sent without a connection write no entry into it ...
    const [definition] = (await database.dataSource.query(
      postgres
        ? `SELECT indexdef AS sql FROM pg_indexes WHERE indexname = 'IDX_events_connection'`
        : `SELECT sql FROM sqlite_master WHERE name = 'IDX_events_connection'`,
    )) as { sql: string }[];
    expect(definition.sql).toMatch(/WHERE \(?"?connection_id"? IS NOT NULL\)?/i);
    // ... and the listing by connection still reads along it.
    const sql = `SELECT id FROM events WHERE connection_id = ${postgres ? '$1' : '?'} ORDER BY occurred_at`;
    const plan = await database.dataSource.transaction(async (manager) => {
      if (postgres) await manager.query('SET LOCAL enable_seqscan = off');
      return (await manager.query(`${postgres ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${sql}`, [connectionId])) as Record<string, unknown>[];
    });
    expect(JSON.stringify(plan)).toContain('IDX_events_connection');
  });
});
