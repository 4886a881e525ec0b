import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { parseSqliteInstant, SqlDialect } from '../database/sql-dialect.js';

/** One stored event as a scan yields it: attributes still as JSON text, parsed only if needed. */
export interface ScannedEvent {
  id: string;
  type: string;
  subject: string;
  occurredAt: number;
  attributes: string;
}

/** Builds what a scan yields from a stored event's columns (instants as epoch ms, attributes as JSON text). */
export type EventMaker<T> = (id: string, type: string, subject: string, occurredAt: number, attributes: string) => T;

const scannedEvent: EventMaker<ScannedEvent> = (id, type, subject, occurredAt, attributes) => ({ id, type, subject, occurredAt, attributes });

const PAGE = 10_000;
/** Cursor names are unique per process: two scans may share a transaction one after the other. */
let cursors = 0;

interface PostgresRow {
  id: string;
  type: string;
  subject: string;
  occurred_ms: number | string;
  attributes: string;
}
/** SQLite's columns of a scan, the attributes as `attributes` gives them. */
const sqliteColumns = (attributes: string) => `id, type, subject, occurred_at, ${attributes}`;
/**
 * PostgreSQL's: each instant as epoch ms (an int8, a number with parseInt8), no timestamptz text
 * for pg to parse into a Date per row (an eighth of a replay's JavaScript time in its profile).
 */
const postgresColumns = (attributes: string) => `id, type, subject, floor(extract(epoch FROM occurred_at) * 1000)::int8 AS occurred_ms, ${attributes}`;
/** The attributes column, or for `types` only (`placeholders` bind them) and `{}` for the rest. */
function attributesColumn(attributesOf: readonly string[] | null, placeholders: string): string {
  if (attributesOf === null) return 'attributes';
  return attributesOf.length ? `CASE WHEN type IN (${placeholders}) THEN attributes ELSE '{}' END AS attributes` : `'{}' AS attributes`;
}

/**
 * The type filter written so no planner walks the (type, occurred_at) index instead: that would
 * sort every matching event again for each page (SQLite's plan: "USE TEMP B-TREE FOR ORDER BY"),
 * where the (subject, occurred_at, id) index yields them in order.
 */
const TYPE_NOT_INDEXED = "(type || '')";

/**
 * Reads the whole event log from an instant on, subject by subject in the order events happened,
 * a page at a time along the (subject, occurred_at, id, type) index: constant memory, no sort, and the
 * event loop gets a turn between pages. On SQLite the pages come straight from better-sqlite3's
 * prepared statements in array mode — a replay over a million events is mostly this read, and
 * the ORM's row objects doubled it.
 */
