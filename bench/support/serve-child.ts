/**
 * Concord listening on a SQLite file, in a process of its own, for benchmarks that load it over
 * HTTP: clients in the benchmark's process would share the service's event loop and count their
 * own work in its latencies, and the benchmark's heap (a million generated events) would slow
 * the service's collections. Receives a task, answers `{ url }` once listening; then times the
 * read cases in the service when asked (`time`), and closes it when told `stop`.
 */
import { ManualClock } from '../../src/common/clock.js';
import { startConcord } from './concord.js';
import { timeCases, type CaseTiming, type ReadData } from './read-cases.js';

export interface ServeTask {
  file: string;
  /** The service's clock, fixed. */
  now: string;
}

export type ServeRequest = { kind: 'time'; data: ReadData; rounds: number; recomputeRounds: number } | { kind: 'stop' };

export type ServeMessage = { kind: 'listening'; url: string } | { kind: 'timed'; timings: CaseTiming[] } | { kind: 'error'; message: string };

const send = (message: ServeMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

process.once('message', (task: ServeTask) => {
  void (async () => {
    try {
      const concord = await startConcord({ sqlitePath: task.file, clock: new ManualClock(task.now), listen: true });
      process.on('message', (request: ServeRequest) => {
        void (async () => {
          if (request.kind === 'stop') {
            await concord.close();
            process.disconnect();
            return;
          }
          try {
            await send({ kind: 'timed', timings: await timeCases(concord.app, request.data, request.rounds, request.recomputeRounds) });
          } catch (error) {
            await send({ kind: 'error', message: describe(error) });
          }
        })();
      });
      await send({ kind: 'listening', url: concord.url });
    } catch (error) {
      await send({ kind: 'error', message: describe(error) });
      process.disconnect();
    }
  })();
});
