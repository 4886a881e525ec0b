/**
 * Concord listening on a SQLite file, in a process of its own, for benchmarks that load it over
 * HTTP: clients in the benchmark's process would share the service's event loop and count their
 * own work in its latencies, and the benchmark's heap (a million generated events) would slow
 * the service's collections. Receives a task, answers `{ url }` once listening; then times the
 * read cases in the service when asked (`time`), tells how long the requests it served since the
 * last asking took inside it (`served`: a client's latency less its wait to be read), and closes
 * when told `stop`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ManualClock } from '../../src/common/clock.js';
import { nowMs, startConcord } from './concord.js';
import { timeCases, type CaseTiming, type ReadData } from './read-cases.js';

export interface ServeTask {
  file: string;
  /** The service's clock, fixed. */
  now: string;
}

export type ServeRequest = { kind: 'time'; data: ReadData; rounds: number; recomputeRounds: number } | { kind: 'served' } | { kind: 'stop' };

/** A request as the service saw it: from its arrival (headers read) to the last byte of its answer. */
export interface Served {
  health: boolean;
  ms: number;
}

export type ServeMessage =
  | { kind: 'listening'; url: string }
  | { kind: 'timed'; timings: CaseTiming[] }
  | { kind: 'served'; requests: Served[] }
  | { kind: 'error'; message: string };

const send = (message: ServeMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

process.once('message', (task: ServeTask) => {
  void (async () => {
    try {
      const concord = await startConcord({ sqlitePath: task.file, clock: new ManualClock(task.now), listen: true });
      let served: Served[] = [];
      concord.app.getHttpServer().on('request', (incoming: IncomingMessage, answer: ServerResponse) => {
        const begin = nowMs();
        answer.once('finish', () => served.push({ health: incoming.url === '/health', ms: nowMs() - begin }));
      });
      process.on('message', (request: ServeRequest) => {
        void (async () => {
          if (request.kind === 'stop') {
            await concord.close();
            process.disconnect();
            return;
          }
          if (request.kind === 'served') {
            await send({ kind: 'served', requests: served });
            served = [];
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
