import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { attributeTypesOf, eventTypesOf, matchesFilter, targetName } from '../agreements/domain/agreement-terms.js';
import type { BusinessCalendar } from '../calendars/business-time/index.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { ConversionCompliance } from './conversion-compliance.js';
import { computeClocks, type TrackedEvent } from './domain/clock-cycles.js';
import { ComplianceTally, type ComplianceFigures } from './domain/compliance.js';
import { quotaPace } from './domain/pacing.js';
import { periodCounts } from './domain/period-counts.js';
import { periodsBetween } from './domain/periods.js';
import { EventScanner } from './event-scan.js';
import { QuotaTracker } from './quota-tracker.js';
import { ResponseCompliance } from './response-compliance.js';
import type { ComplianceView, QuotaPeriodView, ReplayQuery, WindowQuery } from './tracking.dto.js';

const MAX_WINDOW_YEARS = 5;
const MAX_WINDOW_MS = MAX_WINDOW_YEARS * 366 * 86_400_000;
/**
 * An event whose attributes are parsed the first time a filter looks at them. A class, not an
 * object literal with a getter: one small object per event instead of an object and a closure.
 */
class LazyEvent implements TrackedEvent {
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly subject: string,
    readonly occurredAt: number,
    private readonly json: string,
  ) {}

  get attributes(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.json) as Record<string, unknown>);
  }
}

interface QuotaRow {
  label: string;
  start: number;
  end: number;
  count: number;
  minimum: number;
  status: 'open' | 'met' | 'missed';
}

