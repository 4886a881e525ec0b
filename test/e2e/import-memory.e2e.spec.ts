import { jest } from '@jest/globals';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { EventImporter, REPORTED_ERRORS, type ImportProgress } from '../../src/events/event-importer.js';
import { EventsService, MAX_BATCH } from '../../src/events/events.service.js';
import { TestApp } from '../support/test-app.js';

const EVENTS = 50_000;
/** Every 10,000th line is broken, so rejections are counted across batches too. */
const BROKEN_EVERY = 10_000;

/** A file of EVENTS lines made one line at a time: it is never whole in memory. */
function* generatedNdjson(): Generator<string> {
  const start = Date.parse('2026-09-01T00:00:00Z');
  for (let index = 1; index <= EVENTS; index++) {
    if (index % BROKEN_EVERY === 0) {
      yield '{"type": "lead.created",\n';
      continue;
    }
    const occurredAt = new Date(start + index * 1000).toISOString();
    yield `${JSON.stringify({ type: 'lead.created', subject: `G-${index % 5000}`, occurredAt, key: `gen-${index}` })}\n`;
  }
}

describe('importing a large file in constant memory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`streams ${EVENTS.toLocaleString('en')} events to ingestion in batches of at most ${MAX_BATCH}`, async () => {
    const ingest = jest.spyOn(t.app.get(EventsService), 'ingest');
    const progress: ImportProgress[] = [];
    const summary = await t.app.get(EventImporter).import(Readable.from(generatedNdjson()), 'ndjson', null, (p) => progress.push(p));

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
    const sizes = ingest.mock.calls.map(([, items]) => items.length);
    expect(Math.max(...sizes)).toBe(MAX_BATCH);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(EVENTS - broken);
    expect(progress.at(-1)).toMatchObject({ lines: EVENTS, events: EVENTS });
    expect(progress.map((p) => p.lines)).toEqual([...progress.map((p) => p.lines)].sort((a, b) => a - b));

    const rows: { count: number | string }[] = await t.app.get(DataSource).query('SELECT count(*) AS count FROM events');
    expect(Number(rows[0].count)).toBe(EVENTS - broken);
    ingest.mockRestore();
  }, 120_000);

  it(`keeps the first ${REPORTED_ERRORS} rejections and counts the rest`, async () => {
    const summary = await t.app.get(EventImporter).import(Readable.from(['not json\n'.repeat(REPORTED_ERRORS + 50)]), 'ndjson', null);
    expect(summary).toMatchObject({ lines: REPORTED_ERRORS + 50, accepted: 0, rejected: REPORTED_ERRORS + 50, moreErrors: 50 });
    expect(summary.errors.map((error) => error.line)).toEqual(Array.from({ length: REPORTED_ERRORS }, (_, i) => i + 1));
  });
});
