import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { IntervalTask } from '../common/interval-task.js';
import { AppConfig } from '../config/app-config.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { EventMeasurer } from '../events/event-measurer.js';
import { EventRepository } from '../events/event.repository.js';
import { TrackingQueueRepository } from '../events/tracking-queue.repository.js';
import { TrackingService } from './tracking.service.js';

/**
 * Events per tracking transaction: several deliveries' worth, so a subject touched by each of
 * them is recomputed once, and the commit (clocks, rollups, alerts) is paid once.
 */
const EVENTS_PER_DRAIN = 5000;

/** The longest a delivery waits for tracking to catch up (TRACKING_MAX_BACKLOG) before it is stored anyway. */
export const MAX_ADMISSION_WAIT_MS = 30_000;

/** What one drain applied, once its transaction committed. */
export interface AppliedDrain {
  /** The queue rows applied, in queue order. */
  seqs: number[];
  events: number;
}

/**
 * Applies tracking behind the events (issue 16). With TRACKING_INTERVAL_MS above 0, ingestion
 * stores a delivery's events and a queue row in one transaction and answers; every interval this
 * worker takes the oldest rows off the queue and, in ONE transaction that also deletes them,
 * applies tracking to their events in the order they happened (by occurredAt, as one delivery
 * would be). A crash rolls a drain back whole, so nothing is skipped or applied twice; several
 * instances — and on PostgreSQL TRACKING_DRAINS drains of one instance at once — drain one queue
 * (see TrackingQueueRepository.claim). Readers that act on tracking —
 * the sweep — catch up first; the others read at most one drain behind, never half a batch.
 */
