import { Injectable } from '@nestjs/common';
import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { StagesService } from '../../agreements/stages.service.js';
import { namedTypes } from '../../agreements/event-type-sightings.js';
import { EventTypesService } from '../../connections/event-types.service.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { DueQuery } from '../../calendars/calendars.dto.js';
import { Clock } from '../../common/clock.js';
import { DomainError, type FieldErrors } from '../../common/errors.js';
import { ClocksService } from '../../tracking/clocks.service.js';
import { ComplianceService } from '../../tracking/compliance.service.js';
import { ReplayQuery } from '../../tracking/tracking.dto.js';
import { allPages } from '../all-pages.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, text, validated } from '../forms.js';
import { dayWindow, joinWithin, periodAround, previousQuarter, targetRowsOf, type AgreementFormValues } from './agreement-form.js';
import type { EditorData, Option } from './agreement-editor.view.js';
import { CONVERSION_PERIODS_BEFORE, type DetailData, type DueNow, type LiveData, type Names, type ReplayData } from './agreement.view.js';

/** How many of the latest clocks are read to find those of the period shown. */
const CLOCKS_SCANNED = 200;

/**
 * What the agreement pages show besides the agreement itself, loaded for the presenters
 * (agreement.view.ts, agreement-editor.view.ts): the names behind ids, the choices of the
 * editor's selects, due-time previews, this period's figures and a replay.
 */
@Injectable()
export class AgreementPageData {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly compliance: ComplianceService,
    private readonly clocks: ClocksService,
    private readonly calendars: CalendarsService,
    private readonly stages: StagesService,
    private readonly directory: DirectoryService,
    private readonly eventTypes: EventTypesService,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async options(): Promise<{ departments: Option[]; calendars: Option[]; stages: Option[] }> {
    const [directory, calendars, stages] = await Promise.all([
      this.directory.naming([]),
      allPages((window) => this.calendars.list(window)),
      allPages((window) => this.stages.list(window)),
    ]);
    return {
      departments: directory.departments.map((department) => ({ value: department.id, label: department.name })),
      calendars: calendars.map((calendar) => ({ value: calendar.id, label: `${calendar.name} (${calendar.timezone})` })),
      stages: stages.map((stage) => ({ value: stage.id, label: `${stage.position}. ${stage.name}` })),
    };
  }

  async names(): Promise<Names> {
    const [directory, { calendars, stages }, funnel] = await Promise.all([
      this.directory.naming([]),
      this.options(),
      allPages((window) => this.stages.list(window)),
    ]);
    const lookup = (options: Option[]) => new Map(options.map((option) => [option.value, option.label]));
    const [calendar, stage] = [lookup(calendars), lookup(stages)];
    const stageName = new Map(funnel.map((item) => [item.id, item.name]));
    return {
      department: (id) => (id ? directory.departmentName(id, id) : '–'),
      calendar: (id) => (id ? (calendar.get(id) ?? id) : '–'),
      stage: (id) => (id ? (stage.get(id) ?? id) : null),
      stageName: (id) => stageName.get(id) ?? id,
    };
  }

