import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DataSource } from 'typeorm';
import { EventImporter, REPORTED_ERRORS, type ImportProgress } from '../../src/events/event-importer.js';
import { EventsService, MAX_BATCH } from '../../src/events/events.service.js';
import { TestApp } from '../support/test-app.js';

/** Lines in the generated file; IMPORT_MEMORY_LINES makes it larger (or smaller, locally). */
const EVENTS = Number(process.env.IMPORT_MEMORY_LINES ?? 200_000);
/** Every 10,000th line is broken, so rejections are counted across batches too. */
const BROKEN_EVERY = 10_000;
/** Each event carries a note, so a line is about 230 bytes and 200,000 lines about 47 MB. */
const NOTE = 'lorem ipsum dolor sit amet '.repeat(4);

/**
 * A forced full collection, so a sample is what the import holds rather than garbage not yet
 * collected: `global.gc` under `node --expose-gc`, otherwise the same function fetched once the
 * flag is set at run time. Without either, samples include garbage, and the maximum is a bound above.
 */
function fullCollection(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** A file of EVENTS lines made one line at a time: it is never whole in memory. */
function generatedNdjson(file: { bytes: number }): Readable {
  function* lines(): Generator<string> {
    const start = Date.parse('2026-09-01T00:00:00Z');
    for (let index = 1; index <= EVENTS; index++) {
      const line =
        index % BROKEN_EVERY === 0
          ? '{"type": "lead.created",\n'
          : `${JSON.stringify({ type: 'lead.created', subject: `G-${index % 5000}`, occurredAt: new Date(start + index * 1000).toISOString(), key: `gen-${index}`, attributes: { note: NOTE } })}\n`;
      file.bytes += Buffer.byteLength(line);
      yield line;
    }
  }
  return Readable.from(lines());
}

describe('importing a large file in constant memory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`streams ${EVENTS.toLocaleString('en')} generated events to ingestion in batches of at most ${MAX_BATCH}, the heap staying far below the file's size`, async () => {
    // Sizes only: a jest spy would keep every batch it was called with, and that is the file.
    const events = t.app.get(EventsService);
    const ingest = events.ingest;
    const sizes: number[] = [];
    events.ingest = (...args: Parameters<EventsService['ingest']>) => {
      sizes.push(args[1].length);
      return ingest.apply(events, args);
    };

    const gc = fullCollection();
    const heapUsed = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const file = { bytes: 0 };
    const progress: ImportProgress[] = [];
    const startHeap = heapUsed();
    let maxHeap = startHeap;
    let summary;
    try {
      // Sampled after every tenth stored batch (a full collection takes a while on a large
      // heap), just when a batch was stored and the next is being read.
      summary = await t.app.get(EventImporter).import(generatedNdjson(file), 'ndjson', null, (p) => {
        progress.push(p);
        if (progress.length % 10 === 0) maxHeap = Math.max(maxHeap, heapUsed());
      });
    } finally {
      events.ingest = ingest;
    }

    const broken = EVENTS / BROKEN_EVERY;
    expect(summary).toEqual({
      lines: EVENTS,
      accepted: EVENTS - broken,
      duplicates: 0,
      rejected: broken,
      unmatched: EVENTS - broken,
      errors: Array.from({ length: broken }, (_, i) => ({ line: (i + 1) * BROKEN_EVERY, reason: expect.stringMatching(/^not valid JSON/) })),
      moreErrors: 0,
    });
    // Bounded batches, each stored before the next is read, are what keeps memory constant.
    expect(Math.max(...sizes)).toBe(MAX_BATCH);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(EVENTS - broken);
    expect(progress.at(-1)).toMatchObject({ bytes: file.bytes, lines: EVENTS, events: EVENTS });
    expect(progress.map((p) => p.lines)).toEqual([...progress.map((p) => p.lines)].sort((a, b) => a - b));

    // The whole file went through while the heap grew by less
    // than a third of it: the importer holds a batch, not the file.
    expect(file.bytes).toBeGreaterThan(EVENTS * 190);
    const growth = maxHeap - startHeap;
    expect(growth).toBeLessThan(file.bytes / 3);

    const rows: { count: number | string }[] = await t.app.get(DataSource).query('SELECT count(*) AS count FROM events');
    expect(Number(rows[0].count)).toBe(EVENTS - broken);
  }, 120_000);

  it(`keeps the first ${REPORTED_ERRORS} rejections and counts the rest`, async () => {
    const summary = await t.app.get(EventImporter).import(Readable.from(['not json\n'.repeat(REPORTED_ERRORS + 50)]), 'ndjson', null);
    expect(summary).toMatchObject({ lines: REPORTED_ERRORS + 50, accepted: 0, rejected: REPORTED_ERRORS + 50, moreErrors: 50 });
    expect(summary.errors.map((error) => error.line)).toEqual(Array.from({ length: REPORTED_ERRORS }, (_, i) => i + 1));
  });
});
