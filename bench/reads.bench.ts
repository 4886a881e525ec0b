/**
 * Reads: the figures heads look at, read from a year of 1,000,000 events. Goals (issue 14): the
 * compliance of one response agreement for a month and for the year takes ≤ 20 ms median for a
 * single client and ≤ 2 % of a full recomputation in the same run; 50 concurrent clients on
 * compliance see p99 ≤ 250 ms while `/health` stays under 50 ms.
 *
 * State: a SQLite file migrated by the service, with the org and a round-the-clock UTC calendar
 * made over the API; 1,000,000 events written directly in SQL (bench/support/lead-stories.ts,
 * delays spread over ranges so durations vary as real ones do): about 350,000 leads handed over
 * between 5 January and 24 December 2026, 3 % MQLs. Then "Hot leads are called fast" is signed
 * over the API on 1 January 2027 measuring from 1 January 2026, so the approval builds the clocks
 * and their rollups from the stored events through the service's own writes.
 *
 * The service then runs in a process of its own (bench/support/serve-child.ts). Read cases
 * (READ_CASES in bench/support/read-cases.ts, a list of named reads: the funnel report and the
 * dashboard go there too): each is timed there in the Nest application, median of
 * BENCH_READS_ROUNDS (21) after two warm-up reads, against the full recomputation it replaces
 * (`ComplianceService.live(…, 'clocks')`: every clock of the window read and passed through
 * complianceOf), median of 3 in the same run; then over HTTP from one client, median of the same
 * number of requests. Before any figure is printed, each read is checked against the
 * recomputation (counts equal; median and 90th percentile within the histogram's bound, 1/128 +
 * 1 s) and the year's counts against those kept while generating.
 *
 * Load: 50 clients each sending BENCH_READS_REQUESTS (20) requests one after the other, cycling
 * through the read cases, while one more client asks `/health` every 25 ms; latencies of both as
 * the clients see them, on connections opened (by one untimed request each) before timing.
 *
 * Sizes: BENCH_READS_EVENTS (1,000,000, or 1,000,000 × BENCH_SCALE).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../src/common/clock.js';
import { HISTOGRAM_RELATIVE_ERROR } from '../src/tracking/domain/duration-histogram.js';
import { generateLeadStories, writeLeadEvents, type LeadStories } from './support/lead-stories.js';
import { quantile, READ_CASES, type CaseTiming, type ReadData } from './support/read-cases.js';
import type { Served, ServeMessage, ServeRequest, ServeTask } from './support/serve-child.js';
import {
  ADMIN_TOKEN,
  ALWAYS_OPEN,
  createCalendar,
  expectCall,
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
  startConcord,
  status,
  tempDirectory,
  timed,
  type Concord,
  type Org,
} from './support/concord.js';

const EVENTS = positiveIntFromEnv('BENCH_READS_EVENTS', scaled(1_000_000, 1000));
const ROUNDS = positiveIntFromEnv('BENCH_READS_ROUNDS', 21);
const RECOMPUTE_ROUNDS = 3;
const CLIENTS = 50;
const REQUESTS_PER_CLIENT = positiveIntFromEnv('BENCH_READS_REQUESTS', 20);
const HEALTH_EVERY_MS = 25;
const SEED = 0x2ead5;

const GOAL_MS = 20;
const GOAL_RATIO = 0.02;
const GOAL_P99_MS = 250;
const GOAL_HEALTH_MS = 50;

const MEASURE_FROM = '2026-01-01T00:00:00Z';
/** The approval, and the service's clock throughout: after every event. */
const NOW = '2027-01-01T00:00:00Z';
const FIRST_START = Date.UTC(2026, 0, 5);
const LAST_START = Date.UTC(2026, 11, 24);

