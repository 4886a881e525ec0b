/**
 * Batch ingestion: `POST /api/events` with arrays of 1,000 events against a raw insert of the same
 * rows, on SQLite and, when DATABASE_URL is set, on PostgreSQL (each in a child process of its
 * own). Goal (issue 16): the service stores and measures at ≥ 25 % of the raw rate, with tracking
 * at most 1 s behind the events (p99).
 *
 * Service: Concord built from AppModule, listening on 127.0.0.1 (port 0), on a SQLite file in a
 * temp directory (WAL, as in production) or in a PostgreSQL schema of its own, sweeps off, its
 * clock set after the last event so nothing is "in the future". Tracking runs behind the events
 * (the queue and its worker, every BENCH_TRACKING_INTERVAL_MS, default 200; 0 tracks in the
 * request as before issue 16). The outbox is off while timed: the goal counts alerts queued, and
 * sending them is the email benchmark's (BENCH_INGEST_OUTBOX=1 sends them as .eml files too).
 * In force: "Hot leads are called fast" (response: hot 1 h, warm 4 h,
 * else 2 business days, paused on hold) and "Marketing delivers qualified leads" (quota: EU MQLs
 * per month), both signed over the API on the Paris office calendar (09:00–18:00, Mon–Fri), so
 * every batch really computes clocks and counts quota periods. The client sends the batches one
 * at a time over Node's fetch (keep-alive); request bodies are serialised before timing. The lag
 * of a batch runs from its answer (events and queue row committed) to the commit of the drain
 * that tracked it (the worker's `applied` notices; the queue is first in, first out).
 *
 * Events (seeded PRNG): leads handed over on weekdays 10:00–12:00 Paris between 2 February and
 * 20 March 2026 (before the DST change), then called 10 minutes later (met), 6 days later
 * (breached on every target), put on hold for a day (met), or never (breached, still running);
 * a fifth of the leads have an MQL event the day before (80 % EU), and the total is padded to the
 * exact size with extra MQLs. 90 % of events carry an idempotency key, 10 % are deduplicated by
 * content hash. Sent in time order, in batches of 1,000.
 *
 * Baseline, SQLite: a fresh file with the very `events` table of the service (DDL and indexes
 * copied from the service's database), the same journal mode and synchronous setting, one
 * prepared INSERT, 1,000 rows per transaction, and exactly the rows the service stored (same ids,
 * dedupe keys, JSON attributes, instants), read back from the service's database. PostgreSQL: a
 * table LIKE the service's (INCLUDING ALL) through a plain pg connection, one multi-row INSERT
 * per 1,000-row transaction, the same rows. Best of BENCH_RAW_ROUNDS (3) rounds, each fresh.
 *
 * Verification before any figure is printed, once the queue drained: every batch answered 200
 * with 1,000 accepted; the queue is empty; the service holds exactly the events sent, the clocks and outcomes the generator expects (one clock
 * per lead: met / breached counted independently), a breach per breached clock, and quota
 * periods whose counts equal the EU MQLs generated per month; the raw database holds the same
 * number of rows.
 *
 * Sizes: BENCH_INGEST_EVENTS (default 100,000, or 100,000 × BENCH_SCALE).
 */
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { ManualClock } from '../src/common/clock.js';
import { AppConfig } from '../src/config/app-config.js';
import { TrackingQueueWorker } from '../src/tracking/tracking-queue.worker.js';
import {
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
  mulberry32,
  nowMs,
  PARIS_OFFICE,
  positiveIntFromEnv,
  printTable,
  qualifiedLeads,
  scaled,
  seedOrg,
  signAgreement,
  startConcord,
  status,
  tempDirectory,
} from './support/concord.js';

