/**
 * Import memory: a 1 GB NDJSON file imported keeps the heap under 200 MB. Goal (issue 16).
 *
 * File: written in a temp directory before anything is timed, line by line with backpressure (it
 * is never held in memory): leads of a CRM export as their events happened, each line an event
 * as `POST /api/events` takes it, with the properties a CRM sends along (owner, email, company,
 * campaign and UTM fields, country, size, a free-text note of 40–600 characters). Per lead
 * (seeded PRNG): a lead.mql the day before for a fifth of them (80 % EU); lead.handed_over (hot,
 * warm or cold); then called within minutes, called a day or two later, put on hold and resumed
 * before the call, or never called. 90 % of the events carry an idempotency key, the rest are
 * deduplicated by content hash. Leads are handed over from 200 days to 3 days before now, so every
 * event is in the past of the importing process' real clock, and the agreements are signed before
 * the first.
 *
 * State: the org, the Paris office calendar and "Hot leads are called fast" (response) plus
 * "Marketing delivers qualified leads" (quota), signed over the API, so every batch imported
 * opens, stops and pauses clocks and counts quota periods.
 *
 * Timed and measured: the import as `npm run import -- FILE.ndjson` runs it — the command's own
 * application context (`inApplication`, src/cli/command.ts) and `EventImporter.import` over a file
 * read stream, as the command's importFile calls it — in a child process
 * (bench/support/import-child.ts), so the generator's memory and the benchmark's are not counted.
 * There, `process.memoryUsage()` is sampled every 5 ms and after every stored batch: the peak
 * heapUsed is the goal's figure; the peak RSS is printed beside it, and the peak heap of each tenth
 * of the file, which stays flat when memory does not grow with the file.
 *
 * Verified before any figure is printed: the summary accepted every line (none duplicate, none
 * rejected), the database holds exactly as many more events as lines were written, and one clock
 * per lead handed over.
 *
 * On SQLite (a file in the temp directory, WAL) and, when DATABASE_URL is set, on PostgreSQL (a
 * schema of its own, dropped afterwards). The temp directory and everything in it is removed at the
 * end, whatever happens.
 *
 * Sizes: BENCH_IMPORT_BYTES (1,000,000,000, or 1 GB × BENCH_SCALE).
 */
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import type { ChildTask, ImportMeasure, ImportMessage, ImportTask } from './support/import-child.js';
import { SOURCES } from './support/lead-stories.js';
import {
  ADMIN_TOKEN,
  type BenchDatabase,
  benchDatabases,
  databaseName,
  dropPostgresSchema,
  environmentFor,
  fmtFixed,
  fmtInt,
  fmtMs,
  mulberry32,
  positiveIntFromEnv,
  printTable,
  scaled,
  status,
  tempDirectory,
} from './support/concord.js';

const BYTES = positiveIntFromEnv('BENCH_IMPORT_BYTES', scaled(1_000_000_000, 1_000_000));
const SEED = 0x1d0e_16;
const GOAL_HEAP_BYTES = 200 * 1024 * 1024;
const MB = 1024 * 1024;

/**
 * The Node flags `npm run import` runs the command with (package.json), given to the importing
 * process too: how V8 sizes the heap is part of what the command does.
 */
const IMPORT_NODE_FLAGS = importNodeFlags();

function importNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { scripts: Record<string, string> };
  const command = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/src\/cli\/import-events\.js/.exec(manifest.scripts.import);
  if (!command) throw new Error(`package.json's import script does not run node dist/src/cli/import-events.js: ${manifest.scripts.import}`);
  return command[1].trim().split(/\s+/).filter(Boolean);
}

