import { type DataSource, type EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';

/** A column's element type in PostgreSQL, as `rowsSource` casts its array. */
export type PostgresElement = 'text' | 'int' | 'timestamptz';

/**
 * The few differences between SQLite and PostgreSQL that hand-written SQL meets: parameter
 * placeholders and how instants travel. Hot paths (event ingestion, sweeps, replays) use raw SQL
 * written once for both; everything else goes through TypeORM.
 */
export class SqlDialect {
  private constructor(readonly kind: 'postgres' | 'sqlite') {}

  static of(source: DataSource | EntityManager): SqlDialect {
    const type = 'options' in source ? source.options.type : source.connection.options.type;
    return new SqlDialect(type === 'postgres' ? 'postgres' : 'sqlite');
  }

  /**
   * Whether a read through `manager` may wait for other callers' to be sent as one (sharedReads):
   * on PostgreSQL outside a transaction, where queries yield anyway and each saved statement is a
   * round trip. Never on SQLite: there a request runs through without giving the event loop back
   * (its queries are synchronous), which is what keeps two requests' transactions off the one
   * connection at once; a read waiting for others would let another request's transaction start.
   */
  static sharesReads(manager: EntityManager): boolean {
    return !manager.queryRunner && SqlDialect.of(manager).kind === 'postgres';
  }

  /** The n-th placeholder, 1-based. */
  param(n: number): string {
    return this.kind === 'postgres' ? `$${n}` : '?';
  }

  /**
   * `count` placeholders from the n-th on, comma-separated. SQLite's do not depend on `first`, so
   * they are built once per count: batch writes ask for them per row, tens of thousands of times.
   */
  params(first: number, count: number): string {
    if (this.kind === 'sqlite') return sqlitePlaceholders(count);
    return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
  }

  /**
   * `column` is one of `values`, its placeholders numbered from `first`: on PostgreSQL ONE array
   * parameter (\`column = ANY($n)\`, the plan PostgreSQL makes of an IN list anyway), so the text
   * is the same whatever the count — it can be prepared, and one value is bound instead of
   * hundreds; on SQLite an IN list. `parameters` go in the statement's list at `first`.
   */
  oneOf(column: string, first: number, values: readonly unknown[]): { sql: string; parameters: unknown[] } {
    if (this.kind === 'postgres') return { sql: `${column} = ANY($${first})`, parameters: [values] };
    return { sql: `${column} IN (${sqlitePlaceholders(values.length)})`, parameters: [...values] };
  }

  /**
   * The rows an INSERT takes: \`VALUES (…), (…)\` on SQLite; on PostgreSQL ONE typed array per
   * column, unnested (\`SELECT * FROM unnest($1::text[], …)\`), so the text is the same whatever
   * the count — pass `{ prepared: true }` to `rows`: it is parsed and planned once per connection
   * (SQLite ignores it) — and a value is bound per column instead of per cell (a statement of 500
   * clocks bound 11,000).
   * `types`: each column's PostgreSQL element type; cells are parameters as the dialect takes
   * them (instants through `instant`).
   */
  rowsSource(types: readonly PostgresElement[], rows: readonly (readonly unknown[])[]): { sql: string; parameters: unknown[] } {
    if (this.kind === 'postgres') {
      const columns = types.map(() => new Array<unknown>(rows.length));
      rows.forEach((row, r) => row.forEach((cell, c) => (columns[c][r] = cell)));
      return { sql: `SELECT * FROM unnest(${types.map((type, c) => `$${c + 1}::${type}[]`).join(', ')})`, parameters: columns };
    }
    const parameters: unknown[] = [];
    for (const row of rows) parameters.push(...row);
    const tuple = `(${sqlitePlaceholders(types.length)})`;
    return { sql: `VALUES ${Array.from({ length: rows.length }, () => tuple).join(', ')}`, parameters };
  }

  /** An instant as a parameter: a Date for pg, TypeORM's UTC datetime text for SQLite. */
  instant(value: Date | number): Date | string {
    const date = typeof value === 'number' ? new Date(value) : value;
    return this.kind === 'postgres' ? date : formatSqliteInstant(date);
  }

  /**
   * Runs a statement and returns its rows, alike for SELECT and for INSERT / UPDATE … RETURNING
   * (TypeORM's raw query answers [rows, count] for a PostgreSQL UPDATE).
   */
  static async rows<T>(manager: EntityManager, sql: string, parameters: unknown[] = [], options: { prepared?: boolean } = {}): Promise<T[]> {
    const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
    try {
      const name = options.prepared && SqlDialect.of(manager).kind === 'postgres' ? preparedName(sql) : undefined;
      if (name === undefined) {
        const result = await runner.query(sql, parameters, true);
        return (result.records ?? []) as T[];
      }
      // A named statement: each pooled connection parses and plans it once, then only binds and
      // runs it (pg's prepared statements). TypeORM's runner has no way to name one: its client
      // does; a released runner is refused and errors are logged and wrapped as TypeORM's own
      // query would. Needs a server session per pooled connection (PgBouncer: session pooling,
      // or transaction pooling from 1.21 with max_prepared_statements set).
      if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
      const client = (await runner.connect()) as { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
      try {
        return (await client.query({ name, text: sql, values: parameters })).rows;
      } catch (error) {
        manager.connection.logger.logQueryError(error as Error, sql, parameters, runner);
        throw new QueryFailedError(sql, parameters, error as Error);
      }
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }

  /** An instant read from a raw row, as epoch ms. */
  readInstant(value: unknown): number | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.getTime();
    return parseSqliteInstant(String(value));
  }
}

/** Names of the statements prepared on PostgreSQL, by their text; at most MAX_PREPARED texts per process. */
const prepared = new Map<string, string>();
const MAX_PREPARED = 64;

/**
 * The name a statement is prepared under, the same for the same text in every connection;
 * undefined once MAX_PREPARED texts have names (each connection keeps every statement it
 * prepared until it closes: callers ask only for texts of which there are few).
 */
function preparedName(sql: string): string | undefined {
  let name = prepared.get(sql);
  if (name === undefined && prepared.size < MAX_PREPARED) prepared.set(sql, (name = `concord_${prepared.size + 1}`));
  return name;
}

const placeholders: string[] = [];

function sqlitePlaceholders(count: number): string {
  let list = placeholders[count];
  if (list === undefined) {
    list = count > 0 ? '?' + ', ?'.repeat(count - 1) : '';
    if (count <= 4096) placeholders[count] = list;
  }
  return list;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * A Date as SQLite's datetime text ("2026-01-05 09:30:00.000", UTC), the form TypeORM writes,
 * from its UTC fields: about three times faster than toISOString and two replaces, which batch
 * ingestion did for every instant of every event and clock. Years outside 1000–9999 (and an
 * invalid date, which throws) take the toISOString path, as before.
 */
export function formatSqliteInstant(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString().replace('T', ' ').replace('Z', '');
  return (
    `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.${pad3(date.getUTCMilliseconds())}`
  );
}

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);
const SQLITE_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * SQLite's datetime text as TypeORM and Concord write it ("2026-01-05 09:30:00.000", UTC) to epoch
 * ms, read digit by digit: about three times faster than Date.parse of the ISO form built from
 * it, which a replay did once per event (a million times). Any other form (no milliseconds, a
 * zone, a field out of range, something that is no date) goes to Date.parse as before, so the
 * answer is always Date.parse's.
 */
export function parseSqliteInstant(text: string): number {
  if (SQLITE_INSTANT.test(text)) {
    const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
    const month = twoDigits(text, 5);
    const day = twoDigits(text, 8);
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    const second = twoDigits(text, 17);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    // Fields out of range (31 February, 23:60) are Date.parse's to judge, as they always were.
    const days = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
    // Date.UTC reads years 0–99 as 1900–1999: those, too, are Date.parse's.
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59) {
      return Date.UTC(year, month - 1, day, hour, minute, second, digit(text, 20) * 100 + twoDigits(text, 21));
    }
  }
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}
