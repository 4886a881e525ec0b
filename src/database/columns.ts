import type { ColumnType } from 'typeorm';

/**
 * Column types that differ between the two databases, chosen once when entities load.
 * The database is picked by DATABASE_URL (see AppConfig), read here directly because
 * decorators run before any Nest provider exists; n8n resolves its TypeORM column types the
 * same way. Instants are `timestamptz` on PostgreSQL and UTC `datetime` text on SQLite.
 */
export function databaseKindFromEnvironment(env: NodeJS.ProcessEnv = process.env): 'postgres' | 'sqlite' {
  return env.DATABASE_URL ? 'postgres' : 'sqlite';
}

export const INSTANT: ColumnType = databaseKindFromEnvironment() === 'postgres' ? 'timestamptz' : 'datetime';

/**
 * Migration helper: the same choice, made from the connection the migration runs on
 * (`instantTypeFor(queryRunner.connection.driver.options.type)`). New migrations use it; the
 * landed ones, which must not be edited, compute the identical expression inline.
 */
export function instantTypeFor(driverType: string): string {
  return driverType === 'postgres' ? 'timestamptz' : 'datetime';
}
