import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { SqlDialect, type PostgresElement } from '../database/sql-dialect.js';
import { EventMeasurer, type Measurer, type StoredEvent } from '../events/event-measurer.js';
import { AlertsService } from './alerts/alerts.service.js';
import { AgreementCatalogue, CATALOGUE_FINGERPRINT_SQL, asResponseVersion, conversionTermsOf, quotaTermsOf, versionAt, type MeasuredAgreement, type MeasuredVersion } from './agreement-catalogue.js';
import { eventFiltersOf, matchesFilter, type EventFilter } from '../agreements/domain/agreement-terms.js';
import { ConversionTracker } from './conversion-tracker.js';
import { computeClocks, type ResponseVersion, type TrackedEvent } from './domain/clock-cycles.js';
import { periodContaining } from './domain/periods.js';
import { ClockRepository, clockRow, storedClockDiffers } from './clock.repository.js';
import { QuotaTracker } from './quota-tracker.js';
import { SlaClock } from './sla-clock.entity.js';
import { COUNTED_STAGES_SQL, StageEntriesService, countedStagesOf, type CountedStage, type CountedStageRow } from './stage-entries.service.js';
import { chunks } from '../common/chunks.js';

/** What `matchingRead` hands the statement storing a delivery: built once, asked for by every delivery. */
const MATCHING_READ = `json_build_object('catalogue', ${CATALOGUE_FINGERPRINT_SQL}, 'stages', ${COUNTED_STAGES_SQL})`;

/** The PostgreSQL element types of a response breach's columns as `recordClockBreaches` inserts them (SqlDialect.rowsSource). */
const RESPONSE_BREACH_TYPES: PostgresElement[] = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'text'];



const time = (value: Date | null) => (value === null ? null : value.getTime());

/**
 * Keeps clocks, quota periods, stage entries, conversion periods and breaches in step with the events. Clocks are derived: for every
 * (agreement, subject) an event touches, the subject's clocks are recomputed from all its events in
 * the order they happened, so late and out-of-order events correct history, and the same events
 * always give the same clocks.
 */
