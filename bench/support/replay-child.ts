/**
 * The service side of bench/replay.bench.ts, in a child process so that the benchmark can stop a
 * replay that runs far over its budget (a replay is one long chain of synchronous SQLite calls:
 * no timer fires in its process until it ends). Receives one task, answers one message per run.
 */
import { ManualClock } from '../../src/common/clock.js';
import { ComplianceService } from '../../src/tracking/compliance.service.js';
import type { ComplianceView, ReplayQuery } from '../../src/tracking/tracking.dto.js';
import { startConcord, timed } from './concord.js';

export interface ReplayTask {
  file: string;
  agreementId: string;
  from: string;
  to: string;
  /** More rounds after the first only when the first took at most this long. */
  roundsUnderMs: number;
  rounds: number;
}

export type ReplayMessage = { kind: 'ready' } | { kind: 'run'; ms: number; view: ComplianceView } | { kind: 'done' } | { kind: 'error'; message: string };

function send(message: ReplayMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

process.once('message', (task: ReplayTask) => {
  void (async () => {
    try {
      const concord = await startConcord({ sqlitePath: task.file, clock: new ManualClock(task.to) });
      try {
        const compliance = concord.app.get(ComplianceService);
        const query = { from: task.from, to: task.to } as ReplayQuery;
        await send({ kind: 'ready' });
        const first = await timed(() => compliance.replay(task.agreementId, query));
        await send({ kind: 'run', ms: first.ms, view: first.value });
        const rounds = first.ms <= task.roundsUnderMs ? task.rounds : 0;
        for (let round = 0; round < rounds; round++) {
          const again = await timed(() => compliance.replay(task.agreementId, query));
          await send({ kind: 'run', ms: again.ms, view: again.value });
        }
      } finally {
        await concord.close();
      }
      await send({ kind: 'done' });
    } catch (error) {
      await send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    process.disconnect();
  })();
});