  /** When a clock started now on a calendar would fall due, or null when the duration or calendar does not allow saying. */
  async dueNow(calendarId: string, within: string): Promise<string | null> {
    if (!calendarId || !within) return null;
    try {
      return await this.due(calendarId, within);
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }

  /** The time zone of a calendar chosen in the editor, or `fallback` when none (or none such) is chosen. */
  async calendarZone(calendarId: string, fallback: string): Promise<string> {
    if (!calendarId) return fallback;
    try {
      return (await this.calendars.get(calendarId)).timezone;
    } catch (error) {
      if (error instanceof DomainError) return fallback;
      throw error;
    }
  }

  async due(calendarId: string, within: string): Promise<string> {
    return (await this.calendars.due(calendarId, await validated(DueQuery, { from: this.clock.now().toISOString(), duration: within }))).due;
  }

  async editor(agreement: AgreementView | null, values: AgreementFormValues, errors: FieldErrors | null, zone: string): Promise<EditorData> {
    const [options, names, dueTimes, calendarZone, eventTypes] = await Promise.all([
      this.options(),
      this.names(),
      Promise.all(targetRowsOf(values).map((target) => this.dueNow(values.calendarId, joinWithin(target.within, target.unit).iso))),
      this.calendarZone(values.calendarId, zone),
      this.eventTypes.list(),
    ]);
    return { agreement, values, errors, options, names, dueTimes, calendarZone, now: this.now(), eventTypes: eventTypes.items };
  }

  async detail(id: string, query: Record<string, unknown>, zone: string): Promise<DetailData> {
    const [agreement, versions, names] = await Promise.all([this.agreements.get(id), this.agreements.versions(id), this.names()]);
    const unseenTypes = await this.eventTypes.unseen(namedTypes(agreement));
    const people = await this.directory.naming(versions.flatMap((version) => version.approvals.map((approval) => approval.personId)));
    const [dueNow, live, replay] = await Promise.all([this.dueTimes([...versions, ...[agreement.inForce, agreement.pending].filter((version) => version !== null)]), this.live(agreement, zone), this.replay(agreement, query, zone)]);
    return { agreement, versions, names, people, dueNow, live, replay, now: this.now(), unseenTypes };
  }

  /** The due time of every target of these versions if a lead arrived now, looked up once each. */
  private async dueTimes(versions: VersionView[]): Promise<DueNow> {
    const key = (calendarId: string, within: string) => `${calendarId} ${within}`;
    const due = new Map<string, string | null>();
    for (const version of versions) {
      for (const target of version.response?.targets ?? []) {
        const wanted = key(version.calendarId, target.within);
        if (!due.has(wanted)) due.set(wanted, await this.dueNow(version.calendarId, target.within));
      }
    }
    return (calendarId, within) => due.get(key(calendarId, within)) ?? null;
  }

  /** This period's figures from the stored clocks or quota periods, once the agreement has been in force. */
  private async live(agreement: AgreementView, zone: string): Promise<LiveData | null> {
    const reference = agreement.inForce;
    if (!reference && agreement.status !== 'retired') return null;
    const terms = reference?.quota ?? reference?.conversion;
    const period = terms ? terms.period : 'month';
    // A conversion period closes after it ends: the ones before the running period are the news.
    const before = agreement.kind === 'conversion' ? CONVERSION_PERIODS_BEFORE : 0;
    const window = periodAround(this.now(), zone, period, before);
    const figures = await this.compliance.live(agreement.id, window);
    let clocks = null;
    if (agreement.kind === 'response') {
      const { total } = await this.clocks.list({ agreementId: agreement.id, limit: 1, offset: 0 });
      clocks = (await this.clocks.list({ agreementId: agreement.id, limit: CLOCKS_SCANNED, offset: Math.max(0, total - CLOCKS_SCANNED) })).items;
    }
    return { period, before, window, figures, clocks };
  }

  /** "Last quarter under these terms": a replay over the stored events of the days asked for (the previous quarter unless told). */
  private async replay(agreement: AgreementView, query: Record<string, unknown>, zone: string): Promise<ReplayData> {
    const defaults = previousQuarter(this.now(), zone);
    const days = { from: text(query.from) ?? defaults.from, to: text(query.to) ?? defaults.to };
    const version = text(query.version) ?? '';
    const { window, errors } = dayWindow(days, zone);
    if (!window) return { days, version, errors, result: null };
    try {
      const result = await this.compliance.replay(agreement.id, await validated(ReplayQuery, { ...window, ...(version ? { version } : {}) }));
      return { days, version, errors, result };
    } catch (error) {
      return { days, version, errors: formErrorsOf(error), result: null };
    }
  }
}
