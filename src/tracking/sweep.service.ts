import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DueWork } from '../common/due-work.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { AppConfig } from '../config/app-config.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { quotaPace } from './domain/pacing.js';
import { AgreementCatalogue } from './agreement-catalogue.js';
import { AlertsService } from './alerts/alerts.service.js';
import { ClockRepository } from './clock.repository.js';
import { ConversionTracker } from './conversion-tracker.js';
import { QuotaTracker } from './quota-tracker.js';
import { TrackingService } from './tracking.service.js';
import { TrackingQueueWorker } from './tracking-queue.worker.js';

export interface SweepReport {
  /** Clocks that passed their due time since the last sweep. */
  breached: number;
  /** Clocks that passed warnAtPercent of their target. */
  warned: number;
  /** Quota periods closed, and how many of them missed their minimum. */
  periodsClosed: number;
  periodsMissed: number;
  /** Clocks recomputed because their calendar changed. */
  recomputed: number;
  /** Breaches unexplained for ESCALATION_BUSINESS_DAYS, told to both heads. */
  escalated: number;
  /** Running quota periods whose pace falls short, past QUOTA_AT_RISK_PERCENT of their time. */
  quotasAtRisk: number;
  /** Conversion periods closed (ended, and their last window passed), and how many missed their minimum. */
  conversionsClosed: number;
  conversionsMissed: number;
}

/** Every count of a SweepReport, as the sweep registers them with DueWork. */
const SWEEP_COUNTS: readonly (keyof SweepReport)[] = [
  'breached',
  'warned',
  'periodsClosed',
  'periodsMissed',
  'recomputed',
  'escalated',
  'quotasAtRisk',
  'conversionsClosed',
  'conversionsMissed',
];

/**
 * What time passing does to promises: running clocks fall due, get at risk, quota periods end,
 * conversion periods close once their last window has passed.
 * Every step is one set-based statement that claims its rows (`WHERE outcome = 'pending'`), and
 * breaches are unique per clock and per period, so several instances sweeping one PostgreSQL
 * database never record a breach twice. Tracking's share of every round of due work, and the
 * first: the facts it records are what the reports and reminders after it tell of.
 */
