/**
 * Batch ingestion: `POST /api/events` with arrays of 1,000 events against a raw better-sqlite3
 * insert of the same rows. Goal (issue): the service stores and measures at ≥ 25 % of the raw rate.
 *
 * Service: Concord built from AppModule, listening on 127.0.0.1 (port 0), on a SQLite file in a
 * temp directory (WAL, as in production), sweeps off, its clock set after the last event so
 * nothing is "in the future". In force: "Hot leads are called fast" (response: hot 1 h, warm 4 h,
 * else 2 business days, paused on hold) and "Marketing delivers qualified leads" (quota: EU MQLs
 * per month), both signed over the API on the Paris office calendar (09:00–18:00, Mon–Fri), so
 * every batch really computes clocks and counts quota periods. The client sends the batches one
 * at a time over Node's fetch (keep-alive); request bodies are serialised before timing.
 *
 * Events (seeded PRNG): leads handed over on weekdays 10:00–12:00 Paris between 2 February and
 * 20 March 2026 (before the DST change), then called 10 minutes later (met), 6 days later
 * (breached on every target), put on hold for a day (met), or never (breached, still running);
 * a fifth of the leads have an MQL event the day before (80 % EU), and the total is padded to the
 * exact size with extra MQLs. 90 % of events carry an idempotency key, 10 % are deduplicated by
 * content hash. Sent in time order, in batches of 1,000.
 *
 * Baseline: a fresh SQLite file with the very `events` table of the service (DDL and indexes
 * copied from the service's database), the same journal mode and synchronous setting, one
 * prepared INSERT, 1,000 rows per transaction, and exactly the rows the service stored (same ids,
 * dedupe keys, JSON attributes, instants), read back from the service's database. Best of
 * BENCH_RAW_ROUNDS (3) rounds, each on a fresh file.
 *
 * Verification before any figure is printed: every batch answered 200 with 1,000 accepted; the
 * service holds exactly the events sent, the clocks and outcomes the generator expects (one clock
 * per lead: met / breached counted independently), a breach per breached clock, and quota
 * periods whose counts equal the EU MQLs generated per month; the raw database holds the same
 * number of rows.
 *
 * Sizes: BENCH_INGEST_EVENTS (default 100,000, or 100,000 × BENCH_SCALE).
 */