const EVENTS = positiveIntFromEnv('BENCH_INGEST_EVENTS', scaled(100_000, 2_000));
const BATCH = 1000;
const RAW_ROUNDS = positiveIntFromEnv('BENCH_RAW_ROUNDS', 3);
const SEED = 0x1e6e_57;
const GOAL_RATIO = 0.25;
const GOAL_LAG_MS = 1000;
/** BENCH_INGEST_OUTBOX=1 also delivers the alerts (as .eml files) while the batches are timed, as before issue 16. */
const OUTBOX = process.env.BENCH_INGEST_OUTBOX === '1';
/** The tracking worker's interval; 0 measures tracking in the request, as before issue 16. */
const TRACKING_INTERVAL_MS = Number(process.env.BENCH_TRACKING_INTERVAL_MS ?? 200);
/** Drains at once on PostgreSQL (TRACKING_DRAINS); unset, the service's default. */
const TRACKING_DRAINS = process.env.BENCH_TRACKING_DRAINS;
/** Events queued above which a delivery waits for tracking (TRACKING_MAX_BACKLOG); unset, the service's default. */
const TRACKING_MAX_BACKLOG = process.env.BENCH_TRACKING_MAX_BACKLOG;

const SIGNED_AT = '2026-01-05T08:00:00Z';
/** After every event (the last is on 26 March), so none is in the future. */
const INGESTED_AT = '2026-04-01T00:00:00Z';
const FIRST_DAY = Date.UTC(2026, 1, 2); // Monday 2 February 2026
const LAST_DAY = Date.UTC(2026, 2, 20); // Friday 20 March 2026
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface CrmEvent {
  type: string;
  subject: string;
  occurredAt: string;
  attributes: Record<string, string | number | boolean>;
  key?: string;
}

interface Generated {
  events: CrmEvent[];
  leads: number;
  met: number;
  breached: number;
  /** EU MQLs per Paris month ("2026-01"), which the quota agreement counts. */
  euMqlByMonth: Map<string, number>;
  byType: Map<string, number>;
}

export async function run(): Promise<void> {
  const generated = generate(EVENTS, SEED);
  const bodies: string[] = [];
  for (let i = 0; i < generated.events.length; i += BATCH) bodies.push(JSON.stringify(generated.events.slice(i, i + BATCH)));

  printHeader(generated, bodies);

  const dir = tempDirectory('ingest');
  const results: Measured[] = [];
  try {
    for (const database of benchDatabases(dir.file('concord.sqlite'), 'ingestion')) {
      try {
        results.push(await inChild(database, dir.path));
      } finally {
        await dropPostgresSchema(database);
      }
    }
  } finally {
    dir.remove();
  }

  console.log('');
  printTable(
    ['database', 'implementation', 'events/s', 'total', 'per batch of 1,000', 'timed'],
    results.flatMap((result) => [
      [
        result.name,
        'POST /api/events (service, HTTP)',
        fmtInt(result.serviceRate),
        fmtMs(result.serviceMs),
        `p50 ${fmtMs(pick(result.latencies, 0.5))}, p95 ${fmtMs(pick(result.latencies, 0.95))}, max ${fmtMs(pick(result.latencies, 1))}`,
        `1 × ${fmtInt(bodies.length)} requests`,
      ],
      [result.name, result.rawName, fmtInt(result.rawRate), fmtMs(result.rawMs), `${fmtMs((result.rawMs * BATCH) / result.rows)} per transaction`, `best of ${RAW_ROUNDS}`],
    ]),
  );
  for (const result of results) {
    console.log(
      `${result.name}: tracking ${result.queued ? `behind the events (worker every ${TRACKING_INTERVAL_MS} ms${result.drains > 1 ? `, ${result.drains} drains at once` : ''}, deliveries wait while ${result.maxBacklog > 0 ? `more than ${fmtInt(result.maxBacklog)} events are queued` : 'never'})` : 'in the request'}; ` +
        `lag from stored to tracked p50 ${fmtMs(pick(result.lags, 0.5))}, p99 ${fmtMs(pick(result.lags, 0.99))}, max ${fmtMs(pick(result.lags, 1))}; ` +
        `queue empty ${fmtMs(result.drainMs)} after the last answer (${fmtInt((generated.events.length * 1000) / (result.serviceMs + result.drainMs))} events/s stored and tracked)`,
    );
    console.log(
      `${result.name}: cpu ${fmtMs(result.cpuMs)} of the process's CPU while timed: ${fmtInt((generated.events.length * 1000) / result.cpuMs)} events per CPU-second; ` +
        `median batch ${fmtMs(median(result.latencies.slice(0, tenth(result.latencies))))} over the first ${tenth(result.latencies)} batches, ` +
        `${fmtMs(median(result.latencies.slice(-tenth(result.latencies))))} over the last ${tenth(result.latencies)}`,
    );
  }
  console.log('');
  printTable(
    ['database', 'goal', 'result', 'status'],
    results.flatMap((result) => [
      [result.name, `service ≥ ${fmtPercent(GOAL_RATIO)} of the raw rate`, `${fmtPercent(result.ratio)} (1 : ${fmtFixed(1 / result.ratio)})`, status(result.ratio >= GOAL_RATIO)],
      [result.name, `lag p99 ≤ ${fmtMs(GOAL_LAG_MS)}`, fmtMs(pick(result.lags, 0.99)), status(pick(result.lags, 0.99) <= GOAL_LAG_MS)],
      [result.name, 'same rows stored, clocks, breaches and quotas as generated', `${fmtInt(result.rows)} = ${fmtInt(generated.events.length)}`, 'met'],
    ]),
  );
}