export async function run(): Promise<void> {
  const dir = tempDirectory('reads');
  try {
    const file = dir.file('concord.sqlite');
    const clock = new ManualClock(MEASURE_FROM);

    // 1. Org and calendar through the service.
    let org: Org;
    let calendarId: string;
    {
      const concord = await startConcord({ sqlitePath: file, clock, listen: true });
      try {
        org = await seedOrg(concord.url);
        calendarId = await createCalendar(concord.url, ALWAYS_OPEN);
      } finally {
        await concord.close();
      }
    }

    // 2-3. A year of events, and the agreement that measures it (the events are let go before timing).
    clock.set(NOW);
    const data = await buildYear(file, clock, org, calendarId);

    // 4. The service in a process of its own: each read case in it against its recomputation, then
    // over HTTP from one client, then from fifty with /health beside them.
    const server = await serve({ file, now: NOW });
    let timings: (CaseTiming & { httpMs: number })[];
    let load: LoadResult;
    try {
      timings = (await server.time(data)).map((timing) => ({ ...timing, httpMs: 0 }));
      const paths = READ_CASES.map((readCase) => readCase.path(data));
      for (const [i, path] of paths.entries()) timings[i].httpMs = await singleClient(server.url, path, org.salesHead);
      load = await concurrentLoad(server.url, paths, org.salesHead, () => server.served());
    } finally {
      await server.stop();
    }

    console.log(`verification: each read equals the recomputation from every clock (counts exactly, median and p90 within ${fmtFixed(HISTOGRAM_RELATIVE_ERROR * 100, 2)} % + 1 s); the year's counts as generated`);
    console.log('');
    printTable(
      ['read', 'service (median)', 'HTTP, 1 client (median)', 'full recomputation', 'ratio', 'read over'],
      timings.map((timing) => [timing.name, fmtMs(timing.serviceMs), fmtMs(timing.httpMs), fmtMs(timing.recomputeMs), fmtPercent(timing.serviceMs / timing.recomputeMs), timing.size]),
    );
    console.log(`timed: service ${ROUNDS} reads after 2 warm-ups, recomputation ${RECOMPUTE_ROUNDS}, HTTP ${ROUNDS} requests, one at a time`);
    console.log('');
    printTable(
      ['under load', 'requests', 'p50', 'p99', 'max'],
      [
        [`compliance, ${CLIENTS} clients × ${REQUESTS_PER_CLIENT} (cases in turn)`, fmtInt(load.reads.length), fmtMs(quantile(load.reads, 0.5)), fmtMs(quantile(load.reads, 0.99)), fmtMs(Math.max(...load.reads))],
        [`/health every ${HEALTH_EVERY_MS} ms meanwhile`, fmtInt(load.health.length), fmtMs(quantile(load.health, 0.5)), fmtMs(quantile(load.health, 0.99)), fmtMs(Math.max(...load.health))],
        ...[false, true].map((health) => {
          const inService = load.inService.filter((request) => request.health === health).map((request) => request.ms);
          return [`  the same ${health ? '/health requests' : 'compliance requests'}, in the service`, fmtInt(inService.length), fmtMs(quantile(inService, 0.5)), fmtMs(quantile(inService, 0.99)), fmtMs(Math.max(...inService))];
        }),
      ],
    );
    console.log('in the service: from the request read to its answer sent; the rest of a client\'s wait is its turn to be read, behind the requests before it');
    console.log(`load: ${fmtInt(load.reads.length)} requests in ${fmtMs(load.ms)} (${fmtInt((load.reads.length * 1000) / load.ms)} requests/s)`);
    console.log('');
    const goals: string[][] = [];
    for (const timing of timings) {
      goals.push([`${timing.name}: median ≤ ${fmtMs(GOAL_MS)} (HTTP, 1 client)`, fmtMs(timing.httpMs), status(timing.httpMs <= GOAL_MS)]);
      goals.push([`${timing.name}: ≤ ${fmtPercent(GOAL_RATIO)} of a full recomputation`, fmtPercent(timing.serviceMs / timing.recomputeMs), status(timing.serviceMs / timing.recomputeMs <= GOAL_RATIO)]);
    }
    const p99 = quantile(load.reads, 0.99);
    const healthMax = Math.max(...load.health);
    goals.push([`${CLIENTS} concurrent clients on compliance: p99 ≤ ${fmtMs(GOAL_P99_MS)}`, fmtMs(p99), status(p99 <= GOAL_P99_MS)]);
    goals.push([`/health meanwhile: every answer < ${fmtMs(GOAL_HEALTH_MS)}`, `max ${fmtMs(healthMax)}`, status(healthMax < GOAL_HEALTH_MS)]);
    goals.push(['figures as recomputed from every clock', `${READ_CASES.length} reads`, 'met']);
    printTable(['goal', 'result', 'status'], goals);
  } finally {
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * A year of events written straight into SQL, then the agreement signed measuring from the start
 * of the year, so the approval builds clocks and rollups through the service's own writes.
 */
async function buildYear(file: string, clock: ManualClock, org: Org, calendarId: string): Promise<ReadData> {
  const generated = generateLeadStories({ total: EVENTS, seed: SEED, firstStart: FIRST_START, lastStart: LAST_START, now: Date.parse(NOW), spread: true });
  const written = await timed(() => writeLeadEvents(file, generated));
  const concord = await startConcord({ sqlitePath: file, clock, listen: true });
  try {
    const signed = await timed(() => signMeasuringHistory(concord, org, calendarId));
    printHeader(generated, written.ms, signed.ms, await tableSizes(concord));
    return { agreementId: signed.value, expected: { all: generated.expected, byTarget: [...generated.byTarget] } };
  } finally {
    await concord.close();
  }
}

/** Drafts "Hot leads are called fast" measuring from the start of the year; both heads approve. Returns its id. */
async function signMeasuringHistory(concord: Concord, org: Org, calendarId: string): Promise<string> {
  const id = (await expectCall(concord.url, 'POST', '/api/agreements', org.salesHead, 201, { ...hotLeads(org, calendarId), measureFrom: MEASURE_FROM })).id as string;
  await expectCall(concord.url, 'POST', `/api/agreements/${id}/propose`, org.salesHead, 200);
  await expectCall(concord.url, 'POST', `/api/agreements/${id}/approve`, org.salesHead, 200, {});
  // The approval that brings it into force measures the year: in the service, not over a fetch that may time out.
  await expectCall(concord.url, 'POST', `/api/agreements/${id}/approve`, org.marketingHead, 200, {});
  return id;
}

async function tableSizes(concord: Concord): Promise<{ clocks: number; rollups: number; durations: number }> {
  const one = async (sql: string) => Number(Object.values((await concord.dataSource.query(sql))[0] as object)[0]);
  return {
    clocks: await one(`SELECT COUNT(*) FROM clocks WHERE state <> 'void'`),
    rollups: await one('SELECT COUNT(*) FROM compliance_rollups'),
    durations: await one('SELECT COALESCE(SUM(LENGTH(durations)), 0) FROM compliance_rollups'),
  };
}

/** The median latency of requests sent one at a time. */
async function singleClient(url: string, path: string, token: string): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const begin = nowMs();
    await get(url, path, token);
    if (round >= 2) times.push(nowMs() - begin);
  }
  return quantile(times, 0.5);
}

