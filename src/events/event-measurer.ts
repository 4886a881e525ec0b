import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { TrackingQueueRepository } from './tracking-queue.repository.js';

/** An event just stored, as ingestion hands it on to be measured. */
export interface StoredEvent {
  id: string;
  type: string;
  subject: string;
  occurredAt: number;
  attributes: Record<string, unknown>;
}

/** Measures events inside the transaction that stored them: per event, whether anything measures it. */
export interface Measurer {
  track(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]>;
  /** Whether anything measures each event, without applying tracking (needed once tracking is queued). */
  matches?(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]>;
  /**
   * PostgreSQL, tracking queued: a scalar SQL expression the statement storing a delivery also
   * reads (EventRepository.insertNewQueued), and `matches` from its value: one statement, not three.
   */
  matchingRead?(): string;
  matchesRead?(manager: EntityManager, read: unknown, events: StoredEvent[]): Promise<boolean[]>;
}

/**
 * Where ingestion hands each stored batch, inside its transaction. Tracking lies downstream of
 * events, so it registers itself here when the app starts (TrackingService.onModuleInit) instead
 * of events importing tracking.
 *
 * Once the tracking worker runs (`queueTracking()`, TRACKING_INTERVAL_MS above 0), a batch is
 * not tracked here: its ids join the tracking queue in the same transaction (or the same
 * statement: EventRepository.insertNewQueued), and the answer only says whether an agreement
 * measures each event. Without a worker, tracking happens here.
 */
@Injectable()
export class EventMeasurer {
  private measurer?: Measurer;
  private onQueued?: (events: number) => void;
  private admission?: (events: number) => Promise<number>;
  private settle?: (events: number) => void;

  constructor(
    private readonly queue: TrackingQueueRepository,
    private readonly clock: Clock,
  ) {}

  register(measurer: Measurer): void {
    if (this.measurer && this.measurer !== measurer) throw new Error('events are already measured by another service');
    this.measurer = measurer;
  }

  /**
   * From now on, stored batches are queued for the tracking worker instead of tracked in their
   * transaction; `onQueued` hears how many events each delivery queued, and `admit`, when given,
   * is awaited before a delivery is stored (the worker holds a delivery back while it is too far
   * behind).
   */
  queueTracking(onQueued: (events: number) => void, admit?: (events: number) => Promise<number>, settle?: (events: number) => void): void {
    this.onQueued = onQueued;
    this.admission = admit;
    this.settle = settle;
  }

  /** Whether stored events go to the tracking queue rather than being tracked in their transaction. */
  get queued(): boolean {
    return this.onQueued !== undefined && this.measurer?.matches !== undefined;
  }

  /**
   * Resolves when a delivery of this many events may be stored (at once, unless tracking is
   * queued and behind), with the events it was counted for: hand them to `settled` once the
   * delivery is stored or refused.
   */
  admit(events: number): Promise<number> {
    return this.queued && this.admission ? this.admission(events) : Promise.resolve(0);
  }

  /** A delivery let through by `admit` was stored (its queued events counted by then) or refused. */
  settled(admitted: number): void {
    if (admitted > 0) this.settle?.(admitted);
  }

  track(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    // A missing measurer would store events nobody measures: refuse rather than lose clocks.
    if (!this.measurer) throw new Error('no measurer registered for stored events (is TrackingModule imported and the app initialised?)');
    if (this.queued) return this.enqueueAndMatch(manager, events);
    return this.measurer.track(manager, events);
  }

  /** Whether anything measures each event, without tracking it (tracking is queued). */
  matches(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    if (!this.measurer?.matches) throw new Error('no measurer registered that can match stored events');
    return this.measurer.matches(manager, events);
  }

  /** What the statement storing a delivery should also read for `matchesRead`, when the measurer has anything. */
  matchingRead(): string | undefined {
    return this.measurer?.matchesRead ? this.measurer.matchingRead?.() : undefined;
  }

  /** `matches`, from the value of `matchingRead()` read by the statement that stored the events (or afresh, without one). */
  matchesRead(manager: EntityManager, read: unknown, events: StoredEvent[]): Promise<boolean[]> {
    if (read !== undefined && this.measurer?.matchesRead) return this.measurer.matchesRead(manager, read, events);
    return this.matches(manager, events);
  }

  /** A delivery queued this many events by a statement of its own (insertNewQueued). */
  queuedBy(events: number): void {
    if (events > 0) this.onQueued?.(events);
  }

  private async enqueueAndMatch(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    await this.queue.enqueue(
      manager,
      events.map((event) => event.id),
      this.clock.now(),
    );
    this.queuedBy(events.length);
    return this.matches(manager, events);
  }
}