@Injectable()
export class TrackingQueueWorker implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  /** Each drain, after it committed (the benchmark measures the lag from it). */
  readonly applied = new Subject<AppliedDrain>();
  private readonly task: IntervalTask;
  /** Events per drain; tests lower it to see several drains at once. */
  eventsPerDrain = EVENTS_PER_DRAIN;
  /** Catch-ups of this process take turns: the interval's and a reader's. */
  private turn: Promise<unknown> = Promise.resolve();
  /**
   * Events queued and not yet applied, as this instance knows them: its own deliveries added,
   * its drains taken off, and read from the queue itself after every catch-up (other instances'
   * deliveries included). An estimate for pacing, never for tracking.
   */
  private queuedEvents = 0;
  /** Events of deliveries let through and not yet stored (each counts from its admission on). */
  private admittedEvents = 0;
  /** Deliveries waiting for the backlog to fall (admit). */
  private waiting = new Set<() => void>();
  private stopped = false;
  /** The last catch-up failed: deliveries are not held for drains that may not come. */
  private failing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: TrackingQueueRepository,
    private readonly events: EventRepository,
    private readonly tracking: TrackingService,
    private readonly measurer: EventMeasurer,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask(
      'Tracking',
      () => this.catchUp(),
      () => undefined,
    );
  }

  onModuleInit(): void {
    if (this.config.TRACKING_INTERVAL_MS > 0) {
      this.measurer.queueTracking(
        (events) => this.changeBacklog(this.queuedEvents + events),
        (events) => this.admit(events),
        (events) => (this.admittedEvents = Math.max(0, this.admittedEvents - events)),
      );
    }
  }

  /** Events waiting for tracking, as this instance knows them (see `admit`). */
  get backlog(): number {
    return this.queuedEvents + this.admittedEvents;
  }

  /**
   * Resolves once a delivery of `events` may be stored, and counts it from then on (`settled`
   * takes it off once stored or refused; stored, it counts as queued): at once while the backlog
   * is at most TRACKING_MAX_BACKLOG (0: always), else when drains have brought it there — or after
   * MAX_ADMISSION_WAIT_MS, when the worker stops, or while catch-ups fail: a delivery is slowed
   * down, never refused. Answers how many events it counted for the delivery.
   */
  async admit(events: number): Promise<number> {
    const limit = this.config.TRACKING_MAX_BACKLOG;
    if (limit === 0) return 0;
    const deadline = performance.now() + MAX_ADMISSION_WAIT_MS;
    while (this.backlog > limit && !this.stopped && !this.failing) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiting.add(wake);
      });
    }
    this.admittedEvents += events;
    return events;
  }

  private changeBacklog(queued: number): void {
    this.queuedEvents = Math.max(0, queued);
    const waiting = [...this.waiting];
    this.waiting.clear();
    // Each in a turn of the event loop of its own: on SQLite (one connection, synchronous queries)
    // a transaction runs whole between two turns, so a delivery woken in the middle of the next
    // drain's microtasks, or beside another delivery, would open a transaction inside theirs.
    for (const wake of waiting) setImmediate(wake);
  }

  /**
   * Events stored by a process that stopped before tracking them are applied now: by the worker's
   * first tick, or, with no worker, before the application serves anything.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.TRACKING_INTERVAL_MS > 0) this.task.start(this.config.TRACKING_INTERVAL_MS / 1000);
    else await this.catchUp();
  }

  /** Before the database closes, a drain in flight finishes; deliveries waiting to be stored go ahead. */
  onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.changeBacklog(this.queuedEvents);
    return this.task.stop();
  }

  /**
   * Drains the queue until it is empty; answers how many events were tracked. On PostgreSQL
   * TRACKING_DRAINS drains run at once, each until it finds nothing left to claim; this answers
   * once every one of them has committed (or failed: the first error is thrown after all ended).
   */
  catchUp(): Promise<number> {
    const run = this.turn.then(async () => {
      const lanes = SqlDialect.of(this.dataSource).kind === 'postgres' ? this.config.TRACKING_DRAINS : 1;
      const ended = await Promise.allSettled(Array.from({ length: lanes }, () => this.drainUntilEmpty()));
      const failed = ended.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
      this.failing = failed !== undefined;
      // Every lane found the queue empty (or failed): what is queued now, read from the queue itself.
      if (this.config.TRACKING_MAX_BACKLOG > 0 && this.config.TRACKING_INTERVAL_MS > 0) {
        this.changeBacklog(await this.queue.pendingEvents(this.dataSource.manager).catch(() => this.queuedEvents));
      }
      if (failed) throw failed.reason;
      return ended.reduce((sum, lane) => sum + (lane as PromiseFulfilledResult<number>).value, 0);
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Drains until a drain takes only a few events (less than a tenth of a drain's worth; none at
   * all included) and its claim found nothing more waiting: such a claim took every row no other
   * drain held, so whatever was queued before this catch-up began is applied (or being applied by
   * another drain) by then — all a reader catching up needs. After a large drain, or one that
   * stopped at its budget, what waits is drained at once (a sender held back by
   * TRACKING_MAX_BACKLOG waits for it); after a small one, the few events queued meanwhile wait for
   * the next interval or reader and join one drain, instead of each catch-up making a string of
   * transactions of a few events.
   */
  private async drainUntilEmpty(): Promise<number> {
    let tracked = 0;
    for (;;) {
      const { events, more } = await this.drainOnce();
      tracked += events;
      if (!more && events * 10 < this.eventsPerDrain) return tracked;
    }
  }

  /**
   * One transaction: takes the oldest rows off the queue and applies tracking to their events.
   * Answers how many, and whether its claim stopped at its budget (more may be waiting).
   */
  private async drainOnce(): Promise<{ events: number; more: boolean }> {
    const drain = await this.dataSource.transaction(async (manager) => {
      const { batches, more } = await this.queue.claim(manager, this.eventsPerDrain);
      if (batches.length === 0) return undefined;
      const events = await this.events.findStored(
        manager,
        batches.flatMap((batch) => batch.eventIds),
      );
      // Stable: events of one instant keep the order they were stored in.
      events.sort((a, b) => a.occurredAt - b.occurredAt);
      await this.tracking.track(manager, events);
      return { seqs: batches.map((batch) => batch.seq), events: events.length, more };
    });
    if (!drain) return { events: 0, more: false };
    this.changeBacklog(this.queuedEvents - drain.events);
    this.applied.next({ seqs: drain.seqs, events: drain.events });
    return { events: drain.events, more: drain.more };
  }
}