interface LoadResult {
  reads: number[];
  health: number[];
  ms: number;
  /** The same requests as the service timed them, from their arrival to their answer. */
  inService: Served[];
}

async function concurrentLoad(url: string, paths: string[], token: string, served: () => Promise<Served[]>): Promise<LoadResult> {
  // Every client's connection opened first, untimed, as a client's pool keeps them: fifty opened
  // at once while the service is busy would time how it accepts connections (seconds for the last
  // ones here), not how it answers.
  await Promise.all([...Array.from({ length: CLIENTS }, () => get(url, paths[0], token)), get(url, '/health', ADMIN_TOKEN)]);
  await served();
  const reads: number[] = [];
  const health: number[] = [];
  let loading = true;
  const prober = (async () => {
    while (loading) {
      const begin = nowMs();
      await get(url, '/health', ADMIN_TOKEN);
      health.push(nowMs() - begin);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
  })();
  const begin = nowMs();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let request = 0; request < REQUESTS_PER_CLIENT; request++) {
        const sent = nowMs();
        await get(url, paths[(client + request) % paths.length], token);
        reads.push(nowMs() - sent);
      }
    }),
  );
  const ms = nowMs() - begin;
  loading = false;
  await prober;
  return { reads, health, ms, inService: await served() };
}

async function get(url: string, path: string, token: string): Promise<void> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
}

/** The service in a child process: its URL, read cases timed in it, and a way to stop it. */
function serve(task: ServeTask): Promise<{ url: string; time(data: ReadData): Promise<CaseTiming[]>; served(): Promise<Served[]>; stop(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./support/serve-child.js', import.meta.url)), [], { stdio: 'inherit' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const next = () =>
    new Promise<ServeMessage>((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
    });
  const request = (message: ServeRequest) => child.send(message);
  return (async () => {
    const listening = next();
    child.send(task);
    const first = await listening;
    if (first.kind !== 'listening') throw new Error(`the service did not start: ${first.kind === 'error' ? first.message : first.kind}`);
    return {
      url: first.url,
      time: async (data) => {
        const answer = next();
        request({ kind: 'time', data, rounds: ROUNDS, recomputeRounds: RECOMPUTE_ROUNDS });
        const timed = await answer;
        if (timed.kind !== 'timed') throw new Error(timed.kind === 'error' ? timed.message : `unexpected ${timed.kind}`);
        return timed.timings;
      },
      served: async () => {
        const answer = next();
        request({ kind: 'served' });
        const reply = await answer;
        if (reply.kind !== 'served') throw new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`);
        return reply.requests;
      },
      stop: async () => {
        request({ kind: 'stop' });
        await exited;
      },
    };
  })();
}

function printHeader(generated: LeadStories, writtenMs: number, measuredMs: number, sizes: { clocks: number; rollups: number; durations: number }): void {
  console.log('Reads: compliance of one response agreement read from rollups, against recomputing it from every clock (SQLite file, WAL)');
  console.log(
    `events:  ${fmtInt(generated.count)} (${fmtInt(generated.responseEvents)} of the agreement's 4 types, ${fmtInt(generated.count - generated.responseEvents)} lead.mql), ` +
      `${fmtInt(generated.leads)} leads, 5 Jan – 24 Dec 2026, delays spread; written in ${fmtMs(writtenMs)} (seed 0x${SEED.toString(16)})`,
  );
  console.log(
    `signed:  "Hot leads are called fast" measuring from ${MEASURE_FROM}, approved ${NOW}: ${fmtInt(sizes.clocks)} clocks, ` +
      `${fmtInt(sizes.rollups)} rollups (histograms: ${fmtFixed(sizes.durations / 1e6)} MB of text), built in ${fmtMs(measuredMs)} (the approval, over HTTP)`,
  );
}