@Injectable()
export class EventScanner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `visit` may return a promise (to write what a page produced) before the next page is read.
   * Given `manager`, PostgreSQL reads within that transaction; SQLite has one connection anyway.
   * Given `types`, only events of those types are read (the others never reach JavaScript).
   * Given `make`, each event is built by it straight from the row (a replay makes its own events:
   * no intermediate object per event for the garbage collector).
   * Given `attributesOf`, only events of those types carry their attributes; the others get `{}`
   * — a replay reads the starts' attributes alone, and the text of every other event's was a
   * quarter of a million-event read on SQLite.
   */
  async scanBySubject<T = ScannedEvent>(
    from: number,
    visit: (events: T[]) => void | Promise<void>,
    manager?: EntityManager,
    types?: readonly string[],
    make: EventMaker<T> = scannedEvent as unknown as EventMaker<T>,
    attributesOf?: readonly string[],
  ): Promise<void> {
    const dialect = SqlDialect.of(this.dataSource);
    const wanted = types ? [...new Set(types)] : [];
    const read = attributesOf ? [...new Set(attributesOf)] : null;
    if (dialect.kind === 'sqlite') {
      await this.scanSqlite(dialect, from, visit, wanted, make, read);
      return;
    }
    await this.scanPostgres(dialect, from, visit, wanted, make, read, manager);
  }

  /**
   * On PostgreSQL, one ordered SELECT read through a cursor, a page per FETCH: the planner walks
   * the (subject, occurred_at, id) index once. Pages asked for one by one with `(subject,
   * occurred_at, id) > last` were planned on a row estimate a thousand times too low, as a
   * sequential scan and a sort of the whole table for every page (6.7× the plain read). Within
   * the caller's transaction when it has one, else in a read-only one of its own (one snapshot for
   * the whole scan).
   */
  private async scanPostgres<T>(
    dialect: SqlDialect,
    from: number,
    visit: (events: T[]) => void | Promise<void>,
    types: string[],
    make: EventMaker<T>,
    attributesOf: string[] | null,
    manager?: EntityManager,
  ): Promise<void> {
    const ofTypes = types.length ? `AND ${TYPE_NOT_INDEXED} IN (${dialect.params(2, types.length)})` : '';
    const columns = postgresColumns(attributesColumn(attributesOf, attributesOf ? dialect.params(2 + types.length, attributesOf.length) : ''));
    const runner = manager?.queryRunner ?? this.dataSource.createQueryRunner();
    const ownRunner = runner !== manager?.queryRunner;
    const ownTransaction = !runner.isTransactionActive;
    const cursor = `event_scan_${++cursors}`;
    try {
      if (ownTransaction) {
        await runner.startTransaction('REPEATABLE READ');
        await runner.query('SET TRANSACTION READ ONLY');
      }
      await runner.query(
        `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns} FROM events WHERE occurred_at >= $1 ${ofTypes} ORDER BY subject, occurred_at, id`,
        [dialect.instant(from), ...types, ...(attributesOf ?? [])],
      );
      for (;;) {
        const rows = (await runner.query(`FETCH ${PAGE} FROM ${cursor}`)) as PostgresRow[];
        await visit(rows.map((row) => make(row.id, row.type, row.subject, Number(row.occurred_ms), row.attributes)));
        if (rows.length < PAGE) break;
      }
      await runner.query(`CLOSE ${cursor}`);
      if (ownTransaction) await runner.commitTransaction();
    } catch (error) {
      if (ownTransaction && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      if (ownRunner) await runner.release();
    }
  }

  private async scanSqlite<T>(
    dialect: SqlDialect,
    from: number,
    visit: (events: T[]) => void | Promise<void>,
    types: string[],
    make: EventMaker<T>,
    attributesOf: string[] | null,
  ): Promise<void> {
    const database = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const ofTypes = types.length ? `AND ${TYPE_NOT_INDEXED} IN (${types.map(() => '?').join(', ')})` : '';
    // The select list's parameters bind first.
    const columns = sqliteColumns(attributesColumn(attributesOf, (attributesOf ?? []).map(() => '?').join(', ')));
    const selected = attributesOf ?? [];
    const first: Statement = database.prepare(`SELECT ${columns} FROM events WHERE occurred_at >= ? ${ofTypes} ORDER BY subject, occurred_at, id LIMIT ${PAGE}`).raw();
    const next: Statement = database
      .prepare(
        `SELECT ${columns} FROM events WHERE occurred_at >= ? AND (subject, occurred_at, id) > (?, ?, ?) ${ofTypes} ORDER BY subject, occurred_at, id LIMIT ${PAGE}`,
      )
      .raw();
    const since = dialect.instant(from);
    let cursor: [string, string, string] | null = null;
    for (;;) {
      const rows = (cursor ? next.all(...selected, since, ...cursor, ...types) : first.all(...selected, since, ...types)) as [string, string, string, string, string][];
      await visit(rows.map(([id, type, subject, occurredAt, attributes]) => make(id, type, subject, parseSqliteInstant(occurredAt), attributes)));
      if (rows.length < PAGE) return;
      const [id, , subject, occurredAt] = rows[rows.length - 1];
      cursor = [subject, occurredAt, id];
      // Let requests and sweeps in between two pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