/** BENCH_IMPORT_DATABASES=sqlite or =postgresql measures one of them only (to run them side by side). */
function selected(database: BenchDatabase): boolean {
  const only = process.env.BENCH_IMPORT_DATABASES?.toLowerCase();
  return !only || only.split(',').includes(databaseName(database).toLowerCase());
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export async function run(): Promise<void> {
  const dir = tempDirectory('import');
  try {
    const now = Date.now();
    const firstLead = now - 200 * DAY;
    const lastLead = now - 3 * DAY;
    const file = dir.file('events.ndjson');
    const written = await writeExport(file, BYTES, firstLead, lastLead);
    const size = (await stat(file)).size;
    console.log(
      `file: ${fmtFixed(size / 1e9, 2)} GB of NDJSON, ${fmtInt(written.lines)} events (${fmtInt(written.leads)} leads handed over, ` +
        `${fmtInt(size / written.lines)} bytes a line on average), written in ${fmtMs(written.ms)}`,
    );
    console.log(
      `import: the application context of \`npm run import\` and EventImporter.import over a file stream, in a child process ` +
        `run with the command's Node flags (${IMPORT_NODE_FLAGS.join(' ') || 'none'})\n`,
    );

    const rows: string[][] = [];
    const goals: string[][] = [];
    const tenths: string[][] = [];
    for (const database of benchDatabases(dir.file('concord.sqlite'), 'import-memory').filter(selected)) {
      try {
        await inChild(database, { kind: 'prepare', signedAt: new Date(firstLead - DAY).toISOString() }, dir.file('outbox'));
        const before = await countRows(database);
        const measure = await importInChild(database, { kind: 'import', file, bytes: size }, dir.file('outbox'));
        const after = await countRows(database);
        verify(measure, written, before, after);
        const name = databaseName(database);
        const peakHeap = Math.max(measure.gc.peakBefore, measure.peakHeapUsed);
        const mb = (bytes: number) => `${fmtFixed(bytes / MB)} MB`;
        rows.push([
          name,
          fmtMs(measure.ms),
          fmtInt((written.lines * 1000) / measure.ms),
          mb(peakHeap),
          mb(measure.gc.peakAfter),
          mb(measure.peakRss),
          `${fmtInt(measure.gc.collections)} (${fmtInt(measure.gc.fullCollections)} full)`,
        ]);
        tenths.push([`${name}, before a collection`, ...measure.gc.beforeByTenth.map((bytes) => fmtInt(bytes / MB))]);
        tenths.push([`${name}, left by a full GC`, ...measure.gc.afterByTenth.map((bytes) => fmtInt(bytes / MB))]);
        tenths.push([`${name}, heapUsed sampled`, ...measure.heapByTenth.map((bytes) => fmtInt(bytes / MB))]);
        goals.push([`${name}: peak heap importing ${fmtFixed(size / 1e9, 2)} GB < ${fmtInt(GOAL_HEAP_BYTES / MB)} MB`, mb(peakHeap), status(peakHeap < GOAL_HEAP_BYTES)]);
        console.log(`${name}: verified — ${fmtInt(measure.summary.accepted)} accepted of ${fmtInt(written.lines)} lines, 0 duplicates, 0 rejected; ` +
          `${fmtInt(after.events - before.events)} events and ${fmtInt(after.clocks - before.clocks)} clocks stored`);
      } finally {
        await dropPostgresSchema(database);
      }
    }
    console.log('');
    printTable(['database', 'time', 'events/s', 'peak heap', 'live heap (most a full GC left)', 'peak RSS', 'GCs'], rows);
    console.log('\npeak heap (MB) in each tenth of the file, as the import reads it:');
    printTable(['', ...Array.from({ length: 10 }, (_, tenth) => `${tenth * 10}–${tenth * 10 + 10} %`)], tenths);
    console.log('');
    printTable(['goal', 'result', 'status'], goals);
  } finally {
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

interface Written {
  lines: number;
  leads: number;
  ms: number;
}

const SCORES = ['hot', 'warm', 'cold'];
const OWNERS = ['samir', 'lea', 'jonas', 'ines', 'tomasz', 'aiko', 'pedro', 'nadia'];
const COUNTRIES = ['FR', 'DE', 'ES', 'IT', 'NL', 'PL', 'SE', 'US', 'CA', 'GB'];
const CAMPAIGNS = ['q1-webinar-series', 'spring-trade-show', 'pricing-page', 'partner-referral', 'outbound-emea', 'whitepaper-sla'];
const MEDIUMS = ['email', 'cpc', 'organic', 'social', 'referral'];
const OUTCOMES = ['interested', 'call back later', 'demo booked', 'not the right person', 'voicemail'];
const WORDS = 'the lead asked about pricing for a team of twenty and wants a demo next week after talking to their head of sales about the renewal of the current tool which ends in spring budget approved'.split(' ');

/**
 * Writes leads until the file reaches `bytes` (the last lead is finished), each lead's events in
 * the order they happened, leads handed over in time order between `firstLead` and `lastLead`.
 */
async function writeExport(path: string, bytes: number, firstLead: number, lastLead: number): Promise<Written> {
  const begin = performance.now();
  const random = mulberry32(SEED);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const note = () => {
    const words: string[] = [];
    for (let length = 40 + Math.floor(random() * 560), size = 0; size < length; size += words.at(-1)!.length + 1) words.push(pick(WORDS));
    return words.join(' ');
  };
  const out = createWriteStream(path);
  let bytesWritten = 0;
  let lines = 0;
  let leads = 0;
  let chunk: string[] = [];
  const flush = async () => {
    const text = chunk.join('');
    chunk = [];
    bytesWritten += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const line = (event: object) => {
    chunk.push(`${JSON.stringify(event)}\n`);
    lines++;
  };
  const keyed = (key: string) => (random() < 0.9 ? { key } : {});
  const instant = (ms: number) => new Date(ms).toISOString();

  while (bytesWritten < bytes) {
    leads++;
    const subject = `hs-contact-${100_000 + leads}`;
    const handedOver = firstLead + Math.min(1, bytesWritten / bytes) * (lastLead - firstLead);
    const owner = pick(OWNERS);
    const country = pick(COUNTRIES);
    const source = pick(SOURCES);
    const campaign = pick(CAMPAIGNS);
    const contact = {
      email: `contact${leads}@company${leads % 9973}.example`,
      company: `Company ${leads % 9973} ${pick(['SAS', 'GmbH', 'S.L.', 'Ltd', 'Inc.'])}`,
      country,
      employees: 5 + Math.floor(random() * 5000),
      utm_source: source,
      utm_medium: pick(MEDIUMS),
      utm_campaign: campaign,
    };
    if (random() < 0.2) {
      const region = random() < 0.8 ? 'EU' : 'NA';
      line({ type: 'lead.mql', subject, occurredAt: instant(handedOver - DAY), ...keyed(`hubspot:${subject}:mql`), attributes: { region, source, campaign, ...contact, note: note() } });
    }
    line({
      type: 'lead.handed_over',
      subject,
      occurredAt: instant(handedOver),
      ...keyed(`hubspot:${subject}:handed_over`),
      attributes: { score: pick(SCORES), source, owner, campaign, ...contact, note: note() },
    });
    const story = random();
    let calledAt: number | undefined;
    if (story < 0.45) calledAt = handedOver + (5 + random() * 40) * MINUTE;
    else if (story < 0.75) calledAt = handedOver + (1 + random()) * DAY;
    else if (story < 0.9) {
      const held = handedOver + 10 * MINUTE;
      line({ type: 'lead.on_hold', subject, occurredAt: instant(held), ...keyed(`hubspot:${subject}:on_hold`), attributes: { owner, reason: 'waiting for the buyer' } });
      line({ type: 'lead.resumed', subject, occurredAt: instant(held + 4 * HOUR), ...keyed(`hubspot:${subject}:resumed`), attributes: { owner } });
      calledAt = held + 5 * HOUR;
    }
    if (calledAt !== undefined) {
      line({
        type: 'lead.contacted',
        subject,
        occurredAt: instant(calledAt),
        ...keyed(`hubspot:${subject}:contacted`),
        attributes: { owner, channel: pick(['phone', 'email', 'video']), duration_s: Math.floor(random() * 1800), outcome: pick(OUTCOMES), note: note() },
      });
    }
    if (chunk.length >= 1000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { lines, leads, ms: performance.now() - begin };
}

/** Events and clocks stored, read straight from the database. */
async function countRows(database: BenchDatabase): Promise<{ events: number; clocks: number }> {
  const statement = (schema: string) => `SELECT (SELECT COUNT(*) FROM ${schema}events) AS events, (SELECT COUNT(*) FROM ${schema}clocks) AS clocks`;
  if (database.kind === 'sqlite') {
    const db = new Database(database.sqlitePath, { readonly: true });
    try {
      return db.prepare(statement('')).get() as { events: number; clocks: number };
    } finally {
      db.close();
    }
  }
  const connection = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  try {
    const [row] = (await connection.query(statement(`"${database.schema}".`))) as { events: string; clocks: string }[];
    return { events: Number(row.events), clocks: Number(row.clocks) };
  } finally {
    await connection.destroy();
  }
}

/** The settings the command line would be run with for this database. */
function commandEnv(database: BenchDatabase, outboxDir: string): NodeJS.ProcessEnv {
  // The outbox dispatcher runs in the command as in the service: the breaches' emails go to .eml
  // files in the temp directory, removed with it.
  // The command reads its database from the environment alone: the schema and the file too.
  const env = environmentFor(database, { ...process.env, LOG_LEVEL: 'error', CONCORD_ADMIN_TOKEN: ADMIN_TOKEN, OUTBOX_DIR: outboxDir });
  delete env.DATABASE_SCHEMA;
  delete env.SQLITE_PATH;
  if (database.kind === 'sqlite') env.SQLITE_PATH = database.sqlitePath;
  else env.DATABASE_SCHEMA = database.schema;
  return env;
}

/**
 * What --trace-gc told of the importing process: the heap before each collection (a peak), and
 * what a full collection (mark-compact) left: the live heap, garbage aside. A scavenge only empties
 * the young generation, so what it leaves still holds the old generation's garbage.
 */
interface GcTrace {
  collections: number;
  fullCollections: number;
  peakBefore: number;
  peakAfter: number;
  /** Per tenth of the file: the highest heap before a collection, and the most a full collection left. */
  beforeByTenth: number[];
  afterByTenth: number[];
}

const GC_LINE = /ms: ([A-Za-z() -]+?) ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;
const TENTH_LINE = /^@import-tenth (\d)$/;

/** Runs one task in a child process with the command's settings for the database; resolves with its measure and the GC trace. */
function inChild(database: BenchDatabase, task: ChildTask, outboxDir: string): Promise<{ measure?: ImportMeasure; gc: GcTrace }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./support/import-child.js', import.meta.url)), [], {
      stdio: ['inherit', 'pipe', 'inherit', 'ipc'],
      env: commandEnv(database, outboxDir),
      execArgv: ['--trace-gc', ...IMPORT_NODE_FLAGS],
    });
    const gc: GcTrace = { collections: 0, fullCollections: 0, peakBefore: 0, peakAfter: 0, beforeByTenth: new Array(10).fill(0), afterByTenth: new Array(10).fill(0) };
    let tenth = -1;
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const mark = TENTH_LINE.exec(text);
      const collection = GC_LINE.exec(text);
      if (mark) tenth = Number(mark[1]);
      else if (collection) {
        const [before, after] = [Number(collection[2]) * MB, Number(collection[3]) * MB];
        const full = collection[1].startsWith('Mark-Compact') || collection[1].startsWith('Mark-sweep');
        gc.collections++;
        gc.peakBefore = Math.max(gc.peakBefore, before);
        if (tenth >= 0) gc.beforeByTenth[tenth] = Math.max(gc.beforeByTenth[tenth], before);
        if (full) {
          gc.fullCollections++;
          gc.peakAfter = Math.max(gc.peakAfter, after);
          if (tenth >= 0) gc.afterByTenth[tenth] = Math.max(gc.afterByTenth[tenth], after);
        }
      } else console.log(text);
    });
    let measure: ImportMeasure | undefined;
    let failure: string | undefined;
    let prepared = false;
    child.on('message', (message: ImportMessage) => {
      if (message.kind === 'done') {
        measure = message.measure;
        // Its work is measured; what is left is the application closing (see import-child.ts).
        child.kill('SIGKILL');
      }
      else if (message.kind === 'prepared') prepared = true;
      else failure = message.message;
    });
    child.on('error', reject);
    // 'close' once its output is read to the end, so no collection is left uncounted.
    child.on('close', (code, signal) => {
      if (measure || (prepared && !failure)) resolve({ measure, gc });
      else reject(new Error(`the import failed: ${failure ?? `the process ended without a result (code ${code}, signal ${signal})`}`));
    });
    child.send(task);
  });
}

