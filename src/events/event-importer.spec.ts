import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { EventImporter } from './event-importer.js';
import type { EventResult, EventsService } from './events.service.js';
import { MAX_BATCH } from './events.service.js';

const LINES = 20 * MAX_BATCH;

/** A file read one line at a time, counting the lines the importer has pulled from it. */
function countedFile(): { stream: Readable; read: () => number } {
  let read = 0;
  function* lines(): Generator<string> {
    for (let index = 1; index <= LINES; index++) {
      read++;
      yield `${JSON.stringify({ type: 'lead.created', subject: `L-${index}`, occurredAt: '2026-09-01T00:00:00Z', key: `k-${index}` })}\n`;
    }
  }
  return { stream: Readable.from(lines()), read: () => read };
}

describe('EventImporter reading a file while the database stores', () => {
  it('reads at most about two batches ahead of the batch being stored, however long storing takes', async () => {
    const file = countedFile();
    const pending: (() => void)[] = [];
    const accepted = (items: readonly unknown[]): EventResult[] => items.map(() => ({ status: 'accepted', id: 'x', matched: true }));
    // Ingestion that stores a batch only when the test lets it, like a database slower than the disk.
    const events = {
      ingest: (_actor: unknown, items: readonly unknown[]) => new Promise<EventResult[]>((resolve) => pending.push(() => resolve(accepted(items)))),
    } as unknown as EventsService;
    const importing = new EventImporter(events).import(file.stream, 'ndjson', null);

    let mostAhead = 0;
    let batches = 0;
    for (;;) {
      // The reading goes on as far as it will while the batch waits.
      for (let i = 0; i < 50; i++) await turn();
      const store = pending.shift();
      if (!store) break;
      batches++;
      mostAhead = Math.max(mostAhead, file.read() - batches * MAX_BATCH);
      store();
    }

    expect(await importing).toMatchObject({ lines: LINES, accepted: LINES, rejected: 0 });
    expect(batches).toBe(LINES / MAX_BATCH);
    // Readline's queue (1,024 lines) and the streams' buffers: bounded, never the rest of the file.
    expect(mostAhead).toBeLessThanOrEqual(2 * MAX_BATCH);
  });
});

describe('npm run import', () => {
  it('runs the command with a bounded old generation, so V8 collects before garbage piles up to four times the live heap', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const limit = /\bnode .*--max-old-space-size=(\d+) .*dist\/src\/cli\/import-events\.js/.exec(manifest.scripts.import)?.[1];
    // With a limit at most this size V8 grows the heap by about 1.3× its live size between full
    // collections instead of up to 4× (bench/import-memory.bench.ts: peak ~105 MB instead of ~290 MB).
    expect(Number(limit)).toBeGreaterThan(0);
    expect(Number(limit)).toBeLessThanOrEqual(256);
  });
});