/**
 * Each database is measured in a child process of its own: the entities' time columns are chosen
 * from DATABASE_URL when the code loads (timestamptz or datetime), so one process holds one kind.
 */
function inChild(database: BenchDatabase, directory: string): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: environmentFor(database), stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once('message', (message: { measured?: Measured; error?: string }) => {
      answered = true;
      if (message.measured) resolve(message.measured);
      else reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the ${databaseName(database)} measurement exited with code ${code}`));
    });
    child.send({ database, directory });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (task: { database: BenchDatabase; directory: string }) => {
    void (async () => {
      let answer: { measured?: Measured; error?: string };
      try {
        const generated = generate(EVENTS, SEED);
        const bodies: string[] = [];
        for (let i = 0; i < generated.events.length; i += BATCH) bodies.push(JSON.stringify(generated.events.slice(i, i + BATCH)));
        answer = { measured: await measureOn(task.database, generated, bodies, { file: (name) => join(task.directory, name) }) };
      } catch (error) {
        answer = { error: error instanceof Error ? error.message : String(error) };
      }
      process.send?.(answer, undefined, {}, () => process.exit(0));
    })();
  });
}

interface Measured {
  name: string;
  queued: boolean;
  serviceMs: number;
  serviceRate: number;
  cpuMs: number;
  drains: number;
  /** TRACKING_MAX_BACKLOG: events queued above which a delivery waited (0: never). */
  maxBacklog: number;
  latencies: number[];
  /** Per batch: from its answer (events and queue row committed) to the commit of the drain that tracked it. */
  lags: number[];
  drainMs: number;
  rawName: string;
  rawMs: number;
  rawRate: number;
  ratio: number;
  rows: number;
}

const pick = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const median = (values: number[]) => pick(values, 0.5);
const tenth = (values: number[]) => Math.max(1, Math.floor(values.length / 10));

async function measureOn(database: BenchDatabase, generated: Generated, bodies: string[], dir: { file(name: string): string }): Promise<Measured> {
  const name = databaseName(database);
  // 1. The service, its org and its two agreements, signed before the events.
  const clock = new ManualClock(SIGNED_AT);
  const concord = await startConcord({
    database,
    clock,
    listen: true,
    trackingIntervalMs: TRACKING_INTERVAL_MS,
    // The goal counts alerts queued, not sent: delivering 3,500 emails is the email benchmark's.
    env: { OUTBOX_INTERVAL_SECONDS: OUTBOX ? '5' : '0', ...(TRACKING_DRAINS ? { TRACKING_DRAINS } : {}), ...(TRACKING_MAX_BACKLOG ? { TRACKING_MAX_BACKLOG } : {}) },
  });
  const worker = concord.app.get(TrackingQueueWorker);
  const drains = concord.app.get(AppConfig).TRACKING_DRAINS;
  const maxBacklog = concord.app.get(AppConfig).TRACKING_MAX_BACKLOG;
  const latencies: number[] = [];
  const answeredAt: number[] = [];
  /** When each queue row's drain committed: drains may run at once (TRACKING_DRAINS on PostgreSQL), so by row, not by order. */
  const trackedAt = new Map<number, number>();
  let serviceMs: number;
  let drainMs: number;
  let cpuMs: number;
  let rows: unknown[][];
  let rawBaseline: () => Promise<number>;
  try {
    const org = await seedOrg(concord.url);
    const calendarId = await createCalendar(concord.url, PARIS_OFFICE);
    await signAgreement(concord.url, org, hotLeads(org, calendarId));
    await signAgreement(concord.url, org, qualifiedLeads(org, calendarId));
    clock.set(INGESTED_AT);
    await worker.catchUp();
    const subscription = worker.applied.subscribe((drain) => {
      const at = nowMs();
      for (const seq of drain.seqs) trackedAt.set(seq, at);
    });

    // 2. The timed ingestion: every batch, one request at a time.
    const begin = nowMs();
    const cpuBefore = process.cpuUsage();
    for (const [index, body] of bodies.entries()) {
      const sent = nowMs();
      const response = await fetch(`${concord.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.marketingMember}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: number };
      answeredAt.push(nowMs());
      latencies.push(answeredAt[index] - sent);
      const expected = Math.min(BATCH, generated.events.length - index * BATCH);
      if (response.status !== 200 || answer.accepted !== expected) {
        throw new Error(`batch ${index + 1}: expected 200 with ${expected} accepted, got ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
    }
    serviceMs = nowMs() - begin;
    const cpu = process.cpuUsage(cpuBefore);
    cpuMs = (cpu.user + cpu.system) / 1000;
    // What the worker has not applied yet, applied now: the figures below are read after it.
    await worker.catchUp();
    drainMs = nowMs() - begin - serviceMs;
    subscription.unsubscribe();

    // 3. What the service stored and measured.
    await verifyService(concord.dataSource, generated);
    const pending = Number((await concord.dataSource.query('SELECT COUNT(*) AS n FROM tracking_queue'))[0].n);
    if (pending !== 0) throw new Error(`${pending} queue rows left after the drain`);
    if (database.kind === 'sqlite') {
      const query = (sql: string) => concord.dataSource.query(sql) as Promise<Record<string, unknown>[]>;
      const pragmas = {
        journal: String((await query('PRAGMA journal_mode'))[0].journal_mode),
        synchronous: Number((await query('PRAGMA synchronous'))[0].synchronous),
      };
      const ddl = (await query(`SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC, name`)).map((row) => String(row.sql));
      rows = (await query('SELECT id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id FROM events ORDER BY rowid')).map(rowValues);
      console.log(`${name}: journal_mode=${pragmas.journal}, synchronous=${pragmas.synchronous} for the service and the raw insert`);
      const checkpointMs = concord.app.get(AppConfig).SQLITE_CHECKPOINT_INTERVAL_MS;
      console.log(
        checkpointMs > 0
          ? `${name}: the service copies its log into the database file on a thread of its own every ${checkpointMs} ms (SQLITE_CHECKPOINT_INTERVAL_MS; its CPU counts as the process's); the raw insert leaves that to its commits, as SQLite does by default`
          : `${name}: the service and the raw insert leave checkpoints to their commits (SQLITE_CHECKPOINT_INTERVAL_MS=0)`,
      );
      rawBaseline = async () => rawSqliteInsert(dir.file(`raw-${Math.random().toString(36).slice(2)}.sqlite`), ddl, pragmas, rows);
    } else {
      rows = ((await concord.dataSource.query('SELECT id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id FROM events ORDER BY received_at, id')) as Record<string, unknown>[]).map(rowValues);
      rawBaseline = () => rawPostgresInsert(database, rows);
    }
  } finally {
    await concord.close();
  }

  // 4. The baseline: the same rows, raw, best of a few rounds on fresh tables.
  let rawMs = Infinity;
  for (let round = 0; round < RAW_ROUNDS; round++) rawMs = Math.min(rawMs, await rawBaseline());

  // Each batch wrote one queue row, in the order sent: batch i's row is the i-th oldest applied.
  const seqs = [...trackedAt.keys()].sort((a, b) => a - b);
  if (seqs.length > 0 && seqs.length !== answeredAt.length) throw new Error(`${seqs.length} queue rows applied for ${answeredAt.length} batches`);
  const lags = answeredAt.map((answered, index) => {
    // Without a worker (TRACKING_INTERVAL_MS=0) the answer came after tracking: no lag.
    if (seqs.length === 0) return 0;
    return Math.max(0, (trackedAt.get(seqs[index]) as number) - answered);
  });
  const serviceRate = (generated.events.length * 1000) / serviceMs;
  const rawRate = (rows.length * 1000) / rawMs;
  return {
    name,
    queued: TRACKING_INTERVAL_MS > 0,
    drains: database.kind === 'postgres' ? drains : 1,
    maxBacklog,
    serviceMs,
    serviceRate,
    cpuMs,
    latencies,
    lags,
    drainMs,
    rawName: database.kind === 'sqlite' ? 'raw better-sqlite3 INSERT' : 'raw pg multi-row INSERT',
    rawMs,
    rawRate,
    ratio: serviceRate / rawRate,
    rows: rows.length,
  };
}

