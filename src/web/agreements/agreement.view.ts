import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import type { Actor } from '../../access/actor.js';
import { isAdmin, isHeadOf } from '../../access/permissions.js';
import type { FieldErrors } from '../../common/errors.js';
import { describeInstant } from '../../common/instant-format.js';
import { formatDate } from '../../i18n/formats.js';
import { describeConversionTerms, targetName, type EventFilter } from '../../agreements/domain/agreement-terms.js';
import type { ClockView, ComplianceView } from '../../tracking/tracking.dto.js';
import { FORMER_MEMBER, type Directory } from '../directory.js';
import { formatMatch, windowLabel, type DayWindow } from './agreement-form.js';
import { ENGLISH, type Reader } from './reader.js';

/**
 * What the agreement list and detail pages show, shaped from the API's views and what
 * AgreementPageData loaded: the templates are strict, so every key a template reads is present.
 */

export const STATUS_LABELS: Record<string, { label: string; badge: string }> = {
  draft: { label: 'Draft', badge: '' },
  proposed: { label: 'Proposed', badge: 'warn' },
  active: { label: 'In force', badge: 'good' },
  superseded: { label: 'Superseded', badge: '' },
  retired: { label: 'Retired', badge: '' },
};

export const KIND_LABELS: Record<string, string> = { response: 'Response time', quota: 'Quota', conversion: 'Conversion (shared KPI)' };

/** A status's label and badge for a reader (agreements.status.*); an unknown status shows as it is. */
export function statusOf(status: string, reader: Reader): { label: string; badge: string } {
  const known = STATUS_LABELS[status];
  return known ? { label: reader.t(`agreements.status.${status}`), badge: known.badge } : { label: status, badge: '' };
}

export function kindOf(kind: string, reader: Reader): string {
  return KIND_LABELS[kind] ? reader.t(`agreements.kind.${kind}`) : kind;
}

/** The events of a response agreement's terms, in the order the pages list them (agreements.filter.*). */
const FILTERS = ['startOn', 'stopOn', 'pauseOn', 'resumeOn', 'cancelOn'] as const;

/** An event type as pages show it: its readable name when it has one, the type itself always (integrators read it). */
export function eventTypeShown(type: string, reader: Reader) {
  const typeName = reader.typeName(type);
  return { type, typeName, named: typeName !== type };
}

/** How the agreement pages show a person removed since they approved. */

/** The clocks listed under the figures: the most recent of the period; the figures count them all. */
export const CLOCKS_SHOWN = 50;

/** Names of the things agreements refer to by id, looked up once per page. */
export interface Names {
  department(id: string | null): string;
  calendar(id: string | null): string;
  stage(id: string | null): string | null;
  /** A stage's own name ("SQL"), for terms read as a sentence; its id when it names none. */
  stageName(id: string): string;
}

/** When a clock started now on a calendar would fall due (loaded beforehand), or null when that cannot be said. */
export type DueNow = (calendarId: string, within: string) => string | null;

/** The comment box of the approve and reject forms, as typed and as refused. */
export interface Decision {
  values: { comment: string };
  errors: FieldErrors | null;
}

/** Display only: the services check again and refuse with a ForbiddenError. */
export function actionsFor(actor: Actor, agreement: AgreementView) {
  const party = [agreement.providerDepartmentId, agreement.consumerDepartmentId].find((department) => isHeadOf(actor, department)) ?? null;
  const change = agreement.status !== 'retired' && (isAdmin(actor) || party !== null);
  const pending = agreement.pending;
  const decide = pending?.status === 'proposed' && party !== null;
  return {
    change,
    propose: change && pending?.status === 'draft',
    decide,
    approve: decide && !!pending && pending.awaitingDepartmentIds.includes(party as string),
  };
}

export function mayDraft(actor: Actor): boolean {
  return isAdmin(actor) || actor.role === 'head';
}

/** One row of the list of agreements. */
export function listItem(agreement: AgreementView, names: Names, reader: Reader = ENGLISH) {
  const status = statusOf(agreement.status, reader);
  return {
    id: agreement.id,
    name: agreement.name,
    kind: kindOf(agreement.kind, reader),
    status: status.label,
    badge: status.badge,
    provider: names.department(agreement.providerDepartmentId),
    consumer: names.department(agreement.consumerDepartmentId),
    inForceSince: agreement.inForce?.activeFrom ?? null,
    pending: agreement.pending ? { number: agreement.pending.number, status: reader.t(`agreements.statusInline.${agreement.pending.status}`) } : null,
  };
}

