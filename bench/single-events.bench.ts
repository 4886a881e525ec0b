/**
 * Single events: `POST /api/events` with ONE event per request from 50 concurrent connections,
 * against a bare NestJS endpoint on the same platform measured in the same run. Goal (issue 16):
 * Concord answers ≥ 50 % of the bare endpoint's requests per second; p50 and p99 printed.
 *
 * Servers: each in a child process of its own (bench/support/single-child.ts), both up at once
 * on the same database and loaded in turns (BENCH_SINGLE_ROUNDS slices each, alternating, so a
 * neighbour's load on this shared machine weighs on both alike): Concord as built from AppModule (migrations at start, sweeps off,
 * its clock fixed), with the org and "Hot leads are called fast" signed over the API, so every
 * event is authenticated, read, deduplicated, stored and measured (a clock started per lead); then
 * a bare NestJS application (Express adapter, Nest's default JSON parser, the same TypeORM
 * options) whose `POST /api/events` checks nothing and inserts the same row into the same `events`
 * table of the same file or schema.
 *
 * Client (this process): 50 loops over Node's fetch (undici, keep-alive: one connection each),
 * each sending its next request when the previous one is answered, until the run's requests are
 * spent. A warm-up of a tenth of the requests (at least 100) goes first on each server, untimed.
 * Every event is a `lead.handed_over` of a lead of its own (hot, warm or cold), with a key,
 * occurring just after the agreements were signed; bodies are serialised before timing.
 *
 * Also printed: the CPU each server process spent per timed request, steadier than the wall clock
 * on a busy machine.
 *
 * Verification before any figure is printed: every request answered 201 (accepted); each server's
 * database holds exactly one event per request sent to it.
 *
 * On SQLite (a file in a temp directory, WAL) and on PostgreSQL when DATABASE_URL is set (a schema
 * of its own, dropped after). Sizes: BENCH_SINGLE_REQUESTS (default 4,000 × BENCH_SCALE, at least
 * 500), BENCH_SINGLE_CONNECTIONS (50), BENCH_SINGLE_ROUNDS (4). BENCH_SINGLE_PROFILE=<dir> runs both servers under
 * `node --cpu-prof` and leaves the profiles there.
 */
import { ManualClock } from '../src/common/clock.js';
import {
  ALWAYS_OPEN,
  type BenchDatabase,
  benchDatabases,
  createCalendar,
  databaseName,
  dropPostgresSchema,
  environmentFor,
  fmtFixed,
  fmtInt,
  fmtMs,
  fmtPercent,
  hotLeads,
  nowMs,
  positiveIntFromEnv,
  printTable,
  scaled,
  seedOrg,
  signAgreement,
  status,
  tempDirectory,
} from './support/concord.js';
import { startChild } from './support/child-process.js';
import type { SingleMessage, SingleRequest, SingleTask } from './support/single-child.js';

const REQUESTS = positiveIntFromEnv('BENCH_SINGLE_REQUESTS', scaled(4_000, 500));
const CONNECTIONS = positiveIntFromEnv('BENCH_SINGLE_CONNECTIONS', 50);
/** Turns each server takes (the timed requests are split between them). */
const ROUNDS = positiveIntFromEnv('BENCH_SINGLE_ROUNDS', 4);
const WARM_UP = Math.max(100, Math.round(REQUESTS / 10));
const PROFILE_DIR = process.env.BENCH_SINGLE_PROFILE || undefined;
const GOAL_RATIO = 0.5;
/**
 * Concord's TRACKING_INTERVAL_MS (default 0: tracked in the request). Above 0, each of Concord's
 * timed turns ends when its queue is drained: the drain's time and CPU count as the turn's.
 */
const TRACKING_INTERVAL_MS = Number(process.env.BENCH_TRACKING_INTERVAL_MS ?? 0);
/** Concord's clock: the agreements are signed then, the events occur in the minutes after. */
const NOW = '2026-03-02T09:00:00Z';

interface Load {
  requests: number;
  ms: number;
  /** CPU the server's process used meanwhile (ms): steadier than the wall clock when neighbours load the machine. */
  cpuMs: number;
  latencies: number[];
  /** Answers saying an agreement measures the event (Concord only). */
  matched: number;
}

