/**
 * Reads: the figures heads look at, read from a year of 1,000,000 events. Goals (issue 14): the
 * compliance of one response agreement for a month and for the year, and the funnel report for
 * the year, each take ≤ 20 ms median for a single client over HTTP and ≤ 2 % of a full
 * recomputation in the same run; the dashboard page of a head with 20 agreements takes ≤ 150 ms
 * median over HTTP; 50 concurrent clients on compliance see p99 ≤ 250 ms while `/health` stays
 * under 50 ms.
 *
 * State: a SQLite file migrated by the service, with the org and two calendars (round the clock
 * in UTC; Paris office hours) made over the API; 1,000,000 events written directly in SQL, in the
 * order they happened:
 * - funnel stories (bench/support/funnel-stories.ts): about 100,000 leads qualified over 2026
 *   (lead.mql with a `source`, one of six), about 40 % accepted, 25 % SQL, most of those won or
 *   lost with a reason (and a competitor), some never worked, some recycled; delays of minutes to
 *   weeks. Each is one of the leads below, qualified shortly before it is handed over to sales;
 * - lead stories (bench/support/lead-stories.ts, delays spread over ranges so durations vary as
 *   real ones do) for the rest: about 300,000 leads handed over between 5 January and 24 December.
 * Then, through the service's own writes: each counted stage of the default funnel (MQL, SAL,
 * SQL, Won, Lost, Recycled) gets its `enteredOn` changed (to null and back, over the API), so its
 * entries are rebuilt from the stored events; "Hot leads are called fast" is signed on 1 January
 * 2027 measuring from 1 January 2026, so the approval builds the clocks and their rollups; 19
 * more agreements of the sales head's department (response times, quotas and conversion KPIs:
 * bench/support/head-agreements.ts) are signed measuring from 1 July 2026 (Paris), the first of
 * the months the dashboard shows — from there only, to keep their approvals short; and the sales
 * head signs in to the pages.
 *
 * The service then runs in a process of its own (bench/support/serve-child.ts). Read cases
 * (READ_CASES in bench/support/read-cases.ts): each is timed there in the Nest application,
 * median of BENCH_READS_ROUNDS (21) after two warm-up reads — compliance and the funnel report
 * against the full recomputation each replaces (`ComplianceService.live(…, 'clocks')`: every
 * clock of the window read and passed through complianceOf; `FunnelReportService.build(…,
 * 'entries')`: every stage entry and clock of the cohort), median of 3 in the same run; the
 * dashboard as its controller builds it (session, figures, page), with no recomputation — then
 * over HTTP from one client (the API with the head's token, the page with the head's session
 * cookie), median of the same number of requests. Before any figure is printed, each read is
 * checked: compliance against the recomputation (counts equal; median and 90th percentile within
 * the histogram's bound, 1/128 + 1 s), the funnel report field by field against its
 * recomputation (medians within the same bound, `generatedAt` aside), the year's counts against
 * those kept while generating (clocks per target; entries, reasons, competitors and never-worked
 * SQLs per source), the dashboard for a card per agreement in force with its months and a funnel;
 * and the answers clients get over HTTP likewise (the page names all 20 agreements).
 *
 * Load: 50 clients each sending BENCH_READS_REQUESTS (20) requests one after the other, cycling
 * through the compliance cases only (the goal is about compliance; the funnel and the dashboard are
 * timed one client at a time), while one more client asks `/health` every 25 ms; latencies of both
 * as the clients see them, on connections opened (by one untimed request each) before timing.
 *
 * Sizes: BENCH_READS_EVENTS (1,000,000, or 1,000,000 × BENCH_SCALE); funnel leads a tenth of it.
 * BENCH_READS_KEEP=<path> copies the database file there before it is removed, to profile reads on it.
 */
import { copyFileSync } from 'node:fs';
import { ManualClock } from '../src/common/clock.js';
import { DEFAULT_NEVER_WORKED_DAYS } from '../src/reports/funnel-report.dto.js';
import { HISTOGRAM_RELATIVE_ERROR } from '../src/tracking/domain/duration-histogram.js';
import { FUNNEL_EVENT_TYPES, FUNNEL_STAGES, placeFunnelStories, planFunnelStories, type FunnelStories } from './support/funnel-stories.js';
import { headAgreements, type StageIds } from './support/head-agreements.js';
import { generateLeadStories, leadEventColumns, writeEvents, type LeadStories } from './support/lead-stories.js';
import { quantile, READ_CASES, type CaseTiming, type ReadCase, type ReadData, type SignIn } from './support/read-cases.js';
import { startChild } from './support/child-process.js';
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
  PARIS_OFFICE,
  positiveIntFromEnv,
  printTable,
  scaled,
  seedOrg,
  sessionCookie,
  signAgreement,
  signInToPages,
  startConcord,
  status,
  tempDirectory,
  timed,
  type Concord,
  type Org,
} from './support/concord.js';