/** A version's terms as the pages show them, with the due time of each target if a lead arrived now. */
export function versionBlock(version: VersionView, names: Names, people: Directory, dueNow: DueNow, unseen: ReadonlySet<string> = new Set(), reader: Reader = ENGLISH) {
  const response = version.response;
  const status = statusOf(version.status, reader);
  // `condition` rather than `when`: in a template `{{when}}` would call the date helper of that name.
  const filter = (label: string, value: EventFilter | undefined) =>
    value ? { label, ...eventTypeShown(value.type, reader), unseen: unseen.has(value.type), condition: formatMatch(value.when) || null } : null;
  return {
    id: version.id,
    number: version.number,
    status: version.status,
    statusLabel: status.label,
    statusBadge: status.badge,
    name: version.name,
    calendar: names.calendar(version.calendarId),
    stage: names.stage(version.stageId),
    createdAt: version.createdAt,
    proposedAt: version.proposedAt,
    activeFrom: version.activeFrom,
    activeUntil: version.activeUntil,
    measureFrom: version.measureFrom,
    response: response
      ? {
          events: FILTERS.map((key) => filter(reader.t(`agreements.filter.${key}`), (response as unknown as Record<string, EventFilter | undefined>)[key]))
            .filter((row) => row !== null),
          targets: response.targets.map((target) => ({
            name: targetName(target),
            condition: formatMatch(target.when) || null,
            within: reader.within(target.within),
            iso: target.within,
            dueNow: dueNow(version.calendarId, target.within),
          })),
          goalPercent: response.goalPercent,
          warnAtPercent: response.warnAtPercent ?? null,
        }
      : null,
    quota: version.quota
      ? {
          countOn: version.quota.countOn.type,
          typeName: reader.typeName(version.quota.countOn.type),
          named: reader.typeName(version.quota.countOn.type) !== version.quota.countOn.type,
          unseen: unseen.has(version.quota.countOn.type),
          condition: formatMatch(version.quota.countOn.when) || null,
          period: version.quota.period,
          minimum: version.quota.minimum,
        }
      : null,
    conversion: version.conversion
      ? {
          summary:
            reader.locale === 'en'
              ? describeConversionTerms(version.conversion, (id) => names.stageName(id))
              : reader.t('agreements.terms.conversionSummary', {
                  from: names.stageName(version.conversion.fromStageId),
                  to: names.stageName(version.conversion.toStageId),
                  within: reader.within(version.conversion.within),
                  minimum: version.conversion.minimumPercent,
                  period: version.conversion.period,
                }),
          from: names.stageName(version.conversion.fromStageId),
          to: names.stageName(version.conversion.toStageId),
          within: reader.within(version.conversion.within),
          period: version.conversion.period,
          minimumPercent: version.conversion.minimumPercent,
        }
      : null,
    approvals: version.approvals.map((approval) => ({
      department: names.department(approval.departmentId),
      person: people.memberName(approval.personId) ?? (reader.locale === 'en' ? FORMER_MEMBER : reader.t('agreements.decisions.formerMember')),
      approved: approval.decision === 'approve',
      comment: approval.comment,
      at: approval.at,
      round: approval.proposalRound,
    })),
    awaiting: version.awaitingDepartmentIds.map((id) => names.department(id)),
    awaitingText: new Intl.ListFormat(reader.locale, { type: 'conjunction' }).format(version.awaitingDepartmentIds.map((id) => names.department(id))),
  };
}

/** The figures of a period (live) or of a replay, with their badges. */
export function figures(view: ComplianceView, reader: Reader = ENGLISH) {
  return {
    kind: view.kind,
    version: view.version,
    from: view.from,
    to: view.to,
    total: view.total,
    met: view.met,
    breached: view.breached,
    breachedOpen: view.breachedOpen,
    running: view.running,
    paused: view.paused,
    cancelled: view.cancelled,
    metPercent: view.metPercent,
    medianSeconds: view.medianSeconds,
    p90Seconds: view.p90Seconds,
    goalPercent: view.goalPercent,
    goalMet: view.goalMet,
    goalBadge: view.goalMet === true ? 'good' : view.goalMet === false ? 'bad' : '',
    targets: view.targets.map((target) => ({ ...target })),
    periods: view.periods.map((period) => ({
      ...period,
      status: reader.t(`agreements.periodStatus.${period.status}`),
      pace: period.pace && period.projected !== null ? reader.t('agreements.figures.pace', { projected: period.projected, minimum: period.minimum }) : period.pace,
      badge: period.status === 'met' ? 'good' : period.status === 'missed' ? 'bad' : 'warn',
    })),
    // `share`: in a template, `percent` is the helper of that name.
    conversionPeriods: (view.conversionPeriods ?? []).map((period) => ({
      ...period,
      status: reader.t(`agreements.periodStatus.${period.status}`),
      share: period.percent,
      badge: period.status === 'met' ? 'good' : period.status === 'missed' ? 'bad' : 'warn',
    })),
  };
}

/** How many periods before the running one a conversion agreement's page shows: they close after they end. */
export const CONVERSION_PERIODS_BEFORE = 2;

export function periodLabel(period: string, from: string, zone: string, before = 0, reader: Reader = ENGLISH): string {
  const start = reader.locale === 'en' ? describeInstant(from, zone).split(',')[0] : formatDate(from, zone, reader.locale, 'medium');
  if (before > 0) return reader.t('agreements.period.last', { count: before + 1, period, start });
  return reader.t('agreements.period.this', { period, start });
}

