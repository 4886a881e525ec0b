import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import type { Agreement } from '../agreements/agreement.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { ConversionTracker } from './conversion-tracker.js';
import { closingTime, projectedPercent, statusAt, type ConversionFigures, type ConversionStatus } from './domain/conversion.js';
import { periodCounts } from './domain/period-counts.js';
import { periodsBetween, type Period } from './domain/periods.js';
import type { ComplianceView, ConversionPeriodView } from './tracking.dto.js';

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Compliance of a conversion agreement, live and replayed. Live reads the stored periods; a
 * closed one as it was decided, an open one counted afresh from the stage entries (its projection
 * depends on who is still inside their window now). A replay counts every period of the window
 * from the stage entries under one version's terms, writing nothing — through the same pure
 * functions, so a replay of the version in force gives the live figures.
 */
@Injectable()
export class ConversionCompliance {
  constructor(
    private readonly tracker: ConversionTracker,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
  ) {}

  /**
   * The periods of several windows (ComplianceService.liveMany): those overlapping any of them read,
   * the open ones counted afresh, once, and each window given the ones it overlaps.
   */
  async liveMany(manager: EntityManager, agreement: Agreement, versions: AgreementVersion[], reference: AgreementVersion, windows: readonly { from: number; to: number }[]): Promise<ComplianceView[]> {
    if (windows.length === 0) return [];
    const dialect = SqlDialect.of(manager);
    const [from, to] = [Math.min(...windows.map((w) => w.from)), Math.max(...windows.map((w) => w.to))];
    const periods = await this.stored(manager, versions, reference, 'period_start < ? AND period_end > ?', [agreement.id, dialect.instant(to), dialect.instant(from)]);
    return windows.map((window) =>
      conversionView(
        agreement,
        reference,
        window.from,
        window.to,
        periods.filter((period) => Date.parse(period.start) < window.to && Date.parse(period.end) > window.from),
        false,
      ),
    );
  }

  /**
   * The periods a report of [from, to) shows: those overlapping it, and the earlier ones decided
   * in it — a period closes once its last window has passed, so November is decided in December,
   * and its breach (due when it closed) is December's. Decided "in" it as a quota period ends in
   * its report: after `from`, up to and including `to`.
   */
  async reported(manager: EntityManager, agreementId: string, from: number, to: number): Promise<ConversionPeriodView[]> {
    const dialect = SqlDialect.of(manager);
    const { versions, reference } = await this.versionsOf(manager, agreementId);
    return this.stored(manager, versions, reference, "((period_start < ? AND period_end > ?) OR (status <> 'open' AND closes_at > ? AND closes_at <= ?))", [
      agreementId,
      dialect.instant(to),
      dialect.instant(from),
      dialect.instant(from),
      dialect.instant(to),
    ]);
  }

  /** Where a KPI stands for a meeting: its open periods (the running one, any whose last window runs) and the last one closed. */
  async latest(manager: EntityManager, agreementId: string): Promise<ConversionPeriodView[]> {
    const { versions, reference } = await this.versionsOf(manager, agreementId);
    return this.stored(
      manager,
      versions,
      reference,
      "(status = 'open' OR period_start = (SELECT MAX(period_start) FROM conversion_periods WHERE agreement_id = ? AND status <> 'open'))",
      [agreementId, agreementId],
    );
  }

