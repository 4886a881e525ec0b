import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

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
}

/**
 * Where ingestion hands each stored batch, inside its transaction. Tracking lies downstream of
 * events, so it registers itself here when the app starts (TrackingService.onModuleInit) instead
 * of events importing tracking.
 *
 * Once the tracking worker runs (`queueTracking()`, TRACKING_INTERVAL_MS above 0), a batch is
 * not tracked here: its ids join the tracking queue in the same transaction, and the answer only
 * says whether an agreement measures each event. Without a worker, tracking happens here.
 */
@Injectable()
export class EventMeasurer {
  private measurer?: Measurer;
  private enqueue?: (manager: EntityManager, eventIds: string[]) => Promise<void>;
  private admission?: (events: number) => Promise<void>;

  register(measurer: Measurer): void {
    if (this.measurer && this.measurer !== measurer) throw new Error('events are already measured by another service');
    this.measurer = measurer;
  }

  /**
   * From now on, stored batches are queued for the tracking worker instead of tracked in their
   * transaction; `admit`, when given, is awaited before a delivery is stored (the worker holds a
   * delivery back while it is too far behind).
   */
  queueTracking(enqueue: (manager: EntityManager, eventIds: string[]) => Promise<void>, admit?: (events: number) => Promise<void>): void {
    this.enqueue = enqueue;
    this.admission = admit;
  }

  /** Resolves when a delivery of this many events may be stored (at once, unless tracking is queued and behind). */
  admit(events: number): Promise<void> {
    return this.enqueue && this.admission ? this.admission(events) : Promise.resolve();
  }

  track(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    // A missing measurer would store events nobody measures: refuse rather than lose clocks.
    if (!this.measurer) throw new Error('no measurer registered for stored events (is TrackingModule imported and the app initialised?)');
    if (this.enqueue && this.measurer.matches) return this.queued(manager, events, this.enqueue, this.measurer.matches.bind(this.measurer));
    return this.measurer.track(manager, events);
  }

  private async queued(
    manager: EntityManager,
    events: StoredEvent[],
    enqueue: (manager: EntityManager, eventIds: string[]) => Promise<void>,
    matches: NonNullable<Measurer['matches']>,
  ): Promise<boolean[]> {
    if (events.length === 0) return [];
    await enqueue(
      manager,
      events.map((event) => event.id),
    );
    return matches(manager, events);
  }
}