/** The clocks behind the figures: those started in the window, latest first, at most CLOCKS_SHOWN of them. */
export function clockRows(latest: ClockView[], window: { from: string; to: string }, reader: Reader = ENGLISH) {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  return latest
    .filter((clock) => clock.state !== 'void' && Date.parse(clock.startedAt) >= from && Date.parse(clock.startedAt) < to)
    .reverse()
    .slice(0, CLOCKS_SHOWN)
    .map((clock) => ({
      subject: clock.subject,
      cycle: clock.cycle,
      target: clock.targetName,
      version: clock.versionNumber,
      startedAt: clock.startedAt,
      dueAt: clock.dueAt,
      stoppedAt: clock.stoppedAt,
      // A breached clock nobody stopped is what a head must chase: say so instead of "running".
      state: reader.t(`agreements.clockState.${clock.outcome === 'breached' && (clock.state === 'running' || clock.state === 'paused') ? 'openPastDue' : clock.state}`),
      outcome: reader.t(`agreements.outcome.${clock.outcome}`),
      badge: clock.outcome === 'met' ? 'good' : clock.outcome === 'breached' ? 'bad' : '',
      elapsedSeconds: clock.elapsedSeconds,
      steps: clock.steps.map((step) => ({ action: reader.t(`agreements.step.${step.action}`), at: step.at, eventType: reader.typeName(step.eventType) })),
    }));
}

/** This period's figures, once the agreement has been in force: what AgreementPageData.live loaded. */
export interface LiveData {
  period: string;
  /** How many periods before the running one the window reaches back (conversion agreements). */
  before?: number;
  window: { from: string; to: string };
  figures: ComplianceView;
  /** The latest clocks of a response agreement (null for a quota). */
  clocks: ClockView[] | null;
}

export function livePanel(live: LiveData | null, zone: string, reader: Reader = ENGLISH) {
  if (!live) return { figures: null, clocks: null };
  let clocks = null;
  if (live.clocks) {
    const items = clockRows(live.clocks, live.window, reader);
    clocks = { items, shown: items.length, counted: live.figures.total };
  }
  return { figures: { ...figures(live.figures, reader), label: periodLabel(live.period, live.window.from, zone, live.before ?? 0, reader) }, clocks };
}

/** "Last quarter under these terms": the days and version asked for, and what the replay gave or why it could not run. */
export interface ReplayData {
  days: DayWindow;
  version: string;
  errors: FieldErrors;
  result: ComplianceView | null;
}

export function replayPanel(agreement: AgreementView, versions: VersionView[], replay: ReplayData, reader: Reader = ENGLISH) {
  const replayed = agreement.pending ?? agreement.inForce;
  const option = (version: { number: number; status: string }) => reader.t('agreements.replay.versionOption', { number: version.number, status: reader.t(`agreements.statusInline.${version.status}`) });
  const versionOptions = [
    { value: '', label: replayed ? option(replayed) : reader.t('agreements.replay.latest') },
    ...[...versions].reverse().map((version) => ({ value: String(version.number), label: option(version) })),
  ];
  return {
    values: { from: replay.days.from, to: replay.days.to, version: replay.version },
    errors: Object.keys(replay.errors).length > 0 ? replay.errors : null,
    versionOptions,
    label: windowLabel(replay.days, reader),
    result: replay.result ? figures(replay.result, reader) : null,
  };
}

/** Everything the detail page is made of, as loaded. */
export interface DetailData {
  agreement: AgreementView;
  versions: VersionView[];
  names: Names;
  /** The people who decided on a version. */
  people: Directory;
  dueNow: DueNow;
  live: LiveData | null;
  replay: ReplayData;
  now: Date;
  /** The event types the version in force or the pending one names that were never received. */
  unseenTypes?: string[];
}

/** The detail page: the agreement, its versions in force, pending and past, this period's figures and a replay. */
export function presentDetail(data: DetailData, actor: Actor, zone: string, decision: Decision, reader: Reader = ENGLISH) {
  const { agreement, versions, names } = data;
  const unseen = new Set(data.unseenTypes ?? []);
  // Past versions' types are history: only the terms in force or pending say a type never came.
  const block = (version: VersionView | null, current = true) => (version ? versionBlock(version, names, data.people, data.dueNow, current ? unseen : undefined, reader) : null);
  const live = livePanel(data.live, zone, reader);
  const status = statusOf(agreement.status, reader);
  return {
    agreement: {
      id: agreement.id,
      name: agreement.name,
      kind: kindOf(agreement.kind, reader),
      status: status.label,
      badge: status.badge,
      inForce: agreement.inForce !== null,
      provider: names.department(agreement.providerDepartmentId),
      consumer: names.department(agreement.consumerDepartmentId),
    },
    current: block(agreement.inForce),
    pending: block(agreement.pending),
    history: [...versions].reverse().map((version) => block(version, false)),
    can: actionsFor(actor, agreement),
    decision,
    live: live.figures,
    clocks: live.clocks,
    replay: replayPanel(agreement, versions, data.replay, reader),
    zone,
    nowText: reader.instant(data.now, zone),
  };
}