const EVENTS = positiveIntFromEnv('BENCH_READS_EVENTS', scaled(1_000_000, 1000));
/** Leads qualified (MQL) over the year, with a funnel story each: 100,000 of 1,000,000 events' leads. */
const FUNNEL_LEADS = Math.max(1, Math.round(EVENTS / 10));
const ROUNDS = positiveIntFromEnv('BENCH_READS_ROUNDS', 21);
const RECOMPUTE_ROUNDS = 3;
const CLIENTS = 50;
const REQUESTS_PER_CLIENT = positiveIntFromEnv('BENCH_READS_REQUESTS', 20);
const HEALTH_EVERY_MS = 25;
const SEED = 0x2ead5;
const FUNNEL_SEED = 0xf0e1;

const GOAL_P99_MS = 250;
const GOAL_HEALTH_MS = 50;

const MEASURE_FROM = '2026-01-01T00:00:00Z';
/** Where the head's other agreements measure from: the first of the months their dashboard cards show. */
const HISTORY_FROM = '2026-07-01T00:00:00+02:00';
/** The approvals, and the service's clock while the data is built: after every event. */
const NOW = '2027-01-01T00:00:00Z';
/** The served service's clock: the approvals' instant, midnight on the first of a month (the dashboard's current month holds just that instant). */
const SERVED_AT = NOW;
/** BENCH_READS_KEEP=<path>: where to copy the database file before it is removed, to profile reads on it. */
const KEEP = process.env.BENCH_READS_KEEP;
const FIRST_START = Date.UTC(2026, 0, 5);
const LAST_START = Date.UTC(2026, 11, 24);

interface Calendars {
  alwaysOpen: string;
  parisOffice: string;
}

