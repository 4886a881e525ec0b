/**
 * Concord listening on a SQLite file, in a process of its own, for benchmarks that load it over
 * HTTP: clients in the benchmark's process would otherwise share the service's event loop and
 * count their own work in its latencies. Receives one task, answers `{ url }` once listening,
 * and closes the service when told `stop`.
 */
import { ManualClock } from '../../src/common/clock.js';
import { startConcord } from './concord.js';

export interface ServeTask {
  file: string;
  /** The service's clock, fixed. */
  now: string;
}

export type ServeMessage = { kind: 'listening'; url: string } | { kind: 'error'; message: string };

const send = (message: ServeMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));

process.once('message', (task: ServeTask) => {
  void (async () => {
    try {
      const concord = await startConcord({ sqlitePath: task.file, clock: new ManualClock(task.now), listen: true });
      process.once('message', () => {
        void concord.close().then(() => process.disconnect());
      });
      await send({ kind: 'listening', url: concord.url });
    } catch (error) {
      await send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.disconnect();
    }
  })();
});
