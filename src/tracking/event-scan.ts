import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';

/** One stored event as a scan yields it: attributes still as JSON text, parsed only if needed. */
export interface ScannedEvent {
  id: string;
  type: string;
  subject: string;
  occurredAt: number;
  attributes: string;
}

const PAGE = 10_000;

interface StoredRow {
  id: string;
  type: string;
  subject: string;
  occurred_at: unknown;
  attributes: string;
}
const COLUMNS = 'id, type, subject, occurred_at, attributes';
/**
 * The type filter written so no planner walks the (type, occurred_at) index instead: that would
 * sort every matching event again for each page (SQLite's plan: "USE TEMP B-TREE FOR ORDER BY"),
 * where the (subject, occurred_at, id) index yields them in order.
 */
const TYPE_NOT_INDEXED = "(type || '')";

/**
 * Reads the whole event log from an instant on, subject by subject in the order events happened,
 * a page at a time along the (subject, occurred_at, id) index: constant memory, no sort, and the
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
   */
  async scanBySubject(
    from: number,
    visit: (events: ScannedEvent[]) => void | Promise<void>,
    manager?: EntityManager,
    types?: readonly string[],
  ): Promise<void> {
    const dialect = SqlDialect.of(this.dataSource);
    const wanted = types ? [...new Set(types)] : [];
    if (dialect.kind === 'sqlite') {
      await this.scanSqlite(dialect, from, visit, wanted);
      return;
    }
    const ofTypes = (first: number) => (wanted.length ? `AND ${TYPE_NOT_INDEXED} IN (${dialect.params(first, wanted.length)})` : '');
    let cursor: [string, unknown, string] | null = null;
    for (;;) {
      const rows: StoredRow[] = await SqlDialect.rows<StoredRow>(
        manager ?? this.dataSource.manager,
        `SELECT ${COLUMNS} FROM events
         WHERE occurred_at >= $1 ${cursor ? `AND (subject, occurred_at, id) > ($2, $3, $4) ${ofTypes(5)}` : ofTypes(2)}
         ORDER BY subject, occurred_at, id LIMIT ${PAGE}`,
        [dialect.instant(from), ...(cursor ?? []), ...wanted],
      );
      await visit(
        rows.map((row) => ({
          id: row.id,
          type: row.type,
          subject: row.subject,
          occurredAt: dialect.readInstant(row.occurred_at) as number,
          attributes: row.attributes,
        })),
      );
      if (rows.length < PAGE) return;
      const last: StoredRow = rows[rows.length - 1];
      cursor = [last.subject, last.occurred_at, last.id];
    }
  }

  private async scanSqlite(dialect: SqlDialect, from: number, visit: (events: ScannedEvent[]) => void | Promise<void>, types: string[]): Promise<void> {
    const database = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const ofTypes = types.length ? `AND ${TYPE_NOT_INDEXED} IN (${types.map(() => '?').join(', ')})` : '';
    const first: Statement = database.prepare(`SELECT ${COLUMNS} FROM events WHERE occurred_at >= ? ${ofTypes} ORDER BY subject, occurred_at, id LIMIT ${PAGE}`).raw();
    const next: Statement = database
      .prepare(
        `SELECT ${COLUMNS} FROM events WHERE occurred_at >= ? AND (subject, occurred_at, id) > (?, ?, ?) ${ofTypes} ORDER BY subject, occurred_at, id LIMIT ${PAGE}`,
      )
      .raw();
    const since = dialect.instant(from);
    let cursor: [string, string, string] | null = null;
    for (;;) {
      const rows = (cursor ? next.all(since, ...cursor, ...types) : first.all(since, ...types)) as [string, string, string, string, string][];
      await visit(
        rows.map(([id, type, subject, occurredAt, attributes]) => ({
          id,
          type,
          subject,
          occurredAt: Date.parse(`${occurredAt.replace(' ', 'T')}Z`),
          attributes,
        })),
      );
      if (rows.length < PAGE) return;
      const [id, , subject, occurredAt] = rows[rows.length - 1];
      cursor = [subject, occurredAt, id];
      // Let requests and sweeps in between two pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
