import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { describeConversionTerms } from '../agreements/domain/agreement-terms.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { Clock } from '../common/clock.js';
import { InvalidInputError, NotFoundError } from '../common/errors.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { BreachesService } from '../tracking/breaches.service.js';
import { ComplianceService } from '../tracking/compliance.service.js';
import { ConversionCompliance } from '../tracking/conversion-compliance.js';
import { periodCounts } from '../tracking/domain/period-counts.js';
import { SlaClock } from '../tracking/sla-clock.entity.js';
import type { BreachView } from '../tracking/tracking.dto.js';
import { breachLine, breachWindow, byDueTime, offendersOf, previousWindow, quotaGoalMet, windowView, type ConversionStages } from './breach-report.model.js';
import { AttendanceReportService } from './attendance-report.service.js';
import { breachesCsv, reportContext, ReportWords } from './breach-report.view.js';
import { I18nService } from '../i18n/i18n.service.js';
import type { Locale } from '../i18n/locales.js';
import type { BreachReport, DepartmentRef, QuotaFigures, ResponseFigures, SharedKpiFigures } from './reports.dto.js';

export interface BreachReportRequest {
  from: string;
  to: string;
  departmentId?: string;
  /** The reader's IANA time zone: the templates show every time in it. */
  timezone: string;
}

interface Window {
  from: number;
  to: number;
}

const PAGE = 500;

/**
 * The breach report heads of department receive: what was promised, what was kept, against the
 * period before, and every breach with its owner and explanation. The figures come from the
 * compliance service and the breach views of the tracking module, never recomputed here.
 */
