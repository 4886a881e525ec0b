import { Injectable } from '@nestjs/common';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Actor } from '../auth/actor.js';
import { EventsService, MAX_BATCH } from './events.service.js';
import type { ImportFormat } from './import-format.js';
import { importRecords, type ImportRecord } from './import-records.js';

/** How far an import has come: bytes and lines read, events handed to ingestion. */
export interface ImportProgress {
  bytes: number;
  lines: number;
  events: number;
}

export interface ImportError {
  line: number;
  reason: string;
}

export interface ImportSummary {
  /** Lines in the file, blank ones and the CSV header included. */
  lines: number;
  accepted: number;
  duplicates: number;
  /** Events ingestion refused plus lines that could not be read. */
  rejected: number;
  /** Accepted events that fell under no agreement in force. */
  unmatched: number;
  /** The first REPORTED_ERRORS rejections, in file order. */
  errors: ImportError[];
  /** Rejections beyond those. */
  moreErrors: number;
}

export const REPORTED_ERRORS = 100;

const LINE_FEED = 0x0a;

/** Passes the file through unchanged, counting its bytes and lines. */
class ReadCounter extends Transform {
  bytes = 0;
  private lineFeeds = 0;
  private endsWithLineFeed = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    for (let at = chunk.indexOf(LINE_FEED); at !== -1; at = chunk.indexOf(LINE_FEED, at + 1)) this.lineFeeds++;
    if (chunk.length > 0) this.endsWithLineFeed = chunk[chunk.length - 1] === LINE_FEED;
    done(null, chunk);
  }

  /** A last line without its line feed counts too. */
  get lines(): number {
    return this.lineFeeds + (this.endsWithLineFeed ? 0 : 1);
  }
}

/**
 * Imports a file of events of any size in constant memory: records are read one at a time and
 * handed to ingestion in batches of MAX_BATCH, and the next record is read only once a batch is
 * stored, so a slow database slows the reading instead of filling memory.
 */
@Injectable()
export class EventImporter {
  constructor(private readonly events: EventsService) {}

  async import(
    source: Readable,
    format: ImportFormat,
    actor: Actor | null,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, unmatched: 0, errors: [], moreErrors: 0 };
    const reject = (line: number, reason: string) => {
      summary.rejected++;
      if (summary.errors.length < REPORTED_ERRORS) summary.errors.push({ line, reason });
      else summary.moreErrors++;
    };
    const counter = new ReadCounter();
    const progress = () =>
      onProgress?.({ bytes: counter.bytes, lines: counter.lines, events: summary.accepted + summary.duplicates + summary.rejected });

    // Unreadable lines wait in the batch too, so rejections are reported in file order.
    let batch: ImportRecord[] = [];
    const storeBatch = async () => {
      const events = batch.flatMap((record) => ('event' in record ? [record.event] : []));
      const results = events.length > 0 ? await this.events.ingest(actor, events) : [];
      let next = 0;
      for (const record of batch) {
        if ('error' in record) {
          reject(record.line, record.error);
          continue;
        }
        const result = results[next++];
        if (result.status === 'accepted') {
          summary.accepted++;
          if (result.matched === false) summary.unmatched++;
        }
        else if (result.status === 'duplicate') summary.duplicates++;
        else reject(record.line, Object.values(result.errors ?? {}).flat().join('; '));
      }
      batch = [];
      progress();
    };

    source.on('error', (error) => counter.destroy(error));
    source.pipe(counter);
    try {
      for await (const record of importRecords(counter, format)) {
        batch.push(record);
        if (batch.length === MAX_BATCH) await storeBatch();
      }
      await storeBatch();
    } finally {
      source.unpipe(counter);
      // Whatever was not read is drained, so an HTTP request stopped early can still be answered.
      if (!source.readableEnded) source.resume();
    }
    summary.lines = counter.lines;
    return summary;
  }
}