export async function run(): Promise<void> {
  const began = nowMs();
  const dir = tempDirectory('reads');
  try {
    const file = dir.file('concord.sqlite');
    const clock = new ManualClock(MEASURE_FROM);

    // 1. Org and calendars through the service.
    let org: Org;
    let calendars: Calendars;
    {
      const concord = await startConcord({ sqlitePath: file, clock, listen: true });
      try {
        org = await seedOrg(concord.url);
        calendars = { alwaysOpen: await createCalendar(concord.url, ALWAYS_OPEN), parisOffice: await createCalendar(concord.url, PARIS_OFFICE) };
      } finally {
        await concord.close();
      }
    }

    // 2-3. A year of events, the stage entries and agreements that measure them (the events are let go before timing).
    clock.set(NOW);
    const data = await buildYear(file, clock, org, calendars);
    const built = nowMs() - began;

    // 4. The service in a process of its own: each read case in it (against its recomputation, if
    // it has one), then over HTTP from one client, then compliance from fifty with /health beside them.
    const server = await serve({ file, now: SERVED_AT });
    let timings: (CaseTiming & { httpMs: number })[];
    let load: LoadResult;
    try {
      timings = (await server.time(data)).map((timing) => ({ ...timing, httpMs: 0 }));
      for (const [i, readCase] of READ_CASES.entries()) timings[i].httpMs = await singleClient(server.url, readCase, data, org.salesHead);
      const loaded = READ_CASES.filter((readCase) => readCase.underLoad).map((readCase) => readCase.request(data).path);
      load = await concurrentLoad(server.url, loaded, org.salesHead, () => server.served());
    } finally {
      await server.stop();
    }

    console.log(
      `verification: compliance equals the recomputation from every clock (counts exactly, median and p90 within ${fmtFixed(HISTOGRAM_RELATIVE_ERROR * 100, 2)} % + 1 s), ` +
        'the funnel report its recomputation from every entry (field by field, medians within the same bound); the year\'s counts as generated; ' +
        'the dashboard shows every agreement in force; the same over HTTP',
    );
    console.log('');
    const ratio = (timing: CaseTiming) => (timing.recomputeMs === null ? null : timing.serviceMs / timing.recomputeMs);
    printTable(
      ['read', 'service (median)', 'HTTP, 1 client (median)', 'full recomputation', 'ratio', 'read over'],
      timings.map((timing) => {
        const share = ratio(timing);
        return [timing.name, fmtMs(timing.serviceMs), fmtMs(timing.httpMs), timing.recomputeMs === null ? '—' : fmtMs(timing.recomputeMs), share === null ? '—' : fmtPercent(share), timing.size];
      }),
    );
    console.log(`timed: service ${ROUNDS} reads after 2 warm-ups, recomputation ${RECOMPUTE_ROUNDS}, HTTP ${ROUNDS} requests after 2 warm-ups, one at a time`);
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
      goals.push([`${timing.name}: median ≤ ${fmtMs(timing.goal.httpMs)} (HTTP, 1 client)`, fmtMs(timing.httpMs), status(timing.httpMs <= timing.goal.httpMs)]);
      const share = ratio(timing);
      if (timing.goal.ratio !== null && share !== null) {
        goals.push([`${timing.name}: ≤ ${fmtPercent(timing.goal.ratio)} of a full recomputation`, fmtPercent(share), status(share <= timing.goal.ratio)]);
      }
    }
    const p99 = quantile(load.reads, 0.99);
    const healthMax = Math.max(...load.health);
    goals.push([`${CLIENTS} concurrent clients on compliance: p99 ≤ ${fmtMs(GOAL_P99_MS)}`, fmtMs(p99), status(p99 <= GOAL_P99_MS)]);
    goals.push([`/health meanwhile: every answer < ${fmtMs(GOAL_HEALTH_MS)}`, `max ${fmtMs(healthMax)}`, status(healthMax < GOAL_HEALTH_MS)]);
    goals.push(['reads as recomputed and as generated, over HTTP too', `${READ_CASES.length} reads`, 'met']);
    printTable(['goal', 'result', 'status'], goals);
    console.log('');
    console.log(`whole benchmark: ${fmtMs(nowMs() - began)} (the data built and measured in ${fmtMs(built)})`);
  } finally {
    if (KEEP) copyFileSync(dir.file('concord.sqlite'), KEEP);
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * A year of events written straight into SQL — funnel stories on some of the leads of the lead
 * stories, which make up the total — then, through the service's own writes: the funnel's stage
 * entries rebuilt, the agreements signed measuring history, and the sales head signed in to the pages.
 */
async function buildYear(file: string, clock: ManualClock, org: Org, calendars: Calendars): Promise<ReadData> {
  const plan = planFunnelStories({ leads: FUNNEL_LEADS, seed: FUNNEL_SEED });
  // The lead stories' own lead.mql subjects would enter the funnel too: here only the few events they leave short of the total.
  const generated = generateLeadStories({ total: EVENTS - plan.events, seed: SEED, firstStart: FIRST_START, lastStart: LAST_START, now: Date.parse(NOW), spread: true, mqlShare: 0 });
  const funnel = placeFunnelStories(plan, generated, { now: Date.parse(NOW), neverWorkedAt: Date.parse(SERVED_AT), neverWorkedDays: DEFAULT_NEVER_WORKED_DAYS });
  const written = await timed(() => writeEvents(file, [leadEventColumns(generated), funnel]));
  const concord = await startConcord({ sqlitePath: file, clock, listen: true });
  try {
    const staged = await timed(() => rebuildStageEntries(concord, funnel));
    const signed = await timed(() => signMeasuringHistory(concord, org, calendars.alwaysOpen));
    const others = await timed(() => signHeadAgreements(concord, org, calendars, staged.value));
    const session = await signInToPages(concord.url, org.salesHead);
    const sizes = await tableSizes(concord, signed.value);
    printHeader(generated, funnel, written.ms, staged.ms, signed.ms, others, sizes);
    return {
      agreementId: signed.value,
      expected: { all: generated.expected, byTarget: [...generated.byTarget] },
      funnel: funnel.expected,
      dashboard: { session, agreements: [{ id: signed.value, name: hotLeads(org, calendars.alwaysOpen).name }, ...others.value] },
    };
  } finally {
    await concord.close();
  }
}

/**
 * The stage entries of every counted stage, rebuilt from the stored events as the service does when
 * a stage's `enteredOn` changes: each stage of the funnel's events set to count nothing, then to
 * its event again (a PATCH to the same filter changes nothing); each stage then holds as many
 * entries as subjects were generated entering it. Returns every stage's id by name.
 */
async function rebuildStageEntries(concord: Concord, funnel: FunnelStories): Promise<StageIds> {
  const stages = (await expectCall(concord.url, 'GET', '/api/stages?limit=100', ADMIN_TOKEN, 200)).items as { id: string; name: string; enteredOn: { type: string } | null }[];
  const counted = stages.filter((stage) => stage.enteredOn && (FUNNEL_EVENT_TYPES as readonly string[]).includes(stage.enteredOn.type));
  const names = counted.map((stage) => stage.name);
  if (names.join() !== FUNNEL_STAGES.join()) throw new Error(`the funnel counts ${names.join(', ')}, not the default ${FUNNEL_STAGES.join(', ')}`);
  for (const stage of counted) {
    await expectCall(concord.url, 'PATCH', `/api/stages/${stage.id}`, ADMIN_TOKEN, 200, { enteredOn: null });
    await expectCall(concord.url, 'PATCH', `/api/stages/${stage.id}`, ADMIN_TOKEN, 200, { enteredOn: stage.enteredOn });
  }
  const rows = (await concord.dataSource.query('SELECT stage_id AS id, COUNT(*) AS entries FROM stage_entries GROUP BY stage_id')) as { id: string; entries: number }[];
  const problems = counted.flatMap((stage, i) => {
    const entries = Number(rows.find((row) => row.id === stage.id)?.entries ?? 0);
    const generated = funnel.expected.reduce((sum, source) => sum + source.entered[i], 0);
    return entries === generated ? [] : [`${stage.name}: ${entries} entries, ${generated} generated`];
  });
  if (problems.length > 0) throw new Error(`stage entries rebuilt otherwise than generated: ${problems.join('; ')}`);
  return Object.fromEntries(stages.map((stage) => [stage.name, stage.id]));
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

/** The sales head's 19 other agreements, each drafted, proposed and approved by both heads, measuring from HISTORY_FROM. */
async function signHeadAgreements(concord: Concord, org: Org, calendars: Calendars, stages: StageIds): Promise<{ id: string; name: string; kind: string }[]> {
  const bodies = headAgreements({ org, ...calendars, stages, measureFrom: HISTORY_FROM, scale: EVENTS / 1_000_000 }) as { name: string; response?: object; quota?: object }[];
  const signed: { id: string; name: string; kind: string }[] = [];
  for (const body of bodies) {
    signed.push({ id: await signAgreement(concord.url, org, body), name: body.name, kind: body.response ? 'response' : body.quota ? 'quota' : 'conversion' });
  }
  return signed;
}

interface TableSizes {
  clocks: number;
  hotLeadClocks: number;
  rollups: number;
  durations: number;
  entries: number;
  quotaPeriods: number;
  conversionPeriods: number;
}

async function tableSizes(concord: Concord, hotLeadsId: string): Promise<TableSizes> {
  const one = async (sql: string, parameters: unknown[] = []) => Number(Object.values((await concord.dataSource.query(sql, parameters))[0] as object)[0]);
  return {
    clocks: await one(`SELECT COUNT(*) FROM clocks WHERE state <> 'void'`),
    hotLeadClocks: await one(`SELECT COUNT(*) FROM clocks WHERE state <> 'void' AND agreement_id = ?`, [hotLeadsId]),
    rollups: await one('SELECT COUNT(*) FROM compliance_rollups'),
    durations: await one('SELECT COALESCE(SUM(LENGTH(durations)), 0) FROM compliance_rollups'),
    entries: await one('SELECT COUNT(*) FROM stage_entries'),
    quotaPeriods: await one('SELECT COUNT(*) FROM quota_periods'),
    conversionPeriods: await one('SELECT COUNT(*) FROM conversion_periods'),
  };
}

/** How a client signs in for a read: the head's token for the API, their session cookie for the pages. */
function headersFor(signIn: SignIn, data: ReadData, token: string): Record<string, string> {
  return signIn === 'session' ? { cookie: sessionCookie(data.dashboard.session) } : { authorization: `Bearer ${token}` };
}

/** The median latency of requests sent one at a time, after two warm-ups; the first and last answers are checked. */
async function singleClient(url: string, readCase: ReadCase, data: ReadData, token: string): Promise<number> {
  const { path, signIn } = readCase.request(data);
  const headers = headersFor(signIn, data, token);
  const times: number[] = [];
  let body = '';
  for (let round = 0; round < ROUNDS + 2; round++) {
    const begin = nowMs();
    body = await get(url, path, headers);
    if (round >= 2) times.push(nowMs() - begin);
    if (round === 0) readCase.checkAnswer(body, data);
  }
  readCase.checkAnswer(body, data);
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
  const bearer = { authorization: `Bearer ${token}` };
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  // Every client's connection opened first, untimed, as a client's pool keeps them: fifty opened
  // at once while the service is busy would time how it accepts connections (seconds for the last
  // ones here), not how it answers.
  await Promise.all([...Array.from({ length: CLIENTS }, () => get(url, paths[0], bearer)), get(url, '/health', admin)]);
  await served();
  const reads: number[] = [];
  const health: number[] = [];
  let loading = true;
  const prober = (async () => {
    while (loading) {
      const begin = nowMs();
      await get(url, '/health', admin);
      health.push(nowMs() - begin);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
  })();
  const begin = nowMs();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let request = 0; request < REQUESTS_PER_CLIENT; request++) {
        const sent = nowMs();
        await get(url, paths[(client + request) % paths.length], bearer);
        reads.push(nowMs() - sent);
      }
    }),
  );
  const ms = nowMs() - begin;
  loading = false;
  await prober;
  return { reads, health, ms, inService: await served() };
}