@Injectable()
export class TrackingService implements Measurer, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TrackingService.name);
  private calendarChanges?: Subscription;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: AgreementCatalogue,
    private readonly quotas: QuotaTracker,
    private readonly clocks: ClockRepository,
    private readonly alerts: AlertsService,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
    private readonly measurer: EventMeasurer,
    private readonly stageEntries: StageEntriesService,
    private readonly conversions: ConversionTracker,
  ) {}

  onModuleInit(): void {
    // Events stored by ingestion are measured here, in their transaction (events cannot import tracking).
    this.measurer.register(this);
    this.calendarChanges = this.calendars.changes.subscribe((calendarId) => {
      this.recomputeCalendar(calendarId).catch((error: unknown) =>
        this.logger.error(`recomputing clocks and conversion periods on calendar ${calendarId} failed; the next sweep retries`, error as Error),
      );
    });
  }

  onModuleDestroy(): void {
    this.calendarChanges?.unsubscribe();
  }

  /**
   * Measures events just stored, inside the transaction that stored them. Answers, per event,
   * whether any agreement in force measures it (see `measures`).
   */
  async track(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const agreements = await this.catalogue.load(manager);
    const pairs = new Map<string, Set<string>>();
    for (const measured of agreements) {
      if (measured.agreement.kind !== 'response') continue;
      for (const event of events) {
        if (!measured.types.has(event.type)) continue;
        let subjects = pairs.get(measured.agreement.id);
        if (!subjects) pairs.set(measured.agreement.id, (subjects = new Set()));
        subjects.add(event.subject);
      }
    }
    await this.recompute(manager, agreements, pairs);
    await this.quotas.count(
      manager,
      agreements.filter((measured) => measured.agreement.kind === 'quota'),
      events,
    );
    // The funnel counts stage entries; `unmatched` stays about agreements (an event entering a
    // stage that no agreement measures still reads as silence in compliance). Conversion KPIs are
    // counted from the entries, so a late event entering a stage corrects them in this transaction.
    const stages = await this.stageEntries.countedStages(manager);
    const { changes } = await this.stageEntries.record(manager, events, stages);
    await this.conversions.apply(manager, agreements, changes);
    return this.measures(agreements, events, stages);
  }

  /**
   * Whether anything measures each event, without applying tracking: what a delivery answers
   * when its tracking is queued for the worker (TrackingQueueWorker).
   */
  async matches(manager: EntityManager, events: StoredEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const agreements = await this.catalogue.load(manager);
    return this.measures(agreements, events, await this.stageEntries.countedStages(manager));
  }

  /**
   * PostgreSQL: what `matchesRead` needs, as a scalar SQL expression (a JSON object) that the
   * statement storing a delivery carries (EventRepository.insertNewQueued): the catalogue's
   * fingerprint and the counted stages, read by that statement instead of two of their own.
   */
  matchingRead(): string {
    return MATCHING_READ;
  }

  /**
   * `matches`, from what `matchingRead` read: the catalogue as cached when its fingerprint is
   * unchanged (else loaded afresh through `manager`), the counted stages as read.
   */
  async matchesRead(manager: EntityManager, read: unknown, events: StoredEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const { catalogue, stages } = read as { catalogue: string; stages: CountedStageRow[] | null };
    const agreements = this.catalogue.cachedAt(catalogue) ?? (await this.catalogue.load(manager));
    return this.measures(agreements, events, countedStagesOf(stages));
  }

  /**
   * Whether each event falls under an agreement in force: one of its start, stop, pause, resume,
   * cancel or count filters matches it — or, for a conversion agreement, it enters one of its two
   * stages — and the agreement measures the instant it happened (a quota or conversion agreement,
   * its whole first period). An event no agreement measures is what an import should warn about:
   * its silence must not read as compliance.
   */
  private measures(agreements: MeasuredAgreement[], events: readonly StoredEvent[], stages: CountedStage[]): boolean[] {
    const firstPeriodStart = new Map<string, number>();
    const versionMeasuring = (measured: MeasuredAgreement, instant: number) => {
      const version = versionAt(measured, instant);
      if (version || measured.agreement.kind === 'response') return version;
      const first = measured.versions[0];
      if (!first || instant >= first.activeFrom) return undefined;
      let start = firstPeriodStart.get(measured.agreement.id);
      if (start === undefined) {
        const kind = measured.agreement.kind === 'quota' ? quotaTermsOf(first).period : conversionTermsOf(first).period;
        start = periodContaining(first.activeFrom, kind, first.calendar.timezone).start;
        firstPeriodStart.set(measured.agreement.id, start);
      }
      return instant >= start ? first : undefined;
    };
    const enteredOn = new Map(stages.map((stage) => [stage.id, stage.enteredOn]));
    const filtersOf = (version: MeasuredVersion) =>
      version.entity.conversion
        ? [enteredOn.get(version.entity.conversion.fromStageId), enteredOn.get(version.entity.conversion.toStageId)].filter((filter): filter is EventFilter => !!filter)
        : eventFiltersOf(version.entity);
    return events.map((event) =>
      agreements.some((measured) => {
        if (measured.agreement.kind !== 'conversion' && !measured.types.has(event.type)) return false;
        const version = versionMeasuring(measured, event.occurredAt);
        return !!version && filtersOf(version).some((filter) => matchesFilter(filter, event.type, event.attributes));
      }),
    );
  }

  /** Recomputes the clocks of the given subjects under the given agreements. */
  async recompute(manager: EntityManager, agreements: MeasuredAgreement[], pairs: Map<string, Set<string>>): Promise<number> {
    const subjects = [...new Set([...pairs.values()].flatMap((set) => [...set]))];
    if (subjects.length === 0) return 0;
    const byId = new Map(agreements.map((measured) => [measured.agreement.id, measured]));
    const types = new Set<string>();
    for (const agreementId of pairs.keys()) for (const type of byId.get(agreementId)?.types ?? []) types.add(type);

    await this.lockSubjects(manager, subjects);
    const eventsBySubject = await this.loadEvents(manager, subjects, [...types]);
    // Stored clocks by (agreement, subject), then by start event.
    const stored = new Map<string, Map<string, SlaClock>>();
    const storedById = new Map<string, SlaClock>();
    for (const row of await this.clocks.load(manager, [...pairs.keys()], subjects)) {
      storedById.set(row.id, row);
      const pair = `${row.agreementId}|${row.subject}`;
      let clocks = stored.get(pair);
      if (!clocks) stored.set(pair, (clocks = new Map()));
      clocks.set(row.startEventId, row);
    }

    const now = this.clock.now();
    const writes: SlaClock[] = [];
    const breached: { clock: SlaClock; ownerId: string | null; departmentId: string }[] = [];
    // Breaches that fell due before their version was approved (history reached by measureFrom,
    // e.g. last month's export imported after the signature): recorded, listed and reported like
    // the ones found at the approval, but not alerted one by one.
    const historic: typeof breached = [];
    const cleared: string[] = [];
    for (const [agreementId, agreementSubjects] of pairs) {
      const measured = byId.get(agreementId);
      if (!measured) continue;
      const prepared = new Map<string, ResponseVersion>();
      const versionFor = (instant: number) => {
        const version = versionAt(measured, instant);
        if (!version) return undefined;
        let response = prepared.get(version.entity.id);
        if (!response) prepared.set(version.entity.id, (response = asResponseVersion(version)));
        return response;
      };
      const ownerOf = new Map(measured.versions.map((version) => [version.entity.id, version.ownerId]));
      const approvedAt = new Map(measured.versions.map((version) => [version.entity.id, time(version.entity.activeFrom)]));
      for (const subject of agreementSubjects) {
        const computed = computeClocks(eventsBySubject.get(subject) ?? [], versionFor, now.getTime());
        const previousClocks = stored.get(`${agreementId}|${subject}`) ?? new Map<string, SlaClock>();
        const seen = new Set<string>();
        for (const clock of computed) {
          seen.add(clock.startEventId);
          const previous = previousClocks.get(clock.startEventId);
          const next = clockRow(clock, previous, agreementId, subject, now);
          if (!previous || storedClockDiffers(previous, next)) writes.push(next);
          if (next.outcome === 'breached') {
            if (!previous || previous.outcome !== 'breached' || time(previous.breachedAt) !== time(next.breachedAt)) {
              const breach = { clock: next, ownerId: ownerOf.get(next.versionId) ?? null, departmentId: measured.agreement.providerDepartmentId };
              const approval = approvedAt.get(next.versionId) ?? null;
              (approval !== null && (time(next.breachedAt) ?? Infinity) < approval ? historic : breached).push(breach);
            }
          } else if (previous?.outcome === 'breached') {
            cleared.push(next.id);
          }
        }
        for (const [startEventId, previous] of previousClocks) {
          if (seen.has(startEventId) || previous.state === 'void') continue;
          // A late event shows this clock never started (e.g. a start while another ran).
          writes.push(Object.assign(new SlaClock(), previous, { state: 'void', outcome: 'pending', dueAt: null, warnAt: null, updatedAt: now }));
          if (previous.outcome === 'breached') cleared.push(previous.id);
        }
      }
    }

    await this.clocks.save(manager, writes, storedById);
    await this.recordClockBreaches(manager, breached, now);
    await this.recordClockBreaches(manager, historic, now, { announce: false });
    await this.withdrawClockBreaches(manager, cleared, now);
    return writes.length;
  }

  /**
   * Recomputes running and paused clocks, and open conversion periods, measured on a calendar whose
   * rules changed. A conversion period whose new closing time has already passed (a holiday
   * removed) is closed at once, met or missed, as the sweep would; answers the clocks written.
   */
  async recomputeCalendar(calendarId: string): Promise<number> {
    const written = await this.recomputePairs(await this.clocks.openPairsOnCalendar(calendarId));
    await this.dataSource.transaction(async (manager) => {
      const agreements = await this.conversions.recountOnCalendar(manager, calendarId);
      if (agreements.length > 0) await this.conversions.closeDue(manager, agreements, this.clock.now());
    });
    return written;
  }

  /** Recomputes (agreement, subject) pairs, a few hundred per transaction. */
  async recomputePairs(rows: { agreement_id: string; subject: string }[]): Promise<number> {
    let written = 0;
    for (const part of chunks(rows)) {
      written += await this.dataSource.transaction(async (manager) => {
        const agreementIds = [...new Set(part.map((row) => row.agreement_id))];
        const agreements = await this.catalogue.load(manager, agreementIds);
        const pairs = new Map<string, Set<string>>();
        for (const row of part) {
          let subjects = pairs.get(row.agreement_id);
          if (!subjects) pairs.set(row.agreement_id, (subjects = new Set()));
          subjects.add(row.subject);
        }
        return this.recompute(manager, agreements, pairs);
      });
    }
    return written;
  }

  /**
   * One breach per clock, whichever instance or path sees it first; a withdrawn one comes back.
   * Each is alerted, unless `announce` is false: breaches found in history when an agreement
   * comes into force are told to both heads in one summary (and so not escalated one by one).
   */
  async recordClockBreaches(
    manager: EntityManager,
    breached: { clock: Pick<SlaClock, 'id' | 'agreementId' | 'versionId' | 'subject' | 'breachedAt'>; ownerId: string | null; departmentId: string }[],
    now: Date,
    { announce = true }: { announce?: boolean } = {},
  ): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const recordedAll: { id: string; departmentId: string; ownerId: string | null }[] = [];
    const escalatedAt = announce ? null : dialect.instant(now);
    for (const part of chunks(breached, 200)) {
      const rows = dialect.rowsSource(
        RESPONSE_BREACH_TYPES,
        part.map(({ clock, ownerId, departmentId }) => [
          randomUUID(),
          clock.agreementId,
          clock.versionId,
          clock.id,
          clock.subject,
          departmentId,
          ownerId,
          dialect.instant(clock.breachedAt as Date),
          dialect.instant(now),
          escalatedAt,
          'response',
        ]),
      );
      const recorded = await SqlDialect.rows<{ id: string; clock_id: string }>(
        manager,
        `INSERT INTO breaches (id, agreement_id, version_id, clock_id, subject, department_id, owner_id, due_at, detected_at, escalated_at, kind)
         ${rows.sql}
         ON CONFLICT (clock_id) DO UPDATE SET withdrawn_at = NULL, due_at = excluded.due_at
         RETURNING id, clock_id`,
        rows.parameters,
        { prepared: true },
      );
      // RETURNING promises no order: rows are matched to their clocks by id.
      const byClock = new Map(part.map((entry) => [entry.clock.id, entry]));
      for (const row of recorded) {
        const entry = byClock.get(row.clock_id) as (typeof part)[number];
        recordedAll.push({ id: row.id, departmentId: entry.departmentId, ownerId: entry.ownerId });
      }
    }
    // Alerts are keyed by breach and person: a breach recorded again is not announced again.
    // Every returned row is live: a conflicting one was just un-withdrawn.
    if (announce) await this.alerts.alertBreaches(manager, recordedAll);
  }

  /**
   * One breach per missed quota period, whichever path sees it first (the sweep closing it, or an
   * approval measuring history); alerted unless `announce` is false, as for clocks. Returns how
   * many were written.
   */
  async recordQuotaBreaches(
    manager: EntityManager,
    missed: { agreementId: string; versionId: string; periodId: string; departmentId: string; ownerId: string | null; dueAt: number }[],
    now: Date,
    { announce = true }: { announce?: boolean } = {},
  ): Promise<number> {
    const dialect = SqlDialect.of(manager);
    const escalatedAt = announce ? null : dialect.instant(now);
    const recorded: string[] = [];
    for (const part of chunks(missed, 100)) {
      const values: unknown[] = [];
      const rows = part.map((breach, i) => {
        values.push(randomUUID(), breach.agreementId, breach.versionId, breach.periodId, breach.departmentId, breach.ownerId);
        values.push(dialect.instant(new Date(breach.dueAt)), dialect.instant(now), escalatedAt);
        return `(${dialect.params(i * 9 + 1, 9)}, 'quota')`;
      });
      const inserted = await SqlDialect.rows<{ id: string }>(
        manager,
        `INSERT INTO breaches (id, agreement_id, version_id, quota_period_id, department_id, owner_id, due_at, detected_at, escalated_at, kind)
         VALUES ${rows.join(', ')} ON CONFLICT (quota_period_id) DO NOTHING RETURNING id`,
        values,
      );
      recorded.push(...inserted.map((row) => row.id));
    }
    if (announce && recorded.length > 0) await this.alerts.breachAlerts(manager, recorded);
    return recorded.length;
  }

  private async withdrawClockBreaches(manager: EntityManager, clockIds: string[], now: Date): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(clockIds)) {
      await manager.query(
        `UPDATE breaches SET withdrawn_at = ${dialect.param(1)} WHERE withdrawn_at IS NULL AND clock_id IN (${dialect.params(2, part.length)})`,
        [dialect.instant(now), ...part],
      );
    }
  }

  /**
   * On PostgreSQL, transactions measuring the same subjects take turns (advisory locks, taken in
   * one order), so two batches about one lead never compute its clocks from half the events each.
   */
  private async lockSubjects(manager: EntityManager, subjects: string[]): Promise<void> {
    if (SqlDialect.of(manager).kind !== 'postgres') return;
    await manager.query(
      `SELECT pg_advisory_xact_lock(4242, h) FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest($1::text[]) AS s ORDER BY h) AS locks`,
      [subjects],
    );
  }

  /**
   * The events of some subjects, in the order they happened. Filtered by type here rather than in
   * SQL, so the database walks the (subject, occurred_at, id) index instead of sorting.
   */
  private async loadEvents(manager: EntityManager, subjects: string[], types: string[]): Promise<Map<string, TrackedEvent[]>> {
    const dialect = SqlDialect.of(manager);
    const wanted = new Set(types);
    const bySubject = new Map<string, TrackedEvent[]>();
    if (wanted.size === 0) return bySubject;
    for (const part of chunks(subjects)) {
      const subjectIs = dialect.oneOf('subject', 1, part);
      const rows = await SqlDialect.rows<{ id: string; type: string; subject: string; occurred_at: unknown; attributes: string }>(
        manager,
        `SELECT id, type, subject, occurred_at, attributes FROM events
         WHERE ${subjectIs.sql} ORDER BY subject, occurred_at, id`,
        subjectIs.parameters,
        { prepared: true },
      );
      for (const row of rows) {
        if (!wanted.has(row.type)) continue;
        let list = bySubject.get(row.subject);
        if (!list) bySubject.set(row.subject, (list = []));
        list.push({
          id: row.id,
          type: row.type,
          occurredAt: dialect.readInstant(row.occurred_at) as number,
          attributes: JSON.parse(row.attributes) as Record<string, unknown>,
        });
      }
    }
    return bySubject;
  }
}
