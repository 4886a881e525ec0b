import { Injectable } from '@nestjs/common';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Actor } from '../access/actor.js';
import { InvalidInputError, TooLargeError } from '../common/errors.js';
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

/**
 * The longest line an import reads: the largest event readEvent accepts (50 attributes of 1,000
 * characters) fits, while a line that never ends (a CSV header of 100,000 columns, a file without
 * line feeds) cannot fill memory or hold the service while it is parsed.
 */
export const MAX_LINE_BYTES = 256 * 1024;

const LINE_FEED = 0x0a;

/** Why the gate stopped passing the file on, and at which line. */
type GateStop = { line: number; cause: 'line' | 'size' };

/**
 * Passes the file on one whole line at a time, counting bytes and lines, and stops — ending its
 * output as if the file ended there — before a line longer than MAX_LINE_BYTES or before the
 * byte that would take the import past `maxBytes`. Only complete lines go through, so what was
 * read before a stop is read exactly as it would be without it; at most one partial line waits.
 */
class ImportGate extends Transform {
  bytes = 0;
  private lineFeeds = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private unterminatedLine = false;
  stopped: GateStop | undefined;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    // The complete lines of the chunk go on together, in one piece with what the last chunk left.
    let admittedEnd = 0;
    let carried = this.partialBytes;
    for (let at = chunk.indexOf(LINE_FEED); at !== -1; at = chunk.indexOf(LINE_FEED, at + 1)) {
      if (!this.admit(carried + at + 1 - admittedEnd)) break;
      this.lineFeeds++;
      carried = 0;
      admittedEnd = at + 1;
    }
    if (admittedEnd > 0) {
      this.push(this.partial.length > 0 ? Buffer.concat([...this.partial, chunk.subarray(0, admittedEnd)]) : chunk.subarray(0, admittedEnd));
      this.partial = [];
      this.partialBytes = 0;
    }
    if (!this.stopped && admittedEnd < chunk.length) {
      this.partial.push(chunk.subarray(admittedEnd));
      this.partialBytes += chunk.length - admittedEnd;
      // A line already too long is refused now, without waiting for its end.
      if (this.partialBytes > MAX_LINE_BYTES) this.stopped = { line: this.lineFeeds + 1, cause: 'line' };
    }
    if (this.stopped) this.endOutput();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.stopped && this.partialBytes > 0 && this.admit(this.partialBytes)) {
      this.push(Buffer.concat(this.partial));
      this.unterminatedLine = true;
    }
    done();
  }

  /** Whether the next line, of `lineBytes` bytes with its line feed, may go through; if not, why the gate stops. */
  private admit(lineBytes: number): boolean {
    if (lineBytes > MAX_LINE_BYTES) this.stopped = { line: this.lineFeeds + 1, cause: 'line' };
    else if (this.bytes + lineBytes > this.maxBytes) this.stopped = { line: this.lineFeeds + 1, cause: 'size' };
    else this.bytes += lineBytes;
    return !this.stopped;
  }

  /** Ends the output as if the file ended here; what is still written in is ignored. */
  private endOutput(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.push(null);
  }

  /** Lines passed on; a last line without its line feed counts too. */
  get lines(): number {
    return this.lineFeeds + (this.unterminatedLine ? 1 : 0);
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

  /**
   * `limits.maxBytes` caps the file (IMPORT_MAX_BYTES over HTTP; the command line reads files of
   * any size): a size declared larger is refused before anything is read, and a file that grows
   * past it while streaming stops there with a 413 saying what was imported before.
   */
  async import(
    source: Readable,
    format: ImportFormat,
    actor: Actor | null,
    onProgress?: (progress: ImportProgress) => void,
    limits: { maxBytes?: number; declaredBytes?: number } = {},
  ): Promise<ImportSummary> {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    if (limits.declaredBytes !== undefined && limits.declaredBytes > maxBytes) {
      throw new TooLargeError('body', `the import is ${limits.declaredBytes.toLocaleString('en')} bytes, larger than IMPORT_MAX_BYTES (${maxBytes.toLocaleString('en')} bytes): nothing was imported`);
    }
    const summary: ImportSummary = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, unmatched: 0, errors: [], moreErrors: 0 };
    const reject = (line: number, reason: string) => {
      summary.rejected++;
      if (summary.errors.length < REPORTED_ERRORS) summary.errors.push({ line, reason });
      else summary.moreErrors++;
    };
    const gate = new ImportGate(maxBytes);
    const progress = () =>
      onProgress?.({ bytes: gate.bytes, lines: gate.lines, events: summary.accepted + summary.duplicates + summary.rejected });

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

    // The answer still carries the summary of the lines before the limit: they are stored.
    const tooLarge = (line: number) =>
      new TooLargeError(
        'body',
        `the import is larger than IMPORT_MAX_BYTES (${maxBytes.toLocaleString('en')} bytes): it stopped before line ${line}; ` +
          `the lines before were imported (${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected)`,
        { summary: { ...summary, lines: line - 1 } },
      );
    const lineTooLong = `is longer than ${MAX_LINE_BYTES.toLocaleString('en')} bytes, the limit of one line`;
    source.on('error', (error) => gate.destroy(error));
    source.pipe(gate);
    try {
      for await (const record of importRecords(gate, format)) {
        batch.push(record);
        if (batch.length === MAX_BATCH) await storeBatch();
      }
      await storeBatch();
    } catch (error) {
      // A CSV file cut before its header ends is a header problem or a size problem, not "no header".
      if (gate.stopped?.line === 1) {
        throw gate.stopped.cause === 'size' ? tooLarge(1) : new InvalidInputError({ header: [`the CSV header ${lineTooLong}`] });
      }
      throw error;
    } finally {
      source.unpipe(gate);
      // Whatever was not read is drained, so an HTTP request stopped early can still be answered.
      if (!source.readableEnded) source.resume();
    }
    const stop = gate.stopped;
    if (stop?.cause === 'size') throw tooLarge(stop.line);
    if (stop?.cause === 'line') {
      reject(stop.line, `${lineTooLong}: the import stopped there, the lines before it were imported and the rest was not read`);
      summary.lines = stop.line;
    } else {
      summary.lines = gate.lines;
    }
    return summary;
  }
}