import Database from 'better-sqlite3';
import { ManualClock } from '../src/common/clock.js';
import {
  createCalendar,
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
  try {
    // 1. The service, its org and its two agreements, signed before the events.
    const clock = new ManualClock(SIGNED_AT);
    const concord = await startConcord({ sqlitePath: dir.file('concord.sqlite'), clock, listen: true });
    let serviceMs: number;
    /** CPU the process spent while the batches were timed: steadier than the wall clock on a busy machine (the client's share is in it, and so is the outbox delivering the alerts). */
    let serviceCpuMs = 0;
    const latencies: number[] = [];
    let pragmas: { journal: string; synchronous: number };
    let rows: unknown[][];
    let ddl: string[];
    try {
      const org = await seedOrg(concord.url);
      const calendarId = await createCalendar(concord.url, PARIS_OFFICE);
      await signAgreement(concord.url, org, hotLeads(org, calendarId));
      await signAgreement(concord.url, org, qualifiedLeads(org, calendarId));
      clock.set(INGESTED_AT);

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
        latencies.push(nowMs() - sent);
        const expected = Math.min(BATCH, generated.events.length - index * BATCH);
        if (response.status !== 200 || answer.accepted !== expected) {
          throw new Error(`batch ${index + 1}: expected 200 with ${expected} accepted, got ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
        }
      }
      serviceMs = nowMs() - begin;
      const cpu = process.cpuUsage(cpuBefore);
      serviceCpuMs = (cpu.user + cpu.system) / 1000;

      // 3. What the service stored and measured.
      await verifyService(concord.dataSource, generated);
      const query = (sql: string) => concord.dataSource.query(sql) as Promise<Record<string, unknown>[]>;
      pragmas = {
        journal: String((await query('PRAGMA journal_mode'))[0].journal_mode),
        synchronous: Number((await query('PRAGMA synchronous'))[0].synchronous),
      };
      ddl = (await query(`SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC, name`)).map(
        (row) => String(row.sql),
      );
      rows = (
        await query('SELECT id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id FROM events ORDER BY rowid')
      ).map((row) => [row.id, row.dedupe_key, row.key, row.type, row.subject, row.occurred_at, row.received_at, row.attributes, row.source_id]);
    } finally {
      await concord.close();
    }

    // 4. The baseline: the same rows, raw, best of a few rounds on fresh files.
    let rawMs = Infinity;
    for (let round = 0; round < RAW_ROUNDS; round++) {
      const file = dir.file(`raw-${round}.sqlite`);
      const ms = rawInsert(file, ddl, pragmas, rows);
      rawMs = Math.min(rawMs, ms);
    }

    const serviceRate = (generated.events.length * 1000) / serviceMs;
    const rawRate = (rows.length * 1000) / rawMs;
    const ratio = serviceRate / rawRate;
    const sorted = [...latencies].sort((a, b) => a - b);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

    console.log(`verification: service and raw database both hold ${fmtInt(rows.length)} events; clocks, outcomes, breaches and quota counts as generated`);
    console.log(`cpu:          ${fmtMs(serviceCpuMs)} of the process's CPU while timed: ${fmtInt((generated.events.length * 1000) / serviceCpuMs)} events per CPU-second (compare runs on a busy machine by this)`);
    console.log(`sqlite:       journal_mode=${pragmas.journal}, synchronous=${pragmas.synchronous} on both`);
    console.log('');
    printTable(
      ['implementation', 'events/s', 'total', 'per batch of 1,000', 'timed'],
      [
        [
          'POST /api/events (service, HTTP)',
          fmtInt(serviceRate),
          fmtMs(serviceMs),
          `p50 ${fmtMs(pick(0.5))}, p95 ${fmtMs(pick(0.95))}, max ${fmtMs(sorted[sorted.length - 1])}`,
          `1 × ${fmtInt(bodies.length)} requests`,
        ],
        ['raw better-sqlite3 INSERT', fmtInt(rawRate), fmtMs(rawMs), `${fmtMs((rawMs * BATCH) / rows.length)} per transaction`, `best of ${RAW_ROUNDS}`],
      ],
    );
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const tenth = Math.max(1, Math.floor(latencies.length / 10));
    console.log(
      `trend:     median batch ${fmtMs(median(latencies.slice(0, tenth)))} over the first ${tenth} batches, ` +
        `${fmtMs(median(latencies.slice(-tenth)))} over the last ${tenth} (as the stored events grow to ${fmtInt(rows.length)})`,
    );
    console.log('');
    printTable(
      ['goal', 'result', 'status'],
      [
        [`service ≥ ${fmtPercent(GOAL_RATIO)} of the raw rate`, `${fmtPercent(ratio)} (1 : ${fmtFixed(1 / ratio)})`, status(ratio >= GOAL_RATIO)],
        ['same rows stored', `${fmtInt(rows.length)} = ${fmtInt(generated.events.length)}`, 'met'],
      ],
    );
  } finally {
    dir.remove();
  }
}

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

function rawInsert(file: string, ddl: string[], pragmas: { journal: string; synchronous: number }, rows: unknown[][]): number {
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

function printHeader(generated: Generated, bodies: string[]): void {
  const types = [...generated.byType].map(([type, count]) => `${type} ${fmtInt(count)}`).join(', ');
  const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  console.log('Batch ingestion: POST /api/events (arrays of 1,000, SQLite file, WAL) against raw better-sqlite3 inserts of the same rows');
  console.log(`events:    ${fmtInt(generated.events.length)} in ${fmtInt(bodies.length)} batches (${fmtInt(bytes / bodies.length / 1024)} KiB each), ${fmtInt(generated.leads)} leads; ${types}`);
  console.log(`in force:  "Hot leads are called fast" (response, Paris office hours) and "Marketing delivers qualified leads" (quota, EU MQLs per month)`);
  console.log(`expected:  ${fmtInt(generated.met)} clocks met, ${fmtInt(generated.breached)} breached; seed 0x${SEED.toString(16)}`);
}
