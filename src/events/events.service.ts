import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, And, LessThan, MoreThanOrEqual } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import type { FieldErrors } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { pageOf, type Page } from '../common/pagination.js';
import { EventRecord } from './event.entity.js';
import { EventView, type EventsQuery } from './events.dto.js';
import { EventRepository } from './event.repository.js';
import { EventMeasurer, type StoredEvent } from './event-measurer.js';
import { readEvent, sameContent, type EventInput } from './event-input.js';

export const MAX_BATCH = 1000;
/** Deliveries up to this many events are stored and queued by one statement on PostgreSQL (EventRepository.insertNewQueued). */
const ONE_STATEMENT_EVENTS = 500;

/** Where a delivery came from besides its sender: the CRM connection, for events received at /hooks. */
export interface EventOrigin {
  connectionId?: string;
}

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

/**
 * Stores events and measures them in the same transaction. A repeat (same key, or same content
 * without a key) is reported as a duplicate and changes nothing; a key reused for a different
 * event is rejected; a faulty item is rejected alone while the others are kept.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: EventRepository,
    private readonly measurer: EventMeasurer,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores and tracks a delivery. Given `within`, the events join that transaction, so a step of
   * Concord's own (a brief returned) and the event it emits are kept or refused together.
   * `origin.connectionId` names the CRM connection the events came through (stored on each event).
   */
  async ingest(source: Actor | null, items: readonly unknown[], within?: EntityManager, origin: EventOrigin = {}): Promise<EventResult[]> {
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

    const sourceId = source?.personId ?? null;
    const connectionId = origin.connectionId ?? null;
    const ids = fresh.map(() => newId());
    /** Each event accepted or a repeat, by whether its dedupe key was inserted; answers the accepted ones' verdicts and events, in order. */
    const sort = (inserted: Set<string>) => {
      const accepted: EventResult[] = [];
      const stored: StoredEvent[] = [];
      const repeats: { index: number; event: EventInput }[] = [];
      fresh.forEach(({ index, event }, position) => {
        if (!inserted.has(event.dedupeKey)) {
          repeats.push(fresh[position]);
          return;
        }
        results[index] = { status: 'accepted', id: ids[position] };
        accepted.push(results[index]);
        stored.push(this.asStored(event, ids[position]));
      });
      return { accepted, stored, repeats };
    };
    const store = async (manager: EntityManager) => {
      const inserted = await this.repository.insertNew(manager, fresh.map((f) => f.event), ids, now, sourceId, connectionId);
      const { accepted, stored, repeats } = sort(inserted);
      await this.judgeRepeats(manager, repeats, results);
      const matched = await this.measurer.track(manager, stored);
      accepted.forEach((result, i) => (result.matched = matched[i]));
    };
    if (within) await store(within);
    else {
      // Tracking behind the events and far behind: wait for it before storing (the lag stays bounded).
      const admitted = await this.measurer.admit(fresh.length);
      try {
        if (this.measurer.queued && SqlDialect.of(this.dataSource).kind === 'postgres' && fresh.length <= ONE_STATEMENT_EVENTS) {
          // Stored and queued by one statement, no transaction around it: what a single event sent
          // to POST /api/events costs in round trips (see EventRepository.insertNewQueued). The
          // same statement reads what tells whether anything measures each event (the catalogue's
          // fingerprint, the counted stages: EventMeasurer.matchingRead), as of its storing.
          const manager = this.dataSource.manager;
          const { inserted, alongside } = await this.repository.insertNewQueued(
            manager,
            fresh.map((f) => f.event),
            ids,
            now,
            sourceId,
            connectionId,
            now,
            this.measurer.matchingRead(),
          );
          const { accepted, stored, repeats } = sort(inserted);
          this.measurer.queuedBy(accepted.length);
          // Stored and queued by now: a failure to tell what measures them must not answer as if
          // they were not (a retry would be called a duplicate). `matched` is left out instead.
          const matched = await this.measurer.matchesRead(manager, alongside, stored).catch((error: unknown) => {
            this.logger.error(`stored ${stored.length} event(s) but could not tell what measures them; answered without "matched"`, error as Error);
            return undefined;
          });
          if (matched) accepted.forEach((result, i) => (result.matched = matched[i]));
          await this.judgeRepeats(manager, repeats, results);
        } else {
          await this.dataSource.transaction(store);
        }
      } finally {
        this.measurer.settled(admitted);
      }
    }
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

  /** The ids of the stored events sent with these keys, by key. */
  async idsByKeys(manager: EntityManager, keys: readonly string[]): Promise<Map<string, string>> {
    const stored = await this.repository.findByDedupeKeys(manager, keys.map((key) => `k:${key}`));
    return new Map([...stored].map(([dedupeKey, event]) => [dedupeKey.slice(2), event.id]));
  }

  /** The log, oldest first, filtered by subject, type, time of occurrence and connection. */
  async list(query: EventsQuery): Promise<Page<EventView>> {
    const where: FindOptionsWhere<EventRecord> = {};
    if (query.subject) where.subject = query.subject;
    if (query.type) where.type = query.type;
    if (query.connectionId) where.connectionId = query.connectionId;
    const from = query.from ? MoreThanOrEqual(new Date(query.from)) : undefined;
    const to = query.to ? LessThan(new Date(query.to)) : undefined;
    if (from && to) where.occurredAt = And(from, to);
    else if (from ?? to) where.occurredAt = from ?? to;
    const [items, total] = await this.dataSource.manager.findAndCount(EventRecord, {
      where,
      order: { occurredAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(items, total, query, EventView.from);
  }

  /** A repeat is a duplicate when it says the same as the stored event, else its key was reused. */
  private async judgeRepeats(manager: EntityManager, repeats: { index: number; event: EventInput }[], results: EventResult[]): Promise<void> {
    if (repeats.length === 0) return;
    const stored = await this.repository.findByDedupeKeys(manager, repeats.map((repeat) => repeat.event.dedupeKey));
    for (const { index, event } of repeats) {
      const logged = stored.get(event.dedupeKey);
      results[index] =
        logged !== undefined && sameContent(logged, event)
          ? { status: 'duplicate', id: logged.id }
          : { status: 'rejected', errors: { key: [`key ${JSON.stringify(event.key)} was already used for a different event`] } };
    }
  }

  private asStored(event: EventInput, id = '') {
    return { id, type: event.type, subject: event.subject, occurredAt: event.occurredAt.getTime(), attributes: event.attributes };
  }
}
