/**
 * The service side of bench/replay.bench.ts, in a child process so that the benchmark can stop a
 * replay that runs far over its budget (a replay is one long chain of synchronous SQLite calls:
 * no timer fires in its process until it ends), and so that each database gets a process whose
 * environment names it (entities choose their column types from DATABASE_URL as they load: a
 * process started with it cannot open SQLite). Receives one task, answers one message per step.
 */
import { ManualClock } from '../../src/common/clock.js';
import { ComplianceService } from '../../src/tracking/compliance.service.js';
import type { ComplianceView, ReplayQuery } from '../../src/tracking/tracking.dto.js';
import { ALWAYS_OPEN, createCalendar, hotLeads, qualifiedLeads, seedOrg, signAgreement, startConcord, timedWithCpu, type BenchDatabase } from './concord.js';

export type ReplayTask =
  | {
      kind: 'setup';
      database: BenchDatabase;
      /** The clock when the agreements are signed. */
      signedAt: string;
    }
  | {
      kind: 'replay';
      database: BenchDatabase;
      agreementId: string;
      from: string;
      to: string;
      /** More rounds after the first only when the first took at most this long. */
      roundsUnderMs: number;
      rounds: number;
    };

export type ReplayMessage =
  | { kind: 'agreement'; agreementId: string }
  | { kind: 'ready' }
  | { kind: 'run'; ms: number; cpuMs: number; view: ComplianceView }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

function send(message: ReplayMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

/** Org, calendar, "Hot leads are called fast" and the quota agreement, signed over the API. */
async function setup(task: Extract<ReplayTask, { kind: 'setup' }>): Promise<void> {
  const concord = await startConcord({ database: task.database, clock: new ManualClock(task.signedAt), listen: true });
  try {
    const org = await seedOrg(concord.url);
    const calendarId = await createCalendar(concord.url, ALWAYS_OPEN);
    const agreementId = await signAgreement(concord.url, org, hotLeads(org, calendarId));
    await signAgreement(concord.url, org, qualifiedLeads(org, calendarId));
    await send({ kind: 'agreement', agreementId });
  } finally {
    await concord.close();
  }
}

async function replay(task: Extract<ReplayTask, { kind: 'replay' }>): Promise<void> {
  const concord = await startConcord({ database: task.database, clock: new ManualClock(task.to) });
  try {
    const compliance = concord.app.get(ComplianceService);
    const query = { from: task.from, to: task.to } as ReplayQuery;
    await send({ kind: 'ready' });
    const first = await timedWithCpu(() => compliance.replay(task.agreementId, query));
    await send({ kind: 'run', ms: first.ms, cpuMs: first.cpuMs, view: first.value });
    const rounds = first.ms <= task.roundsUnderMs ? task.rounds : 0;
    for (let round = 0; round < rounds; round++) {
      const again = await timedWithCpu(() => compliance.replay(task.agreementId, query));
      await send({ kind: 'run', ms: again.ms, cpuMs: again.cpuMs, view: again.value });
    }
  } finally {
    await concord.close();
  }
}

process.once('message', (task: ReplayTask) => {
  void (async () => {
    try {
      await (task.kind === 'setup' ? setup(task) : replay(task));
      await send({ kind: 'done' });
    } catch (error) {
      await send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    process.disconnect();
  })();
});
