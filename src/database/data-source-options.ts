import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';

/**
 * DataSource options, defined once for the application and the migration CLI.
 * The schema comes from migrations only: `synchronize` stays off.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const common: Pick<
    DataSourceOptions,
    'entities' | 'migrations' | 'migrationsTableName' | 'synchronize' | 'migrationsRun' | 'logging'
  > = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: config.LOG_LEVEL === 'verbose' ? 'all' : ['error'],
  };
  if (config.DATABASE_URL) {
    const schema = config.DATABASE_SCHEMA;
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      schema,
      parseInt8: true,
      // Raw SQL and TypeORM agree on where the tables are when a schema is configured.
      extra: schema ? { options: `-c search_path=${schema}` } : undefined,
    };
  }
  if (config.SQLITE_PATH !== ':memory:') mkdirSync(dirname(config.SQLITE_PATH), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.SQLITE_PATH,
    enableWAL: config.SQLITE_PATH !== ':memory:',
    // Wait for a writer instead of failing at once when a second process holds the lock.
    timeout: 10_000,
    // TypeORM keeps prepared statements in a first-in-first-out cache of 100 by their text. Batch
    // writes have a text per row count (multi-row upserts of the rollups, IN lists), so 100 were
    // pushed out within a batch or two, the hottest statements with them, and prepared again: with
    // room for a thousand, what ingestion runs every batch stays prepared (a statement is a few KB).
    statementCacheSize: 1000,
    // 64 MB of page cache instead of 2 MB: indexes of a busy event log stay in memory, which is
    // what ingestion (lookups by subject) and replays (walks in subject order) spend their time on.
    prepareDatabase: (database: { pragma(statement: string): unknown }) => {
      database.pragma('cache_size = -65536');
    },
  };
}
