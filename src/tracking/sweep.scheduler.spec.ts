import { jest } from '@jest/globals';
import type { DueWork } from '../common/due-work.js';
import { loadConfig } from '../config/app-config.js';
import { SweepScheduler } from './sweep.scheduler.js';

describe('SweepScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function scheduler(seconds: string, sweep: () => Promise<unknown>) {
    const dueWork = { runDue: sweep } as unknown as DueWork;
    return new SweepScheduler(dueWork, loadConfig({ SWEEP_INTERVAL_SECONDS: seconds }));
  }

  const report = { breached: 0, warned: 0, periodsClosed: 0, periodsMissed: 0, recomputed: 0 };

  it('sweeps every 30 seconds by default, so a breach is found within a minute of its due time', async () => {
    const sweep = jest.fn(async () => report);
    const schedule = scheduler('30', sweep);
    schedule.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(29_999);
    expect(sweep).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(sweep).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sweep).toHaveBeenCalledTimes(3);
    await schedule.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sweep).toHaveBeenCalledTimes(3);
  });

  it('never runs two sweeps at once, and survives a failing one', async () => {
    let finish: () => void = () => undefined;
    const sweep = jest.fn(() => new Promise((resolve, reject) => (finish = () => (sweep.mock.calls.length === 1 ? reject(new Error('database away')) : resolve(report)))));
    const schedule = scheduler('1', sweep);
    schedule.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sweep).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sweep).toHaveBeenCalledTimes(2);
    finish();
    await schedule.onModuleDestroy();
  });

  it('lets a sweep in flight finish before the application lets its database go', async () => {
    let finish: () => void = () => undefined;
    const sweep = jest.fn(() => new Promise((resolve) => (finish = () => resolve(report))));
    const schedule = scheduler('1', sweep);
    schedule.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = schedule.onModuleDestroy().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    expect(sweep).toHaveBeenCalledTimes(1);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sweep).toHaveBeenCalledTimes(1);
  });

  it('does not schedule anything when the interval is 0', async () => {
    const sweep = jest.fn(async () => report);
    scheduler('0', sweep).onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(sweep).not.toHaveBeenCalled();
  });
});
