import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgreementVersion } from '../agreements/agreement-version.entity.js';
import type { Agreement } from '../agreements/agreement.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { ConflictError } from '../common/errors.js';
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

  async live(manager: EntityManager, agreement: Agreement, versions: AgreementVersion[], reference: AgreementVersion, from: number, to: number): Promise<ComplianceView> {
    const dialect = SqlDialect.of(manager);
    const now = this.clock.now().getTime();
    const rows = await SqlDialect.rows<{ label: string; period_start: unknown; period_end: unknown; cohort: number; converted: number; status: ConversionStatus; closes_at: unknown; version_id: string }>(
      manager,
      `SELECT label, period_start, period_end, cohort, converted, status, closes_at, version_id FROM conversion_periods
       WHERE agreement_id = ${dialect.param(1)} AND period_start < ${dialect.param(2)} AND period_end > ${dialect.param(3)}
       ORDER BY period_start`,
      [agreement.id, dialect.instant(to), dialect.instant(from)],
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
    return conversionView(agreement, reference, from, to, periods, false);
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
