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
}

/**
 * Where ingestion hands each stored batch, inside its transaction. Tracking lies downstream of
 * events, so it registers itself here when the app starts (TrackingService.onModuleInit) instead
 * of events importing tracking.
 */
@Injectable()
export class EventMeasurer {
  private measurer?: Measurer;

  register(measurer: Measurer): void {
    if (this.measurer && this.measurer !== measurer) throw new Error('events are already measured by another service');
    this.measurer = measurer;
  }

  track(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    // A missing measurer would store events nobody measures: refuse rather than lose clocks.
    if (!this.measurer) throw new Error('no measurer registered for stored events (is TrackingModule imported and the app initialised?)');
    return this.measurer.track(manager, events);
  }
}
