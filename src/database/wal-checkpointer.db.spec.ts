import { statSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { loadConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { SAFETY_NET_PAGES, WalCheckpointer, WRITER_CHECKPOINT_PAGES } from './wal-checkpointer.js';

const PAGE = 4096;

/**
 * The write-ahead log copied into the database file by a thread of its own: on a SQLite file the
 * writer's commits no longer copy it (their threshold is a safety net while the thread runs, and
 * SQLite's again once it stops or dies); nothing is lost; PostgreSQL and memory are left alone.
 */
describe(`the WAL checkpointer on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let checkpointer: WalCheckpointer | undefined;

  const open = async (env: Record<string, string> = {}) => {
    const config = loadConfig({ ...process.env, ...database.env, ...env });
    dataSource = await new DataSource(buildDataSourceOptions(config)).initialize();
    checkpointer = new WalCheckpointer(dataSource, config);
    await checkpointer.onApplicationBootstrap();
    return config;
  };
  const close = async () => {
    await checkpointer?.onApplicationShutdown();
    checkpointer = undefined;
    if (dataSource?.isInitialized) await dataSource.destroy();
  };
  const writerThreshold = async () => Number((await dataSource.query('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint);
  /** `pages` pages of rows, in transactions of a hundred pages. */
  const write = async (pages: number) => {
    await dataSource.query('CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    for (let done = 0; done < pages; done += 100) {
      await dataSource.transaction(async (manager) => {
        for (let i = 0; i < 100; i++) await manager.query('INSERT INTO filler (body) VALUES (randomblob(3900))');
      });
    }
  };

  beforeEach(async () => (database = await createTestDatabase({ shared: true })));
  afterEach(async () => {
    await close();
    await database.drop();
  });

  if (process.env.DATABASE_URL) {
    it('stays off on PostgreSQL', async () => {
      await open();
      expect(checkpointer?.running).toBe(false);
    });
    return;
  }

  it('copies the log into the database file on its own thread while the writer keeps only a safety net', async () => {
    const config = await open();
    expect(checkpointer?.running).toBe(true);
    expect(await writerThreshold()).toBe(SAFETY_NET_PAGES);

    // 3,000 pages: three times SQLite's threshold, far below the safety net. Without the thread
    // nothing would copy them before the connection closes; with it the file holds them.
    // A report counts frames, and a page written by several transactions is several frames: wait
    // for the file itself to hold the rows (the thread copies every 100 ms).
    const reported = firstValueFrom(checkpointer!.reports);
    await write(3000);
    await reported;
    for (let tries = 0; tries < 200 && statSync(config.SQLITE_PATH).size <= 3000 * PAGE; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(config.SQLITE_PATH).size).toBeGreaterThan(3000 * PAGE);
  });

  it('hands checkpoints back to the writer when it stops, and when its thread dies', async () => {
    await open();
    // Stopped: the connection that stays open checkpoints at SQLite's threshold again.
    await checkpointer!.onApplicationShutdown();
    expect(await writerThreshold()).toBe(WRITER_CHECKPOINT_PAGES);
    expect(checkpointer!.running).toBe(false);

    // Died: the thread ends without being asked to.
    checkpointer = new WalCheckpointer(dataSource, loadConfig({ ...process.env, ...database.env }));
    await checkpointer.onApplicationBootstrap();
    expect(await writerThreshold()).toBe(SAFETY_NET_PAGES);
    await (checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (let tries = 0; tries < 100 && (await writerThreshold()) !== WRITER_CHECKPOINT_PAGES; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await writerThreshold()).toBe(WRITER_CHECKPOINT_PAGES);
    expect(checkpointer.running).toBe(false);
  });

  it('loses nothing: what was committed while it ran is there after a restart, and the file is sound', async () => {
    await open({ SQLITE_CHECKPOINT_INTERVAL_MS: '1' });
    await write(1500);
    await close();
    await open();
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM filler'))[0].n)).toBe(1500);
    expect(await dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('stays off when SQLITE_CHECKPOINT_INTERVAL_MS is 0, and for a database in memory', async () => {
    await open({ SQLITE_CHECKPOINT_INTERVAL_MS: '0' });
    expect(checkpointer?.running).toBe(false);
    expect(await writerThreshold()).toBe(WRITER_CHECKPOINT_PAGES);
    await close();
    await open({ SQLITE_PATH: ':memory:' });
    expect(checkpointer?.running).toBe(false);
  });
});
