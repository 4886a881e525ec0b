/**
 * The importing side of bench/import-memory.bench.ts, in a process of its own so that what it
 * measures is the import alone (not the generator's buffers, nor the benchmark's). It builds the
 * application as `npm run import` does (`inApplication`, src/cli/command.ts: a Nest application
 * context from AppModule, sweeps off, settings from the environment) and imports the file as the
 * command's `importFile` does: `EventImporter.import(createReadStream(file), 'ndjson', null, …)`.
 *
 * It also prepares the database beforehand, in a process of its own too: Concord's entities pick
 * their column types from DATABASE_URL when loaded, so one process serves one kind of database.
 *
 * The database is the one the environment names, as for the command (SQLITE_PATH, or
 * DATABASE_URL and DATABASE_SCHEMA): the benchmark forks this process with those settings.
 *
 * The heap is sampled every SAMPLE_MS and after every stored batch (the progress callback):
 * `process.memoryUsage()` gives heapUsed and RSS; the peak of each is kept, and the peak heap of
 * each tenth of the file, so a heap that grows with the file shows as a rising row. Samples are
 * few while SQLite holds the event loop, so the benchmark also runs this process with --trace-gc
 * (the heap before each collection is a peak, none is missed): a line `@import-tenth N` on stdout
 * tells it where in the file the collections that follow happen.
 */
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { inApplication } from '../../src/cli/command.js';
import { EventImporter, type ImportSummary } from '../../src/events/event-importer.js';
import { ManualClock } from '../../src/common/clock.js';
import { createCalendar, hotLeads, nowMs, PARIS_OFFICE, qualifiedLeads, seedOrg, signAgreement, startConcord } from './concord.js';

export type ChildTask = { kind: 'prepare'; signedAt: string } | ImportTask;

export interface ImportTask {
  kind: 'import';
  file: string;
  bytes: number;
}

export interface ImportMeasure {
  ms: number;
  summary: ImportSummary;
  peakHeapUsed: number;
  peakRss: number;
  /** Peak heapUsed while each tenth of the file was read. */
  heapByTenth: number[];
  samples: number;
}

export type ImportMessage = { kind: 'prepared' } | { kind: 'done'; measure: ImportMeasure } | { kind: 'error'; message: string };

const SAMPLE_MS = 5;

function send(message: ImportMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

process.once('message', (task: ChildTask) => {
  void (async () => {
    if (task.kind === 'prepare') {
      try {
        await prepare(task.signedAt);
        await send({ kind: 'prepared' });
      } catch (error) {
        await send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
      process.disconnect();
      return;
    }
    let measure: ImportMeasure | undefined;
    let failure: string | undefined;
    const code = await inApplication(
      process.env,
      (message) => {
        failure = message;
        return 1;
      },
      async (app) => {
        const heapByTenth = new Array<number>(10).fill(0);
        let peakHeapUsed = 0;
        let peakRss = 0;
        let samples = 0;
        let bytesRead = 0;
        let currentTenth = -1;
        const sample = () => {
          const { heapUsed, rss } = process.memoryUsage();
          samples++;
          peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
          peakRss = Math.max(peakRss, rss);
          const tenth = Math.min(9, Math.floor((bytesRead / task.bytes) * 10));
          if (tenth !== currentTenth) process.stdout.write(`@import-tenth ${(currentTenth = tenth)}\n`);
          heapByTenth[tenth] = Math.max(heapByTenth[tenth], heapUsed);
        };
        const timer = setInterval(sample, SAMPLE_MS);
        const file = createReadStream(task.file);
        const begin = nowMs();
        try {
          const summary = await app.get(EventImporter).import(file, 'ndjson', null, (progress) => {
            bytesRead = progress.bytes;
            sample();
          });
          const ms = nowMs() - begin;
          sample();
          measure = { ms, summary, peakHeapUsed, peakRss, heapByTenth, samples };
          // Sent before the application closes: closing lets the outbox dispatcher finish its run,
          // which after an import full of breaches writes emails for minutes; that is not the import.
          await send({ kind: 'done', measure });
        } finally {
          clearInterval(timer);
          file.destroy();
        }
        return 0;
      },
    );
    if (code !== 0 || !measure) await send({ kind: 'error', message: failure ?? `the import ended with code ${code}` });
    process.disconnect();
  })();
});

/** The org, the Paris office calendar and both agreements, signed at `signedAt` (before the first event), over the API. */
async function prepare(signedAt: string): Promise<void> {
  const env = process.env;
  const database = env.DATABASE_URL
    ? { kind: 'postgres' as const, url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA ?? 'public' }
    : { kind: 'sqlite' as const, sqlitePath: env.SQLITE_PATH ?? '' };
  const concord = await startConcord({ database, clock: new ManualClock(signedAt), listen: true });
  try {
    const org = await seedOrg(concord.url);
    const calendarId = await createCalendar(concord.url, PARIS_OFFICE);
    await signAgreement(concord.url, org, hotLeads(org, calendarId));
    await signAgreement(concord.url, org, qualifiedLeads(org, calendarId));
  } finally {
    await concord.close();
  }
}