/**
 * The figures heads argue about: live compliance from the stored clocks and quota periods (and
 * conversion periods: ConversionCompliance), and
 * replays that measure any version over the stored events of a window without writing anything.
 * Both go through the same pure functions, so a replay of the version in force over a window it
 * was in force for gives the live figures.
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsService,
    private readonly scanner: EventScanner,
    private readonly quotas: QuotaTracker,
    private readonly responses: ResponseCompliance,
    private readonly clock: Clock,
    private readonly conversions: ConversionCompliance,
  ) {}

  /**
   * The figures of the clocks that started in a window (response), or of its quota or conversion periods.
   * A response agreement's are read from the rollups; `source: 'clocks'` recomputes them from
   * every clock of the window instead, as tests and the benchmark do to check and time them.
   * `percentiles: false` leaves the median and 90th percentile null, unread, for a reader that
   * shows neither.
   */
  async live(agreementId: string, window: WindowQuery, source: 'rollups' | 'clocks' = 'rollups', options: { percentiles?: boolean } = {}): Promise<ComplianceView> {
    return (await this.liveMany(agreementId, [window], source, options))[0];
  }

  /**
   * `live` for several windows of one agreement (the dashboard's months): the agreement is read
   * once, and a conversion agreement's open periods are counted once however many windows they
   * overlap (a quarter under three monthly windows).
   */
  async liveMany(agreementId: string, windows: readonly WindowQuery[], source: 'rollups' | 'clocks' = 'rollups', options: { percentiles?: boolean } = {}): Promise<ComplianceView[]> {
    const ranges = windows.map((window) => this.window(window));
    const manager = this.dataSource.manager;
    const { agreement, versions } = await this.load(manager, agreementId);
    const reference =
      versions.find((v) => v.status === 'active') ?? [...versions].reverse().find((v) => v.activeFrom !== null) ?? versions[versions.length - 1];
    if (agreement.kind === 'conversion') return this.conversions.liveMany(manager, agreement, versions, reference, ranges);
    const views: ComplianceView[] = [];
    for (const { from, to } of ranges) views.push(await this.liveOne(manager, agreement, versions, reference, from, to, source, options));
    return views;
  }

  private async liveOne(
    manager: EntityManager,
    agreement: Agreement,
    versions: AgreementVersion[],
    reference: AgreementVersion,
    from: number,
    to: number,
    source: 'rollups' | 'clocks',
    options: { percentiles?: boolean },
  ): Promise<ComplianceView> {
    const agreementId = agreement.id;
    const dialect = SqlDialect.of(manager);
    const now = this.clock.now().getTime();
    if (agreement.kind === 'response') {
      const terms = reference.response;
      const measured = { agreementId, from, to, now, goalPercent: terms?.goalPercent ?? 100, targetNames: terms ? terms.targets.map(targetName) : [], percentiles: options.percentiles };
      const figures = source === 'rollups' ? await this.responses.fromRollups(manager, measured) : await this.responses.fromClocks(manager, measured);
      return this.responseView(agreement, reference, from, to, figures, false);
    }
    const rows = await SqlDialect.rows<{ label: string; period_start: unknown; period_end: unknown; count: number; minimum: number; status: QuotaRow['status']; version_id: string }>(
      manager,
      `SELECT label, period_start, period_end, count, minimum, status, version_id FROM quota_periods
       WHERE agreement_id = ${dialect.param(1)} AND period_start < ${dialect.param(2)} AND period_end > ${dialect.param(3)}
       ORDER BY period_start`,
      [agreementId, dialect.instant(to), dialect.instant(from)],
    );
    const calendarOf = new Map(versions.map((v) => [v.id, v.calendarId]));
    const periods: QuotaPeriodView[] = [];
    for (const row of rows) {
      const calendar = await this.calendars.businessCalendar(calendarOf.get(row.version_id) ?? reference.calendarId);
      periods.push(
        this.periodView(
          {
            label: row.label,
            start: dialect.readInstant(row.period_start) as number,
            end: dialect.readInstant(row.period_end) as number,
            count: Number(row.count),
            minimum: Number(row.minimum),
            status: row.status,
          },
          calendar,
          now,
        ),
      );
    }
    return this.quotaView(agreement, reference, from, to, periods, false);
  }

  /** Measures one version over the stored events of a window, as if it had been in force throughout. */
  async replay(agreementId: string, query: ReplayQuery): Promise<ComplianceView> {
    const { from, to } = this.window(query);
    const manager = this.dataSource.manager;
    const { agreement, versions } = await this.load(manager, agreementId);
    const version =
      query.version !== undefined
        ? versions.find((v) => v.number === query.version)
        : (versions.find((v) => v.status === 'draft' || v.status === 'proposed') ?? versions.find((v) => v.status === 'active') ?? versions[versions.length - 1]);
    if (!version) throw new NotFoundError('version', String(query.version), 'version');
    if (agreement.kind === 'conversion') return this.conversions.replay(manager, agreement, version, from, to);
    const { calendar, version: calendarVersion } = await this.calendars.compiledCalendar(manager, version.calendarId);
    const now = this.clock.now().getTime();

    if (agreement.kind === 'response') {
      const terms = version.response;
      if (!terms) throw new ConflictError(`version ${version.number} has no response terms`);
      const measured = { id: version.id, terms, calendar, calendarVersion, activeFrom: from, activeUntil: to };
      const versionAt = (instant: number) => (instant >= from && instant < to ? measured : undefined);
      const tally = new ComplianceTally(terms.goalPercent, terms.targets.map(targetName));
      await this.eachSubject(eventTypesOf(version), from, attributeTypesOf(terms), (events) => {
        for (const clock of computeClocks(events, versionAt, now, { figuresOnly: true })) tally.add(clock);
      });
      return this.responseView(agreement, version, from, to, tally.figures(), true);
    }

    const terms = version.quota;
    if (!terms) throw new ConflictError(`version ${version.number} has no quota terms`);
    const periods = periodsBetween(from, to, terms.period, calendar.timezone);
    const counts = await this.quotas.countInPeriods(manager, terms.countOn, periods);
    const views = periods.map((period, i) =>
      this.periodView(
        { ...period, count: counts[i], minimum: terms.minimum, status: period.end > now ? 'open' : counts[i] >= terms.minimum ? 'met' : 'missed' },
        calendar,
        now,
      ),
    );
    return this.quotaView(agreement, version, from, to, views, true);
  }

  /** The events of some types from an instant on, one subject at a time, in the order they happened; attributes only of `attributesOf`'s types. */
  private async eachSubject(types: string[], from: number, attributesOf: string[], visit: (events: TrackedEvent[]) => void): Promise<void> {
    const wanted = new Set(types);
    let subject: string | null = null;
    let events: LazyEvent[] = [];
    await this.scanner.scanBySubject<LazyEvent>(
      from,
      (page) => {
        for (const event of page) {
          if (event.subject !== subject) {
            if (events.length) visit(events);
            subject = event.subject;
            events = [];
          }
          if (wanted.has(event.type)) events.push(event);
        }
      },
      undefined,
      types,
      (id, type, subject, occurredAt, attributes) => new LazyEvent(id, type, subject, occurredAt, attributes),
      attributesOf,
    );
    if (events.length) visit(events);
  }

  private responseView(agreement: Agreement, version: AgreementVersion, from: number, to: number, figures: ComplianceFigures, replay: boolean): ComplianceView {
    return {
      agreementId: agreement.id,
      kind: 'response',
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      version: version.number,
      replay,
      ...figures,
      periods: [],
      conversionPeriods: [],
    };
  }

  private quotaView(agreement: Agreement, version: AgreementVersion, from: number, to: number, periods: QuotaPeriodView[], replay: boolean): ComplianceView {
    return {
      agreementId: agreement.id,
      kind: 'quota',
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      version: version.number,
      replay,
      ...periodCounts(periods.map((p) => p.status)),
      goalPercent: null,
      goalMet: null,
      targets: [],
      periods,
      conversionPeriods: [],
    };
  }

  private periodView(row: QuotaRow, calendar: BusinessCalendar, now: number): QuotaPeriodView {
    const open = row.status === 'open';
    const pace = open ? quotaPace(calendar, row.count, row.minimum, row.start, row.end, now) : null;
    return {
      label: row.label,
      start: new Date(row.start).toISOString(),
      end: new Date(row.end).toISOString(),
      count: row.count,
      minimum: row.minimum,
      status: row.status,
      projected: pace?.projected ?? null,
      onTrack: pace?.onTrack ?? null,
      pace: pace?.projected != null ? `at this pace: ${pace.projected} of ${row.minimum}` : null,
    };
  }

  private window(window: WindowQuery): { from: number; to: number } {
    const from = Date.parse(window.from);
    const to = Date.parse(window.to);
    if (to <= from) throw InvalidInputError.of('to', 'to must be after from');
    // A window of centuries would have a quota replay count millions of periods for nobody.
    if (to - from > MAX_WINDOW_MS) throw InvalidInputError.of('to', `to must be at most ${MAX_WINDOW_YEARS} years after from`);
    return { from, to };
  }

  private async load(manager: EntityManager, agreementId: string): Promise<{ agreement: Agreement; versions: AgreementVersion[] }> {
    const agreement = await manager.findOne(Agreement, { where: { id: agreementId } });
    if (!agreement) throw new NotFoundError('agreement', agreementId);
    const versions = await manager.find(AgreementVersion, { where: { agreementId }, order: { number: 'ASC' } });
    return { agreement, versions };
  }
}
