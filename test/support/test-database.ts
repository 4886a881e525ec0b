import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';

/**
 * A database of one's own for one test file: a fresh in-memory SQLite database by default, or,
 * when DATABASE_URL points at PostgreSQL, a schema created for the file and dropped after it.
 * Nothing is shared between files or left behind, so files run in any order and in parallel.
 */
export interface TestDatabase {
  /** Environment settings that select this database (merged over process.env). */
  env: Record<string, string>;
  kind: 'postgres' | 'sqlite';
  drop(): Promise<void>;
}

/**
 * `shared`: a SQLite file rather than memory, for tests that restart the service or run two
 * instances on one database (PostgreSQL schemas are always shareable).
 */
export async function createTestDatabase(options: { shared?: boolean } = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url && !options.shared) {
    return { env: { SQLITE_PATH: ':memory:' }, kind: 'sqlite', drop: async () => undefined };
  }
  if (!url) {
    const directory = mkdtempSync(join(tmpdir(), 'concord-test-'));
    return {
      env: { SQLITE_PATH: join(directory, 'concord.sqlite') },
      kind: 'sqlite',
      drop: async () => rmSync(directory, { recursive: true, force: true }),
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.destroy();
  return {
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    kind: 'postgres',
    drop: async () => {
      const cleaner = new DataSource({ type: 'postgres', url });
      await cleaner.initialize();
      await cleaner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleaner.destroy();
    },
  };
}

/**
 * A migrated database of one's own behind a bare DataSource, for tests of repositories and the
 * services' rules on real SQL without the app or HTTP (in-memory SQLite, or a PostgreSQL schema
 * when DATABASE_URL is set): it opens in milliseconds.
 */
export async function openTestDataSource(): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const dataSource = await new DataSource(buildDataSourceOptions(loadConfig({ ...process.env, ...database.env }))).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/**
 * The database as the given migrations leave it (`migrations` = every migration when omitted),
 * for tests of one migration: open it with those before it, write rows in the old shape, then open
 * it again with all of them. `values(n)` gives the dialect's n placeholders.
 */
export async function openMigrated(
  database: TestDatabase,
  migrations?: DataSourceOptions['migrations'],
): Promise<DataSource & { values(n: number): string }> {
  const options = buildDataSourceOptions(loadConfig({ ...process.env, ...database.env }));
  const dataSource = await new DataSource({ ...options, ...(migrations ? { migrations } : {}) } as DataSourceOptions).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const postgres = dataSource.options.type === 'postgres';
  return Object.assign(dataSource, {
    values: (n: number) => Array.from({ length: n }, (_, i) => (postgres ? `$${i + 1}` : '?')).join(', '),
  });
}
