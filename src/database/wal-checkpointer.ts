import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';

/** SQLite's own threshold: the committing writer checkpoints once the log holds this many pages. */
export const WRITER_CHECKPOINT_PAGES = 1000;
/**
 * The writer's threshold while the checkpointer runs: a safety net, so the log never grows without
 * bound (~40 MB). SQLite starts the log over only when a write begins after all of it was copied,
 * so under steady writes the log may sit near this size; it is bounded either way.
 */
export const SAFETY_NET_PAGES = 10_000;

/** What one passive checkpoint found: pages in the log, and how many of them are in the database file. */
export interface CheckpointReport {
  log: number;
  checkpointed: number;
}

/**
 * The thread's code, plain CommonJS run by `new Worker(…, { eval: true })`: a file of its own
 * would need a compiled path that differs between the service, the CLI and the tests. It opens
 * the database a second time and, every interval, copies what the log holds into the database
 * file (PRAGMA wal_checkpoint(PASSIVE): never waits for, nor blocks, readers and the writer).
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let last = '';
let timer;
const tick = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    const seen = row.log + '/' + row.checkpointed;
    if (seen !== last) parentPort.postMessage({ report: { log: row.log, checkpointed: row.checkpointed } });
    last = seen;
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  try {
    db.close();
  } finally {
    parentPort.close();
  }
});
parentPort.postMessage({ ready: true });
timer = setTimeout(tick, workerData.intervalMs);
`;

/**
 * Checkpoints SQLite's write-ahead log on a thread of its own (SQLITE_CHECKPOINT_INTERVAL_MS).
 * Without it the commit that takes the log past 1,000 pages copies them into the database file
 * and waits for the disk, inside a request: on the ingestion benchmark, COMMIT was 40 % of the
 * SQL time and most of it was that copy. While the thread runs, the writer's own threshold is
 * raised to a safety net; if the thread stops or fails, it is set back to SQLite's, so the log
 * is always bounded and the database file always catches up. Nothing changes on PostgreSQL or
 * for an in-memory database.
 */
@Injectable()
export class WalCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  private worker?: Worker;
  private exited?: Promise<void>;
  /** Each checkpoint that found something new in the log (tests and the benchmark watch it). */
  readonly reports = new Subject<CheckpointReport>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Whether the thread runs now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const path = this.config.SQLITE_PATH;
    if (this.config.databaseKind !== 'sqlite' || path === ':memory:' || this.config.SQLITE_CHECKPOINT_INTERVAL_MS === 0) return;
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: { path, intervalMs: this.config.SQLITE_CHECKPOINT_INTERVAL_MS, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    // The thread never keeps the process alive on its own (a CLI that failed to start exits).
    worker.unref();
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: { ready?: true; report?: CheckpointReport; error?: string }) => {
        if (message.ready) resolve();
        if (message.report) this.reports.next(message.report);
        if (message.error) this.logger.warn(`checkpoint failed (${message.error}); the next one retries`);
      });
    });
    try {
      await ready;
    } catch (error) {
      this.worker = undefined;
      this.logger.error(`could not start (${(error as Error).message}); the writer checkpoints as before`);
      return;
    }
    // Past this point the thread takes the copying off the writer; if it dies, the writer takes it back.
    worker.on('error', (error) => this.logger.error(`stopped (${error.message}); the writer checkpoints as before`));
    worker.once('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      void this.writerCheckpointsAt(WRITER_CHECKPOINT_PAGES);
    });
    await this.writerCheckpointsAt(SAFETY_NET_PAGES);
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.postMessage('stop');
    await this.exited;
    await this.writerCheckpointsAt(WRITER_CHECKPOINT_PAGES);
    this.reports.complete();
  }

  private async writerCheckpointsAt(pages: number): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.query(`PRAGMA wal_autocheckpoint = ${pages}`).catch((error: Error) => this.logger.warn(`could not set the writer's threshold: ${error.message}`));
  }
}
