import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import type { FieldErrors } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { SqlDialect } from '../database/sql-dialect.js';
import type { EventAttributes } from './event.entity.js';
import { EventMeasurer, type StoredEvent } from './event-measurer.js';
import { readEvent, sameContent, type EventInput } from './event-input.js';

export const MAX_BATCH = 1000;

/** The verdict on one event of a delivery. */
export interface EventResult {
  status: 'accepted' | 'duplicate' | 'rejected';
  /** The stored event: new when accepted, the earlier one when a duplicate. */
  id?: string;
  /** For an accepted event: whether an agreement in force measures it (false: nothing will). */
  matched?: boolean;
  /** Why it was rejected, field by field. */
  errors?: FieldErrors;
}

const COLUMNS = 9;
/** Rows per INSERT: 9 parameters each stays far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;

/**
 * Stores events and measures them in the same transaction. A repeat (same key, or same content
 * without a key) is reported as a duplicate and changes nothing; a key reused for a different
 * event is rejected; a faulty item is rejected alone while the others are kept.
 */
@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly measurer: EventMeasurer,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores and tracks a delivery. Given `within`, the events join that transaction, so a step of
   * Concord's own (a brief returned) and the event it emits are kept or refused together.
   */
  async ingest(source: Actor | null, items: readonly unknown[], within?: EntityManager): Promise<EventResult[]> {
    const now = this.clock.now();
    const results: EventResult[] = new Array(items.length);
    const fresh: { index: number; event: EventInput }[] = [];
    const firstOfKey = new Map<string, number>();
    items.forEach((item, index) => {
      const reading = readEvent(item, now.getTime());
      if ('errors' in reading) {
        results[index] = { status: 'rejected', errors: reading.errors };
        return;
      }
      const earlier = firstOfKey.get(reading.event.dedupeKey);
      if (earlier !== undefined) {
        // Twice in one delivery: the later copy is a duplicate of the first (or a reused key).
        results[index] = sameContent(this.asStored(fresh[earlier].event), reading.event)
          ? { status: 'duplicate' }
          : { status: 'rejected', errors: { key: ['key is used by another event of this delivery'] } };
        return;
      }
      firstOfKey.set(reading.event.dedupeKey, fresh.length);
      fresh.push({ index, event: reading.event });
    });
    if (fresh.length === 0) return results;

    const store = async (manager: EntityManager) => {
      const ids = fresh.map(() => newId());
      const inserted = await this.insert(manager, fresh.map((f) => f.event), ids, now, source);
      const stored: StoredEvent[] = [];
      const accepted: EventResult[] = [];
      const repeats: number[] = [];
      fresh.forEach(({ index, event }, position) => {
        if (inserted.has(event.dedupeKey)) {
          results[index] = { status: 'accepted', id: ids[position] };
          accepted.push(results[index]);
          stored.push({
            id: ids[position],
            type: event.type,
            subject: event.subject,
            occurredAt: event.occurredAt.getTime(),
            attributes: event.attributes,
          });
        } else {
          repeats.push(position);
        }
      });
      await this.judgeRepeats(manager, repeats.map((position) => fresh[position]), results);
      const matched = await this.measurer.track(manager, stored);
      accepted.forEach((result, i) => (result.matched = matched[i]));
    };
    if (within) await store(within);
    else await this.dataSource.transaction(store);
    // Duplicates inside one delivery point at the id of the copy that was kept.
    items.forEach((_item, index) => {
      const result = results[index];
      if (result.status === 'duplicate' && !result.id) {
        const reading = readEvent(items[index], now.getTime());
        if ('event' in reading) result.id = results[fresh[firstOfKey.get(reading.event.dedupeKey) as number].index].id;
      }
    });
    return results;
  }

  /** Inserts what is new; returns the dedupe keys actually inserted. */
  private async insert(manager: EntityManager, events: EventInput[], ids: string[], now: Date, source: Actor | null): Promise<Set<string>> {
    const dialect = SqlDialect.of(manager);
    const inserted = new Set<string>();
    const receivedAt = dialect.instant(now);
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      const part = events.slice(start, start + ROWS_PER_INSERT);
      const values: unknown[] = [];
      const rows = part.map((event, i) => {
        values.push(
          ids[start + i],
          event.dedupeKey,
          event.key,
          event.type,
          event.subject,
          dialect.instant(event.occurredAt),
          receivedAt,
          JSON.stringify(event.attributes),
          source?.personId ?? null,
        );
        return `(${dialect.params(i * COLUMNS + 1, COLUMNS)})`;
      });
      const returned = await SqlDialect.rows<{ dedupe_key: string }>(
        manager,
        `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id)
         VALUES ${rows.join(', ')} ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
        values,
      );
      for (const row of returned) inserted.add(row.dedupe_key);
    }
    return inserted;
  }

  /** A repeat is a duplicate when it says the same as the stored event, else its key was reused. */
  private async judgeRepeats(manager: EntityManager, repeats: { index: number; event: EventInput }[], results: EventResult[]): Promise<void> {
    if (repeats.length === 0) return;
    const dialect = SqlDialect.of(manager);
    for (let start = 0; start < repeats.length; start += ROWS_PER_INSERT) {
      const part = repeats.slice(start, start + ROWS_PER_INSERT);
      const rows = await SqlDialect.rows<{ id: string; dedupe_key: string; type: string; subject: string; occurred_at: unknown; attributes: string }>(
        manager,
        `SELECT id, dedupe_key, type, subject, occurred_at, attributes FROM events WHERE dedupe_key IN (${dialect.params(1, part.length)})`,
        part.map((repeat) => repeat.event.dedupeKey),
      );
      const stored = new Map(rows.map((row) => [row.dedupe_key, row]));
      for (const { index, event } of part) {
        const row = stored.get(event.dedupeKey);
        const same =
          row !== undefined &&
          sameContent(
            {
              type: row.type,
              subject: row.subject,
              occurredAt: dialect.readInstant(row.occurred_at) as number,
              attributes: JSON.parse(row.attributes) as EventAttributes,
            },
            event,
          );
        results[index] = same
          ? { status: 'duplicate', id: row.id }
          : { status: 'rejected', errors: { key: [`key ${JSON.stringify(event.key)} was already used for a different event`] } };
      }
    }
  }

  private asStored(event: EventInput) {
    return { type: event.type, subject: event.subject, occurredAt: event.occurredAt.getTime(), attributes: event.attributes };
  }
}
