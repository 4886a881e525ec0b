import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ActivationHandoff, type ActivationHandler } from '../agreements/activation-handoff.js';
import { Clock } from '../common/clock.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { AlertsService } from './alerts/alerts.service.js';
import { AgreementCatalogue, asResponseVersion, versionAt, type MeasuredAgreement } from './agreement-catalogue.js';
import { computeClocks, type TrackedEvent } from './domain/clock-cycles.js';
import { EventScanner } from './event-scan.js';
import { ClockRepository, clockRow } from './clock.repository.js';
import { ConversionBreaches } from './conversion-breaches.js';
import { ConversionTracker } from './conversion-tracker.js';
import { closingTime } from './domain/conversion.js';
import { QuotaTracker } from './quota-tracker.js';
import type { SlaClock } from './sla-clock.entity.js';
import { TrackingService } from './tracking.service.js';

/**
 * What an agreement measuring from a date before its approval found in the stored events when
 * it came into force: told to both heads in one summary email.
 */
export interface HistoryMeasured {
  measureFrom: Date;
  /** Clocks built (response agreements). */
  clocks: number;
  /** Breaches that fell due before the approval: recorded and listed, not alerted one by one. */
  breaches: number;
  /** Quota or conversion periods built, the running one included (quota and conversion agreements). */
  periods: number;
}

/** Clocks written per flush while measuring history. */
const HISTORY_FLUSH = 2000;
/** The agreement had no clocks before its first version came into force: every clock written is new. */
const NONE_STORED: ReadonlyMap<string, SlaClock> = new Map();

/**
 * What happens, inside the approving transaction, when a version comes into force: a quota or
 * conversion agreement gets its running period; an agreement whose first version measures from a date
 * before its approval gets, from the stored events since then, exactly the clocks or quota
 * periods live ingestion would have built. The breaches that fell due before the approval are
 * recorded without an alert each, and both heads get one summary.
 */
@Injectable()
export class VersionActivation implements ActivationHandler, OnModuleInit {
  constructor(
    private readonly handoff: ActivationHandoff,
    private readonly catalogue: AgreementCatalogue,
    private readonly tracking: TrackingService,
    private readonly quotas: QuotaTracker,
    private readonly clocks: ClockRepository,
    private readonly scanner: EventScanner,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
    private readonly conversions: ConversionTracker,
    private readonly conversionBreaches: ConversionBreaches,
  ) {}

  onModuleInit(): void {
    // Approvals hand versions coming into force here, in their transaction (agreements cannot import tracking).
    this.handoff.register(this);
  }

  async onVersionActivated(manager: EntityManager, agreementId: string): Promise<HistoryMeasured | null> {
    const [measured] = await this.catalogue.load(manager, [agreementId]);
    if (!measured) return null;
    const now = this.clock.now();
    const activated = measured.versions[measured.versions.length - 1];
    const approvedAt = (activated.entity.activeFrom as Date).getTime();
    if (activated.activeFrom < approvedAt) {
      await this.lockEvents(manager);
      const kind = measured.agreement.kind;
      const found =
        kind === 'response'
          ? { ...(await this.measureHistoricClocks(manager, measured, now)), periods: 0 }
          : kind === 'quota'
            ? { ...(await this.measureHistoricPeriods(manager, measured, now)), clocks: 0 }
            : { ...(await this.measureHistoricConversions(manager, measured, now)), clocks: 0 };
      const history: HistoryMeasured = { measureFrom: new Date(activated.activeFrom), ...found };
      await this.alerts.historyMeasured(manager, measured.agreement, activated.entity.id, {
        measureFrom: history.measureFrom.toISOString(),
        clocks: history.clocks,
        breaches: history.breaches,
        periods: history.periods,
      });
      return history;
    }
    if (measured.agreement.kind === 'conversion') {
      // The running period counts the stage entries since it began, approval or not, as a quota's counts its events.
      await this.conversions.ensureCurrent(manager, measured);
      return null;
    }
    if (measured.agreement.kind !== 'quota') return null;
    const current = this.quotas.periodOf(measured, now.getTime());
    if (current) await this.quotas.ensurePeriod(manager, measured, current);
    return null;
  }