/** A GET answered 200: its body. */
async function get(url: string, path: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** The service in a child process: its URL, read cases timed in it, and a way to stop it. */
async function serve(task: ServeTask): Promise<{ url: string; time(data: ReadData): Promise<CaseTiming[]>; served(): Promise<Served[]>; stop(): Promise<void> }> {
  const child = await startChild<ServeTask, ServeRequest, ServeMessage>(new URL('./support/serve-child.js', import.meta.url), task);
  const first = child.first;
  if (first.kind !== 'listening') throw new Error(`the service did not start: ${first.kind === 'error' ? first.message : first.kind}`);
  return {
    url: first.url,
    time: async (data) => {
      const timed = await child.ask({ kind: 'time', data, rounds: ROUNDS, recomputeRounds: RECOMPUTE_ROUNDS });
      if (timed.kind !== 'timed') throw new Error(timed.kind === 'error' ? timed.message : `unexpected ${timed.kind}`);
      return timed.timings;
    },
    served: async () => {
      const reply = await child.ask({ kind: 'served' });
      if (reply.kind !== 'served') throw new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`);
      return reply.requests;
    },
    stop: () => child.stop(),
  };
}

function printHeader(
  generated: LeadStories,
  funnel: FunnelStories,
  writtenMs: number,
  stagedMs: number,
  measuredMs: number,
  others: { ms: number; value: { kind: string }[] },
  sizes: TableSizes,
): void {
  const total = (stage: number) => funnel.expected.reduce((sum, source) => sum + source.entered[stage], 0);
  const kinds = ['response', 'quota', 'conversion'].map((kind) => `${others.value.filter((agreement) => agreement.kind === kind).length} ${kind}`).join(', ');
  console.log('Reads: compliance and the funnel report read from rollups, against recomputing them from every clock and entry; the dashboard of a head with 20 agreements (SQLite file, WAL)');
  console.log(
    `events:  ${fmtInt(generated.count + funnel.count)}, 5 Jan – 24 Dec 2026, written in ${fmtMs(writtenMs)} (seeds 0x${SEED.toString(16)}, 0x${FUNNEL_SEED.toString(16)}): ` +
      `lead stories ${fmtInt(generated.count)} (${fmtInt(generated.responseEvents)} of "Hot leads"' 4 types, ${fmtInt(generated.count - generated.responseEvents)} lead.mql), ${fmtInt(generated.leads)} leads, delays spread; ` +
      `funnel stories ${fmtInt(funnel.count)} on ${fmtInt(funnel.leads)} of those leads (${FUNNEL_STAGES.map((stage, i) => `${fmtInt(total(i))} ${stage}`).join(', ')})`,
  );
  console.log(`stages:  ${fmtInt(sizes.entries)} entries of the ${FUNNEL_STAGES.length} counted stages, rebuilt from the stored events in ${fmtMs(stagedMs)} (each stage's enteredOn PATCHed to null and back)`);
  console.log(
    `signed:  "Hot leads are called fast" measuring from ${MEASURE_FROM}, approved ${NOW}: ${fmtInt(sizes.hotLeadClocks)} clocks, built in ${fmtMs(measuredMs)} (the approval, over HTTP); ` +
      `${others.value.length} more agreements of the sales head (${kinds}) measuring from ${HISTORY_FROM}, approved in ${fmtMs(others.ms)}`,
  );
  console.log(
    `         in all ${fmtInt(sizes.clocks)} clocks, ${fmtInt(sizes.rollups)} rollups (histograms: ${fmtFixed(sizes.durations / 1e6)} MB of text), ` +
      `${fmtInt(sizes.quotaPeriods)} quota periods, ${fmtInt(sizes.conversionPeriods)} conversion periods`,
  );
}
