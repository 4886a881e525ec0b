import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlDialect, type PostgresElement } from '../database/sql-dialect.js';
import type { EventAttributes } from './event.entity.js';
import type { EventInput } from './event-input.js';
import type { StoredEvent } from './event-measurer.js';

const EVENT_COLUMNS = 'id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id, connection_id';

/** EVENT_COLUMNS' PostgreSQL element types, in order (SqlDialect.rowsSource). */
const EVENT_TYPES: PostgresElement[] = ['text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'text', 'text', 'text'];

/**
 * The rows of an insert of `events` (`ids[i]` for `events[i]`), in EVENT_COLUMNS' order, and their
 * parameters: VALUES on SQLite, one array per column on PostgreSQL (SqlDialect.rowsSource).
 */
function insertValues(
  dialect: SqlDialect,
  events: readonly EventInput[],
  ids: readonly string[],
  receivedAt: Date,
  sourceId: string | null,
  connectionId: string | null,
): { sql: string; parameters: unknown[] } {
  const received = dialect.instant(receivedAt);
  return dialect.rowsSource(
    EVENT_TYPES,
    events.map((event, i) => [ids[i], event.dedupeKey, event.key, event.type, event.subject, dialect.instant(event.occurredAt), received, JSON.stringify(event.attributes), sourceId, connectionId]),
  );
}
/** Rows per statement: 10 parameters each stays far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_STATEMENT = 500;

/** What the log holds of an event, as a repeat is compared with it. */
export interface LoggedEvent {
  id: string;
  type: string;
  subject: string;
  occurredAt: number;
  attributes: EventAttributes;
}

/**
 * The event log's writes and its lookups by dedupe key, in hand-written SQL: batch ingestion
 * stores up to a thousand events per request, a few hundred per statement.
 */
@Injectable()
export class EventRepository {
  /**
   * Inserts the events whose dedupe key is not in the log yet (`ids[i]` for `events[i]`);
   * returns the dedupe keys actually inserted.
   */
  async insertNew(
    manager: EntityManager,
    events: EventInput[],
    ids: string[],
    receivedAt: Date,
    sourceId: string | null,
    connectionId: string | null = null,
  ): Promise<Set<string>> {
    const dialect = SqlDialect.of(manager);
    const inserted = new Set<string>();
    for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
      const rows = insertValues(dialect, events.slice(start, start + ROWS_PER_STATEMENT), ids.slice(start), receivedAt, sourceId, connectionId);
      const returned = await SqlDialect.rows<{ dedupe_key: string }>(
        manager,
        `INSERT INTO events (${EVENT_COLUMNS}) ${rows.sql} ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
        rows.parameters,
        { prepared: true },
      );
      for (const row of returned) inserted.add(row.dedupe_key);
    }
    return inserted;
  }

  /**
   * PostgreSQL, tracking queued: inserts the events whose dedupe key is new AND the queue row of
   * those inserted, in ONE statement (data-modifying CTEs run whole and atomically, read or not),
   * so a single event is stored and queued without a transaction around it: two round trips
   * (BEGIN, COMMIT) and a third (the queue row) fewer. At most ROWS_PER_STATEMENT events; the
   * queue row lists the inserted ids in the order of `ids` (ids made in order sort in order).
   * Returns the dedupe keys actually inserted, and the value of `alongside` (a scalar SQL
   * expression without parameters, read by the same statement; see EventMeasurer.matchingRead).
   */
  async insertNewQueued(
    manager: EntityManager,
    events: EventInput[],
    ids: string[],
    receivedAt: Date,
    sourceId: string | null,
    connectionId: string | null,
    queuedAt: Date,
    alongside?: string,
  ): Promise<{ inserted: Set<string>; alongside: unknown }> {
    if (events.length > ROWS_PER_STATEMENT) throw new Error(`insertNewQueued takes at most ${ROWS_PER_STATEMENT} events`);
    const dialect = SqlDialect.of(manager);
    if (dialect.kind !== 'postgres') throw new Error('insertNewQueued needs PostgreSQL (a data-modifying WITH)');
    for (let i = 1; i < ids.length; i++) if (ids[i - 1] >= ids[i]) throw new Error('insertNewQueued needs ids in increasing order');
    const rows = insertValues(dialect, events, ids, receivedAt, sourceId, connectionId);
    const values = [...rows.parameters, dialect.instant(queuedAt)];
    // One row whatever was inserted: the keys stored, and what `alongside` read.
    const [returned] = await SqlDialect.rows<{ inserted: string[] | null; alongside: unknown }>(
      manager,
      `WITH stored AS (
         INSERT INTO events (${EVENT_COLUMNS}) ${rows.sql} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key
       ), queued AS (
         INSERT INTO tracking_queue (event_ids, event_count, queued_at)
         SELECT json_agg(id ORDER BY id)::text, COUNT(*), CAST(${dialect.param(values.length)} AS timestamptz) FROM stored HAVING COUNT(*) > 0
       )
       SELECT (SELECT json_agg(dedupe_key) FROM stored) AS inserted, ${alongside ?? 'NULL'} AS alongside`,
      values,
      { prepared: true },
    );
    return { inserted: new Set(returned.inserted ?? []), alongside: alongside === undefined ? undefined : returned.alongside };
  }

  /** The logged events with these dedupe keys, by key. */
  findByDedupeKeys(manager: EntityManager, dedupeKeys: string[]): Promise<Map<string, LoggedEvent>> {
    return this.findWhereIn(manager, 'dedupe_key', dedupeKeys);
  }

  /** The stored events with these ids, as tracking is handed them, in the order of `ids`. */
  async findStored(manager: EntityManager, ids: readonly string[]): Promise<StoredEvent[]> {
    const byId = await this.findWhereIn(manager, 'id', ids);
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Events whose `column` is one of `values`, by that value, a few hundred per statement. */
  private async findWhereIn(manager: EntityManager, column: 'id' | 'dedupe_key', values: readonly string[]): Promise<Map<string, LoggedEvent>> {
    const dialect = SqlDialect.of(manager);
    const found = new Map<string, LoggedEvent>();
    for (let start = 0; start < values.length; start += ROWS_PER_STATEMENT) {
      const part = values.slice(start, start + ROWS_PER_STATEMENT);
      const where = dialect.oneOf(column, 1, part);
      const rows = await SqlDialect.rows<{ id: string; dedupe_key: string; type: string; subject: string; occurred_at: unknown; attributes: string }>(
        manager,
        `SELECT id, dedupe_key, type, subject, occurred_at, attributes FROM events WHERE ${where.sql}`,
        where.parameters,
        { prepared: true },
      );
      for (const row of rows) {
        found.set(column === 'id' ? row.id : row.dedupe_key, {
          id: row.id,
          type: row.type,
          subject: row.subject,
          occurredAt: dialect.readInstant(row.occurred_at) as number,
          attributes: JSON.parse(row.attributes) as EventAttributes,
        });
      }
    }
    return found;
  }
}