  /**
   * The conversion periods since the first version measures, counted from the stage entries (kept
   * by ingestion whether or not an agreement was in force); those whose last window has passed
   * are met or missed at once, a miss a joint breach told in the summary rather than alerted.
   */
  private async measureHistoricConversions(manager: EntityManager, measured: MeasuredAgreement, now: Date): Promise<{ periods: number; breaches: number }> {
    const periods = await this.conversions.backfill(manager, measured, measured.versions[0].activeFrom, now.getTime());
    const missed = periods
      .filter((period) => period.status === 'missed')
      .map((period) => this.conversions.missed(measured, period.target, period.id, closingTime(period.target.period.end, period.figures.lastWindowEnd)));
    const breaches = await this.conversionBreaches.record(manager, missed, now, { announce: false });
    return { periods: periods.length, breaches };
  }

  /**
   * The clocks of a response agreement's first version since it measures, in one scan of the
   * events by subject (as a replay reads them), written a few thousand at a time.
   */
  private async measureHistoricClocks(manager: EntityManager, measured: MeasuredAgreement, now: Date): Promise<{ clocks: number; breaches: number }> {
    const version = measured.versions[0];
    const response = asResponseVersion(version);
    const versionFor = (instant: number) => (versionAt(measured, instant) ? response : undefined);
    const agreementId = measured.agreement.id;
    const owner = { ownerId: version.ownerId, departmentId: measured.agreement.providerDepartmentId };
    type Breached = Parameters<TrackingService['recordClockBreaches']>[1][number];
    const pastDue: Breached[] = [];
    const ahead: Breached[] = [];
    let built = 0;
    let writes: SlaClock[] = [];
    let subject: string | null = null;
    let events: TrackedEvent[] = [];
    const measureSubject = () => {
      if (subject === null || events.length === 0) return;
      for (const computed of computeClocks(events, versionFor, now.getTime())) {
        const row = clockRow(computed, undefined, agreementId, subject, now);
        writes.push(row);
        built += 1;
        if (row.outcome !== 'breached') continue;
        // A stop reported ahead of time (up to a day) may put a breach after the approval: that one is alerted.
        ((row.breachedAt as Date).getTime() <= now.getTime() ? pastDue : ahead).push({ clock: row, ...owner });
      }
    };
    await this.scanner.scanBySubject(
      version.activeFrom,
      async (page) => {
        for (const row of page) {
          if (row.subject !== subject) {
            measureSubject();
            subject = row.subject;
            events = [];
          }
          if (!measured.types.has(row.type)) continue;
          events.push({ id: row.id, type: row.type, occurredAt: row.occurredAt, attributes: JSON.parse(row.attributes) as Record<string, unknown> });
        }
        if (writes.length >= HISTORY_FLUSH) {
          await this.clocks.save(manager, writes, NONE_STORED);
          writes = [];
        }
      },
      manager,
      [...measured.types],
    );
    measureSubject();
    await this.clocks.save(manager, writes, NONE_STORED);
    await this.tracking.recordClockBreaches(manager, pastDue, now, { announce: false });
    await this.tracking.recordClockBreaches(manager, ahead, now);
    return { clocks: built, breaches: pastDue.length };
  }

  /** The quota periods since the first version measures; those already over are met or missed, a miss a breach. */
  private async measureHistoricPeriods(manager: EntityManager, measured: MeasuredAgreement, now: Date): Promise<{ periods: number; breaches: number }> {
    const periods = await this.quotas.backfill(manager, measured, measured.versions[0].activeFrom, now.getTime());
    const missed = periods.filter((period) => period.status === 'missed');
    const first = measured.versions[0];
    // Told in the summary, so neither alerted nor escalated one by one.
    const recorded = await this.tracking.recordQuotaBreaches(
      manager,
      missed.map((period) => ({
        agreementId: measured.agreement.id,
        versionId: period.versionId,
        periodId: period.id,
        departmentId: measured.agreement.providerDepartmentId,
        ownerId: first.ownerId,
        dueAt: period.period.end,
      })),
      now,
      { announce: false },
    );
    return { periods: periods.length, breaches: recorded };
  }

  /**
   * On PostgreSQL, measuring history holds back new events until the approval commits: a batch
   * stored meanwhile is either in the scan, or measured by its own transaction once the version
   * in force is visible to it, never neither. SQLite runs one transaction at a time anyway.
   */
  private async lockEvents(manager: EntityManager): Promise<void> {
    if (SqlDialect.of(manager).kind !== 'postgres') return;
    await manager.query('LOCK TABLE events IN SHARE MODE');
  }
}