const rowValues = (row: Record<string, unknown>) => [row.id, row.dedupe_key, row.key, row.type, row.subject, row.occurred_at, row.received_at, row.attributes, row.source_id];

// ---------------------------------------------------------------------------------------------

function generate(total: number, seed: number): Generated {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const days: number[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  const events: CrmEvent[] = [];
  const euMqlByMonth = new Map<string, number>();
  let keys = 0;
  const add = (type: string, subject: string, at: number, attributes: CrmEvent['attributes']) => {
    const event: CrmEvent = { type, subject, occurredAt: new Date(at).toISOString(), attributes };
    if (random() < 0.9) event.key = `crm-${++keys}`;
    events.push(event);
  };
  const addMql = (subject: string, at: number) => {
    const region = random() < 0.8 ? 'EU' : 'US';
    add('lead.mql', subject, at, { region, score: pick([40, 55, 70, 85]), source: pick(SOURCES) });
    // Events are at 09:00–12:00 UTC, 10:00–13:00 in Paris (CET): the UTC month is the Paris month.
    if (region === 'EU') {
      const month = new Date(at).toISOString().slice(0, 7);
      euMqlByMonth.set(month, (euMqlByMonth.get(month) ?? 0) + 1);
    }
  };

  let leads = 0;
  let met = 0;
  let breached = 0;
  // A lead takes at most 5 events (an MQL, then up to 4).
  while (events.length + 5 <= total) {
    leads += 1;
    const subject = `L-${String(leads).padStart(6, '0')}`;
    // 10:00–12:00 Paris (09:00–11:00 UTC in winter), whole seconds.
    const start = pick(days) + 9 * HOUR + Math.floor(random() * 7200) * 1000;
    if (random() < 0.2) addMql(subject, start - DAY + 30 * MINUTE);
    const score = random();
    const attributes: CrmEvent['attributes'] = {
      source: pick(SOURCES),
      owner: `rep-${1 + Math.floor(random() * 40)}`,
      amount: 1000 * (1 + Math.floor(random() * 50)),
    };
    if (score < 0.3) attributes.score = 'hot';
    else if (score < 0.6) attributes.score = 'warm';
    else if (score < 0.8) attributes.score = 'cold';
    add('lead.handed_over', subject, start, attributes);
    const pattern = random();
    if (pattern < 0.45) {
      add('lead.contacted', subject, start + 10 * MINUTE, { channel: 'phone' }); // 10 min: met on every target
      met += 1;
    } else if (pattern < 0.65) {
      add('lead.contacted', subject, start + 6 * DAY, { channel: 'email' }); // ≥ 4 business days: breached
      breached += 1;
    } else if (pattern < 0.8) {
      add('lead.on_hold', subject, start + 5 * MINUTE, { reason: 'customer asked to call back' });
      add('lead.resumed', subject, start + DAY, {});
      add('lead.contacted', subject, start + DAY + 10 * MINUTE, { channel: 'phone' }); // ≤ 15 working minutes: met
      met += 1;
    } else {
      breached += 1; // never called: running, and overdue weeks before INGESTED_AT
    }
  }
  let extra = 0;
  while (events.length < total) addMql(`M-${++extra}`, pick(days) + 9 * HOUR + Math.floor(random() * 7200) * 1000);
  events.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));

  const byType = new Map<string, number>();
  for (const event of events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  return { events, leads, met, breached, euMqlByMonth, byType };
}