  /**
   * Stored periods of one agreement (the first parameter; `?` in `condition` stands for the next
   * ones, in order), in period order: a closed one as it was decided, an open one counted afresh.
   */
  private async stored(manager: EntityManager, versions: AgreementVersion[], reference: AgreementVersion, condition: string, parameters: unknown[]): Promise<ConversionPeriodView[]> {
    const dialect = SqlDialect.of(manager);
    let n = 1;
    const where = condition.replace(/\?/g, () => dialect.param(++n));
    const now = this.clock.now().getTime();
    const rows = await SqlDialect.rows<{ label: string; period_start: unknown; period_end: unknown; cohort: number; converted: number; status: ConversionStatus; closes_at: unknown; version_id: string }>(
      manager,
      `SELECT label, period_start, period_end, cohort, converted, status, closes_at, version_id FROM conversion_periods
       WHERE agreement_id = ${dialect.param(1)} AND ${where}
       ORDER BY period_start`,
      parameters,
    );
    const versionOf = new Map(versions.map((version) => [version.id, version]));
    const periods: ConversionPeriodView[] = [];
    for (const row of rows) {
      const version = versionOf.get(row.version_id) ?? reference;
      const terms = version.conversion;
      if (!terms) throw new ConflictError(`version ${version.number} has no conversion terms`);
      const period = { label: row.label, start: dialect.readInstant(row.period_start) as number, end: dialect.readInstant(row.period_end) as number };
      if (row.status === 'open') {
        const calendar = await this.calendars.businessCalendar(version.calendarId);
        const figures = await this.tracker.figuresOf(manager, terms, calendar, period, now);
        periods.push(periodView(period, figures, terms.minimumPercent, 'open', closingTime(period.end, figures.lastWindowEnd)));
      } else {
        const cohort = Number(row.cohort);
        const converted = Number(row.converted);
        const figures = { cohort, converted, percent: cohort === 0 ? null : round2((converted * 100) / cohort), lapsed: cohort - converted, pending: 0, lastWindowEnd: null };
        periods.push(periodView(period, figures, terms.minimumPercent, row.status, dialect.readInstant(row.closes_at) as number));
      }
    }
    return periods;
  }

  /** An agreement's versions, and the one whose terms stand in for a period's lost version: the one in force, else the latest that was. */
  private async versionsOf(manager: EntityManager, agreementId: string): Promise<{ versions: AgreementVersion[]; reference: AgreementVersion }> {
    const versions = await manager.find(AgreementVersion, { where: { agreementId }, order: { number: 'ASC' } });
    const reference =
      versions.find((v) => v.status === 'active') ?? [...versions].reverse().find((v) => v.activeFrom !== null) ?? versions[versions.length - 1];
    if (!reference) throw new NotFoundError('agreement', agreementId);
    return { versions, reference };
  }

  async replay(manager: EntityManager, agreement: Agreement, version: AgreementVersion, from: number, to: number): Promise<ComplianceView> {
    const terms = version.conversion;
    if (!terms) throw new ConflictError(`version ${version.number} has no conversion terms`);
    const calendar = await this.calendars.businessCalendar(version.calendarId);
    const now = this.clock.now().getTime();
    const periods: ConversionPeriodView[] = [];
    for (const period of periodsBetween(from, to, terms.period, calendar.timezone)) {
      const figures = await this.tracker.figuresOf(manager, terms, calendar, period, now);
      periods.push(periodView(period, figures, terms.minimumPercent, statusAt(figures, period.end, terms.minimumPercent, now), closingTime(period.end, figures.lastWindowEnd)));
    }
    return conversionView(agreement, version, from, to, periods, true);
  }
}

function periodView(period: Period, figures: ConversionFigures, minimumPercent: number, status: ConversionStatus, closesAt: number): ConversionPeriodView {
  return {
    label: period.label,
    start: new Date(period.start).toISOString(),
    end: new Date(period.end).toISOString(),
    cohort: figures.cohort,
    converted: figures.converted,
    percent: figures.percent,
    minimumPercent,
    status,
    projected: status === 'open' ? projectedPercent(figures) : null,
    closesAt: new Date(closesAt).toISOString(),
  };
}

/** The totals count periods, as a quota's do: met, breached (missed), running (open). */
function conversionView(agreement: Agreement, version: AgreementVersion, from: number, to: number, periods: ConversionPeriodView[], replay: boolean): ComplianceView {
  return {
    agreementId: agreement.id,
    kind: 'conversion',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    version: version.number,
    replay,
    ...periodCounts(periods.map((p) => p.status)),
    goalPercent: null,
    goalMet: null,
    targets: [],
    periods: [],
    conversionPeriods: periods,
  };
}