@Injectable()
export class BreachReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly compliance: ComplianceService,
    private readonly conversions: ConversionCompliance,
    private readonly breaches: BreachesService,
    private readonly renderer: TemplateRenderer,
    private readonly attendance: AttendanceReportService,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  /** The report as a person reads it: in their own time zone. */
  async buildFor(personId: string, request: Omit<BreachReportRequest, 'timezone'>): Promise<BreachReport> {
    const person = await this.dataSource.manager.findOne(Person, { where: { id: personId } });
    if (!person) throw new NotFoundError('person', personId);
    return this.build({ ...request, timezone: person.timezone });
  }

  async build(request: BreachReportRequest): Promise<BreachReport> {
    const window = { from: Date.parse(request.from), to: Date.parse(request.to) };
    if (!(window.to > window.from)) throw InvalidInputError.of('to', 'to must be after from');
    const previous = previousWindow(window.from, window.to);
    const manager = this.dataSource.manager;
    const departments = new Map((await manager.find(Department)).map((d): [string, DepartmentRef] => [d.id, { id: d.id, name: d.name }]));
    const department = request.departmentId ? (departments.get(request.departmentId) ?? null) : null;
    if (request.departmentId && !department) throw new NotFoundError('department', request.departmentId, 'departmentId');

    const responses: ResponseFigures[] = [];
    const quotas: QuotaFigures[] = [];
    const conversions: SharedKpiFigures[] = [];
    const views: BreachView[] = [];
    const periodLabels = new Map<string, string>();
    const stageNames = new Map((await manager.find(FunnelStage, { select: { id: true, name: true } })).map((stage) => [stage.id, stage.name]));
    const stageName = (id: string) => stageNames.get(id) ?? id;
    for (const { agreement, version } of await this.agreementsInForce(manager, window, request.departmentId)) {
      const due = await this.breachesDue(agreement, window);
      views.push(...due);
      const common = {
        agreementId: agreement.id,
        name: version.name,
        provider: departments.get(agreement.providerDepartmentId) as DepartmentRef,
        consumer: departments.get(agreement.consumerDepartmentId) as DepartmentRef,
        breaches: due.length,
        previousBreaches: await this.breachCount(agreement, previous),
      };
      if (agreement.kind === 'conversion') {
        conversions.push(await this.sharedKpi(manager, version, common, window, previous, stageName));
        continue;
      }
      const current = await this.compliance.live(agreement.id, windowView(window));
      const before = await this.compliance.live(agreement.id, windowView(previous));
      const figures = { ...common, metPercent: current.metPercent, previousMetPercent: before.metPercent };
      if (agreement.kind === 'response') {
        const { goalPercent, goalMet, total, met, breached, breachedOpen, running, paused, cancelled, medianSeconds, p90Seconds, targets } = current;
        responses.push({ ...figures, goalPercent: goalPercent ?? 100, goalMet, total, met, breached, breachedOpen, running, paused, cancelled, medianSeconds, p90Seconds, targets });
      } else {
        for (const period of current.periods) periodLabels.set(`${agreement.id} ${period.end}`, period.label);
        quotas.push({ ...figures, goalMet: quotaGoalMet(current.met, current.breached), periods: current.periods });
      }
    }

    const ownerIds = [...new Set(views.map((view) => view.ownerId).filter((id): id is string => id !== null))];
    const owners = ownerIds.length ? await manager.find(Person, { where: { id: In(ownerIds) } }) : [];
    const people = new Map(owners.map((person) => [person.id, person.name]));
    const periodLabel = (agreementId: string, dueAt: string) => periodLabels.get(`${agreementId} ${dueAt}`) ?? null;
    const openClockIds = await this.openClocks(manager, views);
    const stagesOf = await this.conversionStages(manager, views, stageName);
    const conversionStages = (versionId: string) => stagesOf.get(versionId) ?? null;
    const lines = views.map((view) => breachLine(view, { departments, people, periodLabel, conversionStages, openClockIds })).sort(byDueTime);
    const all = [...responses, ...quotas, ...conversions];
    return {
      generatedAt: this.clock.now().toISOString(),
      timezone: request.timezone,
      department,
      period: windowView(window),
      previousPeriod: windowView(previous),
      headline: {
        agreementsInForce: all.length,
        metGoal: all.filter((a) => a.goalMet === true).length,
        missedGoal: all.filter((a) => a.goalMet === false).length,
        undecided: all.filter((a) => a.goalMet === null).length,
        breaches: lines.length,
        previousBreaches: all.reduce((sum, a) => sum + a.previousBreaches, 0),
        unexplained: lines.filter((line) => !line.explained).length,
      },
      responses,
      quotas,
      conversions,
      breaches: lines,
      offenders: offendersOf(lines),
      attendance: await this.attendance.build(request.from, request.to, request.departmentId),
    };
  }

  /** The report as a string: the HTML email body, its plain-text part, or CSV (one row per breach). */
  render(model: BreachReport, format: 'html' | 'text' | 'csv', yourActions: { text: string; dueOn: string | null; overdue: boolean }[] | null = null, locale: Locale = 'en'): string {
    if (format === 'csv') return breachesCsv(model);
    const words = new ReportWords(locale, this.i18n.translator);
    return this.renderer.render(`reports/breaches.${format}`, { ...reportContext(model, words), yourActions: yourActions && yourActions.length > 0 ? yourActions : null });
  }

  /**
   * Agreements in force at any time in the window (a version with activeFrom — or the measureFrom
   * it reached back to — before `to`, and no end or an end after from), with the latest such
   * version (its name, its terms), by kind then name.
   */
  private async agreementsInForce(manager: EntityManager, window: Window, departmentId?: string): Promise<{ agreement: Agreement; version: AgreementVersion }[]> {
    const builder = manager
      .createQueryBuilder(AgreementVersion, 'version')
      .innerJoinAndMapOne('version.agreement', Agreement, 'agreement', 'agreement.id = version.agreementId')
      // Measuring from before its approval (measureFrom), a version was in force for the report from then on.
      .where('version.activeFrom IS NOT NULL AND (version.activeFrom < :to OR version.measureFrom < :to)', { to: new Date(window.to) })
      .andWhere('(version.activeUntil IS NULL OR version.activeUntil > :from)', { from: new Date(window.from) });
    if (departmentId) {
      builder.andWhere('(agreement.providerDepartmentId = :department OR agreement.consumerDepartmentId = :department)', { department: departmentId });
    }
    const versions = await builder.orderBy('version.number', 'DESC').getMany();
    const latest = new Map<string, { agreement: Agreement; version: AgreementVersion }>();
    for (const version of versions) {
      if (!latest.has(version.agreementId)) latest.set(version.agreementId, { agreement: version.agreement as Agreement, version });
    }
    return [...latest.values()].sort((a, b) => a.agreement.kind.localeCompare(b.agreement.kind) || a.version.name.localeCompare(b.version.name));
  }

  /**
   * A shared KPI's figures: its periods in the window and those decided in it, each against its
   * minimum; the share of decided periods met, against the previous window's.
   */
  private async sharedKpi(
    manager: EntityManager,
    version: AgreementVersion,
    common: Omit<SharedKpiFigures, 'metPercent' | 'previousMetPercent' | 'goalMet' | 'fromStage' | 'toStage' | 'terms' | 'periods'>,
    window: Window,
    previous: Window,
    stageName: (id: string) => string,
  ): Promise<SharedKpiFigures> {
    const periods = await this.conversions.reported(manager, common.agreementId, window.from, window.to);
    const before = await this.conversions.reported(manager, common.agreementId, previous.from, previous.to);
    const counts = periodCounts(periods.map((period) => period.status));
    const terms = version.conversion;
    return {
      ...common,
      metPercent: counts.metPercent,
      previousMetPercent: periodCounts(before.map((period) => period.status)).metPercent,
      goalMet: quotaGoalMet(counts.met, counts.breached),
      fromStage: terms ? stageName(terms.fromStageId) : '',
      toStage: terms ? stageName(terms.toStageId) : '',
      terms: terms ? describeConversionTerms(terms, stageName) : '',
      periods,
    };
  }

  /** The stages each conversion breach's version names (a breach may be of an older version than the one in force). */
  private async conversionStages(manager: EntityManager, views: BreachView[], stageName: (id: string) => string): Promise<Map<string, ConversionStages>> {
    const ids = [...new Set(views.filter((view) => view.conversion !== null).map((view) => view.versionId))];
    const versions = ids.length ? await manager.find(AgreementVersion, { where: { id: In(ids) } }) : [];
    const stages = new Map<string, ConversionStages>();
    for (const version of versions) {
      if (version.conversion) stages.set(version.id, { fromStage: stageName(version.conversion.fromStageId), toStage: stageName(version.conversion.toStageId) });
    }
    return stages;
  }

  private async breachesDue(agreement: Agreement, window: Window): Promise<BreachView[]> {
    const views: BreachView[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.breaches.list({ agreementId: agreement.id, ...breachWindow(agreement.kind, window), limit: PAGE, offset });
      views.push(...page.items);
      if (page.items.length < PAGE || views.length >= page.total) return views;
    }
  }

  /** The clocks of these breaches that are still open: the leads nobody has answered yet. */
  private async openClocks(manager: EntityManager, views: BreachView[]): Promise<Set<string>> {
    const ids = views.map((view) => view.clockId).filter((id): id is string => id !== null);
    const open = new Set<string>();
    for (let start = 0; start < ids.length; start += PAGE) {
      const clocks = await manager.find(SlaClock, { select: { id: true }, where: { id: In(ids.slice(start, start + PAGE)), state: In(['running', 'paused']) } });
      for (const clock of clocks) open.add(clock.id);
    }
    return open;
  }

  private async breachCount(agreement: Agreement, window: Window): Promise<number> {
    return (await this.breaches.list({ agreementId: agreement.id, ...breachWindow(agreement.kind, window), limit: 1, offset: 0 })).total;
  }
}