const SOURCES = ['webinar', 'trade-show', 'website', 'partner', 'outbound', 'content'] as const;

async function verifyService(dataSource: import('typeorm').DataSource, generated: Generated): Promise<void> {
  const one = async (sql: string) => Number(Object.values((await dataSource.query(sql))[0] as object)[0]);
  const problems: string[] = [];
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${fmtInt(actual)}, expected ${fmtInt(expected)}`);
  };
  expect('events stored', await one('SELECT COUNT(*) FROM events'), generated.events.length);
  expect('clocks', await one(`SELECT COUNT(*) FROM clocks WHERE state <> 'void'`), generated.leads);
  expect('met clocks', await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'met'`), generated.met);
  expect('breached clocks', await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'breached'`), generated.breached);
  expect('response breaches', await one(`SELECT COUNT(*) FROM breaches WHERE kind = 'response' AND withdrawn_at IS NULL`), generated.breached);
  const periods = (await dataSource.query(`SELECT label, count FROM quota_periods`)) as { label: string; count: number }[];
  const counted = new Map(periods.map((period) => [period.label, Number(period.count)]));
  for (const [month, count] of generated.euMqlByMonth) expect(`quota period ${month}`, counted.get(month) ?? 0, count);
  if (problems.length > 0) throw new Error(`the service did not store or measure what was sent:\n  ${problems.join('\n  ')}`);
}

function rawSqliteInsert(file: string, ddl: string[], pragmas: { journal: string; synchronous: number }, rows: unknown[][]): number {
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${pragmas.journal}`);
    db.pragma(`synchronous = ${pragmas.synchronous}`);
    for (const statement of ddl) db.exec(statement);
    const insert = db.prepare(
      'INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const batch = db.transaction((part: unknown[][]) => {
      for (const row of part) insert.run(row);
    });
    const begin = nowMs();
    for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH));
    const ms = nowMs() - begin;
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    if (stored !== rows.length) throw new Error(`the raw insert stored ${stored} rows, expected ${rows.length}`);
    return ms;
  } finally {
    db.close();
  }
}

