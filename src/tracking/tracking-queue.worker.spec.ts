import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { ManualClock } from '../common/clock.js';
import { loadConfig } from '../config/app-config.js';
import { EventMeasurer } from '../events/event-measurer.js';
import { MAX_ADMISSION_WAIT_MS, TrackingQueueWorker } from './tracking-queue.worker.js';

/** Pacing alone (TRACKING_MAX_BACKLOG): no database; the queue's I/O stands in. */
describe('TrackingQueueWorker admission', () => {
  const worker = (env: Record<string, string>) => {
    const measurer = new EventMeasurer({ enqueue: async () => undefined } as never, new ManualClock('2026-11-02T08:00:00Z'));
    measurer.register({ track: async () => [], matches: async (_manager, events) => events.map(() => true) });
    const queue = { pendingEvents: async () => 0 };
    const dataSource = { options: { type: 'postgres' }, manager: {}, transaction: async () => Promise.reject(new Error('the drain failed')) };
    const created = new TrackingQueueWorker(
      dataSource as never,
      queue as never,
      {} as never,
      {} as never,
      measurer,
      loadConfig({ TRACKING_INTERVAL_MS: '60000', ...env }),
    );
    created.onModuleInit();
    const store = (events: number) => measurer.track({} as EntityManager, Array.from({ length: events }, (_, i) => ({ id: `e${i}`, type: 't', subject: 's', occurredAt: 0, attributes: {} })));
    return { worker: created, measurer, store };
  };
  afterEach(() => jest.useRealTimers());

  it('lets a delivery through at once up to the limit, and holds it above', async () => {
    const { worker: w, measurer, store } = worker({ TRACKING_MAX_BACKLOG: '10' });
    await store(10);
    expect(w.backlog).toBe(10);
    await measurer.admit(5);
    await store(1);
    let admitted = false;
    void measurer.admit(5).then(() => (admitted = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(admitted).toBe(false);
    await w.onModuleDestroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toBe(true);
  });

  it('holds a delivery at most MAX_ADMISSION_WAIT_MS, then lets it be stored anyway', async () => {
    jest.useFakeTimers();
    const { measurer, store } = worker({ TRACKING_MAX_BACKLOG: '1' });
    await store(2);
    let admitted = false;
    void measurer.admit(1).then(() => (admitted = true));
    await jest.advanceTimersByTimeAsync(MAX_ADMISSION_WAIT_MS - 1000);
    expect(admitted).toBe(false);
    await jest.advanceTimersByTimeAsync(2000);
    expect(admitted).toBe(true);
  });

  it('never holds with TRACKING_MAX_BACKLOG=0, nor when tracking is in the request', async () => {
    const { measurer, store } = worker({ TRACKING_MAX_BACKLOG: '0' });
    await store(100_000);
    await expect(measurer.admit(1)).resolves.toBe(0);
    const inRequest = new EventMeasurer({} as never, new ManualClock('2026-11-02T08:00:00Z'));
    await expect(inRequest.admit(1)).resolves.toBe(0);
  });

  it('counts a delivery let through until it is settled, so deliveries arriving together do not all pass', async () => {
    const { worker: w, measurer } = worker({ TRACKING_MAX_BACKLOG: '10' });
    expect(await measurer.admit(8)).toBe(8);
    // 8 counted: at most the limit, so the next goes through too, and counts.
    expect(await measurer.admit(8)).toBe(8);
    expect(w.backlog).toBe(16);
    let third = false;
    void measurer.admit(1).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(third).toBe(false);
    // Both stored (counted as queued now) and settled: still 16 waiting for tracking.
    measurer.queuedBy(16);
    measurer.settled(8);
    measurer.settled(8);
    expect(w.backlog).toBe(16);
    await w.onModuleDestroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(true);
  });

  it('holds no delivery while catch-ups fail: the drains it would wait for may not come', async () => {
    const { worker: w, measurer, store } = worker({ TRACKING_MAX_BACKLOG: '1' });
    await store(5);
    await expect(w.catchUp()).rejects.toThrow('the drain failed');
    let admitted = false;
    void measurer.admit(1).then(() => (admitted = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(admitted).toBe(true);
  });
});