export async function run(): Promise<void> {
  console.log(
    `${fmtInt(REQUESTS)} timed requests per server (+ ${fmtInt(WARM_UP)} warm-up), each ONE event, from ${CONNECTIONS} connections ` +
      `(fetch keep-alive); servers in a child process each, on the same database, loaded in ${ROUNDS} alternating turns; ` +
      `Concord tracks ${TRACKING_INTERVAL_MS > 0 ? `behind the events (worker every ${TRACKING_INTERVAL_MS} ms; each turn timed until its queue is drained)` : 'in the request'}`,
  );
  const dir = tempDirectory('single');
  try {
    for (const database of benchDatabases(dir.file('concord.sqlite'), 'single')) {
      try {
        await measure(database);
      } finally {
        await dropPostgresSchema(database);
      }
    }
  } finally {
    dir.remove();
  }
}

async function measure(database: BenchDatabase): Promise<void> {
  // Concord first: its migrations make the schema the bare endpoint writes into. Then both stay
  // up and take turns, a slice of the requests each, so a busy neighbour slows both alike.
  const concord = await serve({ server: 'concord', database, now: NOW, trackingIntervalMs: TRACKING_INTERVAL_MS });
  let bare: Served | undefined;
  const service = emptyLoad();
  const baseline = emptyLoad();
  try {
    const org = await seedOrg(concord.url);
    const calendarId = await createCalendar(concord.url, ALWAYS_OPEN);
    await signAgreement(concord.url, org, hotLeads(org, calendarId));
    bare = await serve({ server: 'bare', database, now: NOW });
    await load(concord.url, org.marketingMember, 'W', 0, WARM_UP);
    await load(bare.url, 'none', 'V', 0, WARM_UP);
    const slice = Math.ceil(REQUESTS / ROUNDS);
    for (let first = 0; first < REQUESTS; first += slice) {
      const count = Math.min(slice, REQUESTS - first);
      addLoad(service, await timedLoad(concord, org.marketingMember, 'S', first, count));
      addLoad(baseline, await timedLoad(bare, 'none', 'B', first, count));
    }
    await concord.drain();
    // One clock per lead: every event stored was tracked, in the request or by the queue's drains.
    await expectCount(concord, 'W', WARM_UP, WARM_UP);
    await expectCount(concord, 'S', REQUESTS, REQUESTS);
    await expectCount(bare, 'V', WARM_UP);
    await expectCount(bare, 'B', REQUESTS);
  } finally {
    await concord.stop();
    await bare?.stop();
  }

  const rate = (run: Load) => (run.requests * 1000) / run.ms;
  const ratio = rate(service) / rate(baseline);
  const quantile = (run: Load, q: number) => {
    const sorted = [...run.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  console.log(`\n${databaseName(database)}:`);
  console.log(
    `verification: every request answered 201; ${fmtInt(REQUESTS + WARM_UP)} events stored by each server; ` +
      `${fmtInt(service.matched)} of Concord's ${fmtInt(REQUESTS)} timed events measured by "Hot leads are called fast"`,
  );
  printTable(
    ['endpoint', 'requests/s', 'total', 'p50', 'p99', 'max', 'server CPU per request'],
    [service, baseline].map((run, i) => [
      i === 0 ? 'Concord POST /api/events (auth, limits, reading, dedupe, tracking)' : 'bare NestJS POST /api/events (INSERT only)',
      fmtInt(rate(run)),
      fmtMs(run.ms),
      fmtMs(quantile(run, 0.5)),
      fmtMs(quantile(run, 0.99)),
      fmtMs(quantile(run, 1)),
      fmtMs(run.cpuMs / run.requests),
    ]),
  );
  console.log('');
  printTable(
    ['goal', 'result', 'status'],
    [[`Concord ≥ ${fmtPercent(GOAL_RATIO)} of the bare endpoint's requests/s (${databaseName(database)})`, `${fmtPercent(ratio)} (1 : ${fmtFixed(1 / ratio)})`, status(ratio >= GOAL_RATIO)]],
  );
  const cpuRatio = baseline.cpuMs / baseline.requests / (service.cpuMs / service.requests);
  console.log(
    `server CPU: Concord spends ${fmtFixed(1 / cpuRatio)}× the bare endpoint's CPU per request (${fmtPercent(cpuRatio)} of its requests per CPU-second): ` +
      `steadier than the wall clock when neighbours load the machine (compare runs on a busy machine by this)`,
  );
}

const emptyLoad = (): Load => ({ requests: 0, ms: 0, cpuMs: 0, latencies: [], matched: 0 });

function addLoad(total: Load, part: Load): void {
  total.requests += part.requests;
  total.ms += part.ms;
  total.cpuMs += part.cpuMs;
  total.latencies.push(...part.latencies);
  total.matched += part.matched;
}

/** `count` requests from CONNECTIONS loops, one event each (subjects `<prefix>-n` from `first`); every answer must be 201. */
async function load(url: string, token: string, prefix: string, first: number, count: number): Promise<Load> {
  const bodies = Array.from({ length: count }, (_, i) => i + first).map((n) =>
    JSON.stringify({
      type: 'lead.handed_over',
      subject: `${prefix}-${String(n).padStart(7, '0')}`,
      // After the agreement was signed at NOW, a few ms apart, none more than a day ahead.
      occurredAt: new Date(Date.parse(NOW) + 1000 + n * 10).toISOString(),
      attributes: { score: ['hot', 'warm', 'cold'][n % 3], source: 'webinar', owner: `rep-${n % 40}` },
      key: `${prefix}-key-${n}`,
    }),
  );
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const latencies = new Array<number>(count);
  let next = 0;
  let matched = 0;
  const loop = async () => {
    for (let n = next++; n < count; n = next++) {
      const sent = nowMs();
      const response = await fetch(`${url}/api/events`, { method: 'POST', headers, body: bodies[n] });
      const answer = (await response.json()) as { status?: string; matched?: boolean };
      latencies[n] = nowMs() - sent;
      if (response.status !== 201 || answer.status !== 'accepted') {
        throw new Error(`request ${n} (${prefix}): expected 201 accepted, got ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
      if (answer.matched) matched += 1;
    }
  };
  const begin = nowMs();
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, count) }, loop));
  return { requests: count, ms: nowMs() - begin, cpuMs: 0, latencies, matched };
}

/** A load with the CPU the server spent on it. */
async function timedLoad(server: Served, token: string, prefix: string, first: number, count: number): Promise<Load> {
  const before = await server.cpu();
  const measured = await load(server.url, token, prefix, first, count);
  if (server.queued) {
    // Tracking behind the events: the turn ends when what it sent is tracked.
    const begin = nowMs();
    await server.drain();
    measured.ms += nowMs() - begin;
  }
  measured.cpuMs = (await server.cpu()) - before;
  return measured;
}

async function expectCount(server: Served, prefix: string, expected: number, clocks?: number): Promise<void> {
  const stored = await server.count(`${prefix}-`);
  if (stored.events !== expected) throw new Error(`${expected} events sent with subjects ${prefix}-…, ${stored.events} stored`);
  if (clocks !== undefined && stored.clocks !== clocks) throw new Error(`${clocks} clocks expected for subjects ${prefix}-…, ${stored.clocks} found`);
}

interface Served {
  url: string;
  /** Tracking runs behind the events (Concord with BENCH_TRACKING_INTERVAL_MS above 0). */
  queued: boolean;
  count(prefix: string): Promise<{ events: number; clocks: number }>;
  drain(): Promise<void>;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function serve(task: SingleTask): Promise<Served> {
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${task.server}-${task.database.kind}.cpuprofile`] : [];
  const env = environmentFor(task.database);
  const child = await startChild<SingleTask, SingleRequest, SingleMessage>(new URL('./support/single-child.js', import.meta.url), task, {
    execArgv: [...process.execArgv, ...profile],
    env,
  });
  if (child.first.kind !== 'listening') {
    await child.stop();
    throw new Error(`the ${task.server} server did not start: ${child.first.kind === 'error' ? child.first.message : child.first.kind}`);
  }
  return {
    url: child.first.url,
    queued: task.server === 'concord' && (task.trackingIntervalMs ?? 0) > 0,
    count: async (prefix) => {
      const reply = await child.ask({ kind: 'count', prefix });
      if (reply.kind !== 'counted') throw new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`);
      return { events: reply.events, clocks: reply.clocks };
    },
    drain: async () => {
      const reply = await child.ask({ kind: 'drain' });
      if (reply.kind !== 'drained') throw new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`);
    },
    cpu: async () => {
      const reply = await child.ask({ kind: 'cpu' });
      if (reply.kind !== 'cpu') throw new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`);
      return reply.ms;
    },
    stop: () => child.stop(),
  };
}