async function importInChild(database: BenchDatabase, task: ImportTask, outboxDir: string): Promise<ImportMeasure & { gc: GcTrace }> {
  const { measure, gc } = await inChild(database, task, outboxDir);
  if (!measure) throw new Error('the import answered without a measure');
  return { ...measure, gc };
}

function verify(measure: ImportMeasure, written: Written, before: { events: number; clocks: number }, after: { events: number; clocks: number }): void {
  const { summary } = measure;
  const problems: string[] = [];
  if (summary.lines !== written.lines) problems.push(`the import read ${summary.lines} lines of ${written.lines}`);
  if (summary.accepted !== written.lines) problems.push(`${summary.accepted} accepted of ${written.lines}`);
  if (summary.duplicates !== 0 || summary.rejected !== 0) {
    problems.push(`${summary.duplicates} duplicates and ${summary.rejected} rejected (first: ${JSON.stringify(summary.errors.slice(0, 3))})`);
  }
  if (after.events - before.events !== written.lines) problems.push(`${after.events - before.events} events stored for ${written.lines} lines`);
  if (after.clocks - before.clocks !== written.leads) problems.push(`${after.clocks - before.clocks} clocks for ${written.leads} leads handed over`);
  if (problems.length > 0) throw new Error(`verification failed: ${problems.join('; ')}`);
}