/**
 * PostgreSQL's baseline: a plain connection (TypeORM's pg driver, no entities), a table made
 * LIKE the service's events table (columns, defaults, indexes, constraints) in a schema of its
 * own, and one multi-row INSERT per 1,000-row transaction. Fresh table per round.
 */
async function rawPostgresInsert(database: Extract<BenchDatabase, { kind: 'postgres' }>, rows: unknown[][]): Promise<number> {
  const schema = `${database.schema}_raw`;
  const connection = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  try {
    await connection.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await connection.query(`CREATE SCHEMA "${schema}"`);
    await connection.query(`CREATE TABLE "${schema}".events (LIKE "${database.schema}".events INCLUDING ALL)`);
    const columns = 9;
    const begin = nowMs();
    for (let start = 0; start < rows.length; start += BATCH) {
      const part = rows.slice(start, start + BATCH);
      const placeholders = part.map((_row, i) => `(${Array.from({ length: columns }, (_c, c) => `$${i * columns + c + 1}`).join(', ')})`);
      const runner = connection.createQueryRunner();
      try {
        await runner.startTransaction();
        await runner.query(
          `INSERT INTO "${schema}".events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id) VALUES ${placeholders.join(', ')}`,
          part.flat(),
        );
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    }
    const ms = nowMs() - begin;
    const stored = Number((await connection.query(`SELECT COUNT(*) AS n FROM "${schema}".events`))[0].n);
    if (stored !== rows.length) throw new Error(`the raw insert stored ${stored} rows, expected ${rows.length}`);
    return ms;
  } finally {
    await connection.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await connection.destroy();
  }
}

function printHeader(generated: Generated, bodies: string[]): void {
  const types = [...generated.byType].map(([type, count]) => `${type} ${fmtInt(count)}`).join(', ');
  const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  console.log('Batch ingestion: POST /api/events (arrays of 1,000, SQLite file, WAL) against raw better-sqlite3 inserts of the same rows');
  console.log(`events:    ${fmtInt(generated.events.length)} in ${fmtInt(bodies.length)} batches (${fmtInt(bytes / bodies.length / 1024)} KiB each), ${fmtInt(generated.leads)} leads; ${types}`);
  console.log(`in force:  "Hot leads are called fast" (response, Paris office hours) and "Marketing delivers qualified leads" (quota, EU MQLs per month)`);
  console.log(`expected:  ${fmtInt(generated.met)} clocks met, ${fmtInt(generated.breached)} breached; seed 0x${SEED.toString(16)}`);
}