@Injectable()
export class SweepService implements OnModuleInit {
  /** Calendar versions this instance has checked its clocks against. */
  private readonly checkedCalendarVersions = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tracking: TrackingService,
    private readonly clocks: ClockRepository,
    private readonly catalogue: AgreementCatalogue,
    private readonly quotas: QuotaTracker,
    private readonly alerts: AlertsService,
    private readonly calendars: CalendarsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dueWork: DueWork,
    private readonly conversions: ConversionTracker,
    private readonly queue: TrackingQueueWorker,
  ) {}

  onModuleInit(): void {
    this.dueWork.register({ name: 'tracking sweep', phase: 'facts', counts: SWEEP_COUNTS, run: async (now) => ({ ...(await this.sweep(now)) }) });
  }

  /**
   * Every step at one instant: the round's (DueWork reads it once for all its jobs), or, called
   * alone as the benchmark does, the clock's once the stale calendars are done.
   */
  async sweep(at?: Date): Promise<SweepReport> {
    // A clock whose stop event waits in the tracking queue is not overdue: the queue goes first.
    await this.queue.catchUp();
    const recomputed = await this.recomputeStaleCalendars();
    const now = at ?? this.clock.now();
    const breached = await this.breachOverdueClocks(now);
    const warned = await this.warnAtRiskClocks(now);
    await this.openCurrentPeriods(now);
    const { closed, missed } = await this.closeEndedPeriods(now);
    const conversions = await this.closeConversionPeriods(now);
    const escalated = await this.escalateUnexplained(now);
    const quotasAtRisk = await this.announceQuotasAtRisk(now);
    return {
      breached,
      warned,
      periodsClosed: closed,
      periodsMissed: missed,
      recomputed,
      escalated,
      quotasAtRisk,
      conversionsClosed: conversions.closed,
      conversionsMissed: conversions.missed,
    };
  }

  /**
   * Open clocks past their due time become breached, each with its breach record. A paused clock
   * carries a due time only when it fell due while counting (a pause dated ahead of an early
   * due time), so it is claimed too: compliance counts it breached, and so must the breaches.
   */
  async breachOverdueClocks(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const overdue = await this.clocks.claimOverdue(manager, now);
      if (overdue.length === 0) return 0;
      const owners = await this.ownersOf(manager, [...new Set(overdue.map((clock) => clock.versionId))]);
      await this.tracking.recordClockBreaches(
        manager,
        overdue.map((clock) => ({ clock, ...(owners.get(clock.versionId) as { departmentId: string; ownerId: string | null }) })),
        now,
      );
      return overdue.length;
    });
  }

  /** Running clocks past warnAtPercent of their target are marked at risk, once. */
  async warnAtRiskClocks(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const warned = await this.clocks.claimAtRisk(manager, now);
      await this.alerts.atRiskWarnings(manager, warned);
      return warned.length;
    });
  }

  /** Every quota agreement in force has a row for its running period, even before its first event. */
  async openCurrentPeriods(now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const agreements = await this.catalogue.load(manager);
      for (const measured of agreements) {
        if (measured.agreement.kind !== 'quota' || measured.agreement.status !== 'active') continue;
        const current = this.quotas.periodOf(measured, now.getTime());
        if (current) await this.quotas.ensurePeriod(manager, measured, current);
      }
    });
  }

  /** Periods that have ended are met or missed; a missed one is a breach of the provider. */
  async closeEndedPeriods(now: Date): Promise<{ closed: number; missed: number }> {
    return this.dataSource.transaction(async (manager) => {
      const dialect = SqlDialect.of(manager);
      const closed = await SqlDialect.rows<{ id: string; agreement_id: string; version_id: string; status: string; period_end: unknown }>(
        manager,
        `UPDATE quota_periods SET status = CASE WHEN count >= minimum THEN 'met' ELSE 'missed' END,
           closed_at = ${dialect.param(1)}, updated_at = ${dialect.param(2)}
         WHERE status = 'open' AND period_end <= ${dialect.param(3)}
         RETURNING id, agreement_id, version_id, status, period_end`,
        [dialect.instant(now), dialect.instant(now), dialect.instant(now)],
      );
      const missed = closed.filter((row) => row.status === 'missed');
      if (missed.length > 0) {
        const owners = await this.ownersOf(manager, [...new Set(missed.map((row) => row.version_id))]);
        await this.tracking.recordQuotaBreaches(
          manager,
          missed.map((row) => {
            const owner = owners.get(row.version_id) as { departmentId: string; ownerId: string | null };
            return {
              agreementId: row.agreement_id,
              versionId: row.version_id,
              periodId: row.id,
              departmentId: owner.departmentId,
              ownerId: owner.ownerId,
              dueAt: dialect.readInstant(row.period_end) as number,
            };
          }),
          now,
        );
      }
      return { closed: closed.length, missed: missed.length };
    });
  }

  /**
   * Every conversion agreement in force has a row for its running period; the periods whose last
   * window has passed close as met or missed, a miss a breach owned by both departments.
   */
  async closeConversionPeriods(now: Date): Promise<{ closed: number; missed: number }> {
    return this.dataSource.transaction(async (manager) => {
      const agreements = await this.conversions.agreements(manager);
      if (agreements.length === 0) return { closed: 0, missed: 0 };
      for (const measured of agreements) {
        if (measured.agreement.status === 'active') await this.conversions.ensureCurrent(manager, measured);
      }
      return this.conversions.closeDue(manager, agreements, now);
    });
  }

  /**
   * Running and paused clocks computed on an older version of their calendar are recomputed, and
   * the open conversion periods on it counted again (their closing time follows the calendar; the
   * step after this one closes those now due). The instance that changes a calendar does this at
   * once; the sweep catches what it could not finish and changes made by other instances. Only
   * calendars whose version this instance has not yet seen checked are looked at, so a quiet sweep
   * does not read every clock.
   */
  async recomputeStaleCalendars(): Promise<number> {
    const calendars = await SqlDialect.rows<{ id: string; version: number }>(this.dataSource.manager, 'SELECT id, version FROM calendars');
    let recomputed = 0;
    for (const { id, version } of calendars) {
      if (this.checkedCalendarVersions.get(id) === Number(version)) continue;
      const pairs = await this.clocks.openPairsOnCalendar(id, version);
      if (pairs.length > 0) recomputed += await this.tracking.recomputePairs(pairs);
      // Periods keep no calendar version: a few open ones per agreement, counted again once per version seen.
      await this.dataSource.transaction((manager) => this.conversions.recountOnCalendar(manager, id));
      this.checkedCalendarVersions.set(id, Number(version));
    }
    return recomputed;
  }

  /**
   * Breaches still unexplained ESCALATION_BUSINESS_DAYS business days (on their agreement's
   * calendar) after they were recorded are escalated to both heads, once.
   */
  async escalateUnexplained(now: Date): Promise<number> {
    const days = this.config.ESCALATION_BUSINESS_DAYS;
    return this.dataSource.transaction(async (manager) => {
      const dialect = SqlDialect.of(manager);
      // Business days are never shorter than calendar days: older than that is a cheap first cut.
      const candidates = await SqlDialect.rows<{ id: string; agreement_id: string; calendar_id: string; detected_at: unknown }>(
        manager,
        `SELECT b.id, b.agreement_id, v.calendar_id, b.detected_at FROM breaches b JOIN agreement_versions v ON v.id = b.version_id
         WHERE b.explained_at IS NULL AND b.withdrawn_at IS NULL AND b.escalated_at IS NULL AND b.detected_at <= ${dialect.param(1)}`,
        [dialect.instant(now.getTime() - days * 86_400_000)],
      );
      const due: string[] = [];
      for (const candidate of candidates) {
        const calendar = await this.calendars.businessCalendar(candidate.calendar_id);
        const detected = dialect.readInstant(candidate.detected_at) as number;
        if (calendar.dueAtMs(detected, { days, seconds: 0 }) <= now.getTime()) due.push(candidate.id);
      }
      if (due.length === 0) return 0;
      const escalated = await SqlDialect.rows<{ id: string; agreement_id: string }>(
        manager,
        `UPDATE breaches SET escalated_at = ${dialect.param(1)} WHERE escalated_at IS NULL AND id IN (${dialect.params(2, due.length)})
         RETURNING id, agreement_id`,
        [dialect.instant(now), ...due],
      );
      await this.alerts.escalations(manager, escalated.map((row) => ({ id: row.id, agreementId: row.agreement_id })));
      return escalated.length;
    });
  }

  /**
   * Once QUOTA_AT_RISK_PERCENT of a running period's working time has gone, a pace that ends
   * below the minimum is announced to both heads (once per period: the outbox key names it).
   */
  async announceQuotasAtRisk(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const dialect = SqlDialect.of(manager);
      const open = await SqlDialect.rows<{ id: string; version_id: string; calendar_id: string; count: number; minimum: number; period_start: unknown; period_end: unknown }>(
        manager,
        `SELECT p.id, p.version_id, v.calendar_id, p.count, p.minimum, p.period_start, p.period_end
         FROM quota_periods p JOIN agreement_versions v ON v.id = p.version_id
         WHERE p.status = 'open' AND p.period_end > ${dialect.param(1)}`,
        [dialect.instant(now)],
      );
      let announced = 0;
      for (const period of open) {
        const calendar = await this.calendars.businessCalendar(period.calendar_id);
        const count = Number(period.count);
        const minimum = Number(period.minimum);
        const pace = quotaPace(calendar, count, minimum, dialect.readInstant(period.period_start) as number, dialect.readInstant(period.period_end) as number, now.getTime());
        if (pace.projected === null || pace.onTrack || pace.elapsedShare * 100 < this.config.QUOTA_AT_RISK_PERCENT) continue;
        await this.alerts.quotaAtRisk(manager, period.id, period.version_id, {
          projected: pace.projected,
          count,
          elapsedPercent: Math.round(pace.elapsedShare * 1000) / 10,
        });
        announced += 1;
      }
      return announced;
    });
  }

  /** Who answers for breaches of each version: the provider department, and its stage's owner. */
  private async ownersOf(manager: EntityManager, versionIds: string[]): Promise<Map<string, { departmentId: string; ownerId: string | null }>> {
    const dialect = SqlDialect.of(manager);
    const owners = new Map<string, { departmentId: string; ownerId: string | null }>();
    for (let i = 0; i < versionIds.length; i += 500) {
      const part = versionIds.slice(i, i + 500);
      const rows = await SqlDialect.rows<{ id: string; provider_department_id: string; owner_id: string | null }>(
        manager,
        `SELECT v.id, a.provider_department_id, s.owner_id FROM agreement_versions v
         JOIN agreements a ON a.id = v.agreement_id LEFT JOIN funnel_stages s ON s.id = v.stage_id
         WHERE v.id IN (${dialect.params(1, part.length)})`,
        part,
      );
      for (const row of rows) owners.set(row.id, { departmentId: row.provider_department_id, ownerId: row.owner_id });
    }
    return owners;
  }
}
