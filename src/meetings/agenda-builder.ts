import { Injectable } from '@nestjs/common';
import { type EntityManager, In, LessThan } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { BriefEntry } from '../briefs/brief-entry.entity.js';
import { Brief } from '../briefs/brief.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { newId } from '../common/ids.js';
import { BreachReview } from '../tracking/breach-explanation.entity.js';
import { Breach } from '../tracking/breach.entity.js';
import { ConversionCompliance } from '../tracking/conversion-compliance.js';
import { ConversionPeriod } from '../tracking/conversion-period.entity.js';
import { quotaPace } from '../tracking/domain/pacing.js';
import { QuotaPeriod } from '../tracking/quota-period.entity.js';
import type { ConversionPeriodView } from '../tracking/tracking.dto.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { peopleById } from './meeting-room.service.js';
import { AgendaItem, MeetingOutcome, type AgendaSource } from './meeting-records.entity.js';
import type { MeetingSeries } from './meeting-series.entity.js';
import { Meeting } from './meeting.entity.js';
import { isOverdue } from './domain/action-dates.js';

/**
 * Whether a series' meetings discuss an agreement: both its departments take part — or, for a
 * conversion KPI, which both departments own, either of them does.
 */
function concerns(series: Pick<MeetingSeries, 'departmentIds'>, agreement: Agreement): boolean {
  const provider = series.departmentIds.includes(agreement.providerDepartmentId);
  const consumer = series.departmentIds.includes(agreement.consumerDepartmentId);
  return agreement.kind === 'conversion' ? provider || consumer : provider && consumer;
}

/** "2026-11: 8 of 20 converted (40 %)": what a missed conversion period is about. */
function conversionSubject(period: ConversionPeriod): string {
  const percent = period.cohort === 0 ? 0 : Math.round((period.converted * 10_000) / period.cohort) / 100;
  return `${period.label}: ${period.converted} of ${period.cohort} converted (${percent} %)`;
}

/** "2026-11 8 of 20 (40 %), missed", "2026-12 3 of 5 (60 %) so far, projected 55 %": one period of a shared KPI. */
function conversionPeriodWords(period: ConversionPeriodView): string {
  const figures = `${period.label} ${period.converted} of ${period.cohort}${period.percent === null ? '' : ` (${period.percent} %)`}`;
  if (period.status !== 'open') return `${figures}, ${period.status}`;
  return `${figures} so far${period.projected === null ? '' : `, projected ${period.projected} %`}`;
}

/**
 * Agenda titles are at most 300 characters. A generated item keeps its English title (the record)
 * and, in its details, the catalogue message that says it again in a reader's language
 * (`details.message`: key and values), which `{{agendaTitle}}` shows to readers of other languages.
 */
const TITLE_LENGTH = 300;
const fitTitle = (title: string) => (title.length <= TITLE_LENGTH ? title : `${title.slice(0, TITLE_LENGTH - 1)}…`);

interface DraftItem {
  source: AgendaSource;
  title: string;
  details: object | null;
}

/**
 * The agenda a chair needs, built from the data: breaches since the previous meeting grouped by
 * agreement (unexplained first; disputed explanations carried until accepted; a missed conversion
 * KPI on the agenda of either of its two departments), quota status and pace, where each shared
 * (conversion) KPI stands, open action items carried over from
 * earlier meetings, briefs submitted or returned since last time — then the series' standing
 * items; items added by hand are kept when the agenda is rebuilt.
 */
@Injectable()
export class AgendaBuilder {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
    private readonly conversions: ConversionCompliance,
  ) {}

  async build(manager: EntityManager, series: MeetingSeries, meeting: Meeting): Promise<void> {
    const previous = await manager.findOne(Meeting, {
      where: { seriesId: series.id, status: In(['scheduled', 'held']), startsAt: LessThan(meeting.startsAt) },
      order: { startsAt: 'DESC' },
    });
    const since = previous?.startsAt ?? series.createdAt;
    const agreements = (await manager.find(Agreement)).filter((agreement) => concerns(series, agreement));
    const items: DraftItem[] = [
      ...(await this.breaches(manager, agreements, since, meeting.startsAt)),
      ...(await this.quotas(manager, agreements, meeting.startsAt)),
      ...(await this.sharedKpis(manager, agreements)),
      ...(await this.actions(manager, series, meeting)),
      ...(await this.briefs(manager, series, since, meeting.startsAt)),
      ...series.agendaTemplate.map((title) => ({ source: 'template' as const, title, details: null })),
    ];
    const manual = await manager.find(AgendaItem, { where: { meetingId: meeting.id, source: 'manual' }, order: { position: 'ASC' } });
    await manager.delete(AgendaItem, { meetingId: meeting.id, source: In(['breaches', 'quotas', 'kpis', 'actions', 'briefs', 'template']) });
    let position = 0;
    for (const item of items) {
      position += 1;
      await manager.insert(AgendaItem, { id: newId(), meetingId: meeting.id, position, source: item.source, title: item.title, details: item.details, notes: null });
    }
    for (const item of manual) {
      position += 1;
      item.position = position;
      await manager.save(AgendaItem, item);
    }
  }

  /**
   * Breaches due since the previous meeting, and — whatever their date — those whose explanation
   * the consumer head disputed and has not accepted since (reopened by an edit, still carried).
   */
  private async breaches(manager: EntityManager, agreements: Agreement[], since: Date, until: Date): Promise<DraftItem[]> {
    if (agreements.length === 0) return [];
    const all = (await manager.find(Breach, { where: { agreementId: In(agreements.map((a) => a.id)) }, order: { dueAt: 'ASC' } })).filter(
      (breach) => !breach.withdrawnAt && breach.dueAt < until,
    );
    const reopened = all.filter((breach) => breach.reviewStatus === 'pending' && breach.dueAt < since).map((breach) => breach.id);
    const everDisputed = new Set(
      reopened.length
        ? (await manager.find(BreachReview, { where: { breachId: In(reopened), verdict: 'disputed' } })).map((review) => review.breachId)
        : [],
    );
    const disputed = (breach: Breach) => breach.reviewStatus === 'disputed' || (breach.reviewStatus === 'pending' && everDisputed.has(breach.id));
    const breaches = all.filter((breach) => breach.dueAt >= since || disputed(breach));
    const versions = new Map((await manager.find(AgreementVersion, { where: { id: In([...breaches.map((b) => b.versionId), '']) } })).map((v) => [v.id, v]));
    const owners = await peopleById(manager, breaches.map((b) => b.ownerId));
    const conversionIds = breaches.map((b) => b.conversionPeriodId).filter((id): id is string => id !== null);
    const conversions = new Map((conversionIds.length ? await manager.find(ConversionPeriod, { where: { id: In(conversionIds) } }) : []).map((p) => [p.id, p]));
    const byAgreement = new Map<string, Breach[]>();
    for (const breach of breaches) byAgreement.set(breach.agreementId, [...(byAgreement.get(breach.agreementId) ?? []), breach]);
    return [...byAgreement.values()].map((list) => {
      const name = versions.get(list[0].versionId)?.name ?? 'agreement';
      const unexplained = list.filter((b) => !b.explainedAt).length;
      const disputedCount = list.filter((b) => b.reviewStatus === 'disputed').length;
      list.sort((a, b) => Number(!!a.explainedAt) - Number(!!b.explainedAt) || a.dueAt.getTime() - b.dueAt.getTime());
      return {
        source: 'breaches' as const,
        title: `Breaches of "${name}": ${list.length}, ${unexplained} unexplained${disputedCount ? `, ${disputedCount} disputed` : ''}`,
        details: {
          message: { key: disputedCount ? 'meetings.agendaTitle.breachesDisputed' : 'meetings.agendaTitle.breaches', values: { name, count: list.length, unexplained, disputed: disputedCount } },
          agreementId: list[0].agreementId,
          breaches: list.map((breach) => ({
            id: breach.id,
            subject: breach.subject ?? (breach.conversionPeriodId && conversions.has(breach.conversionPeriodId) ? conversionSubject(conversions.get(breach.conversionPeriodId) as ConversionPeriod) : null),
            dueAt: breach.dueAt.toISOString(),
            owner: breach.ownerId ? (owners.get(breach.ownerId)?.name ?? null) : null,
            explained: !!breach.explainedAt,
            cause: breach.cause,
            correctiveAction: breach.correctiveAction,
            reviewStatus: breach.reviewStatus,
            // On the agenda because its explanation is in dispute, not because it is recent.
            carriedOver: breach.dueAt < since,
          })),
        },
      };
    });
  }

  private async quotas(manager: EntityManager, agreements: Agreement[], at: Date): Promise<DraftItem[]> {
    const quota = agreements.filter((a) => a.kind === 'quota' && a.status === 'active');
    const items: DraftItem[] = [];
    for (const agreement of quota) {
      const periods = await manager.find(QuotaPeriod, { where: { agreementId: agreement.id }, order: { periodStart: 'DESC' }, take: 2 });
      if (periods.length === 0) continue;
      const version = await manager.findOneOrFail(AgreementVersion, { where: { id: periods[0].versionId } });
      const calendar = await this.calendars.businessCalendar(version.calendarId);
      const rows = periods.reverse().map((period) => {
        const pace = period.status === 'open' ? quotaPace(calendar, period.count, period.minimum, period.periodStart.getTime(), period.periodEnd.getTime(), at.getTime()) : null;
        return { label: period.label, count: period.count, minimum: period.minimum, status: period.status, projected: pace?.projected ?? null };
      });
      const running = rows.find((row) => row.status === 'open');
      items.push({
        source: 'quotas',
        title: `Quota "${version.name}": ${rows.map((r) => `${r.label} ${r.count} of ${r.minimum}${r.status === 'open' ? (r.projected !== null ? ` (at this pace ${r.projected})` : '') : `, ${r.status}`}`).join('; ')}`,
        details: { message: { key: 'meetings.agendaTitle.quota', values: { name: version.name } }, agreementId: agreement.id, periods: rows, onTrack: running?.projected != null ? running.projected >= running.minimum : null },
      });
    }
    return items;
  }

  /**
   * Where each shared KPI in force stands: its open periods — the running one, and an ended one
   * whose last window still runs, with the share it is heading for — and the last one closed.
   * Figures as of now (a projection cannot look further): the agenda is rebuilt before the meeting.
   */
  private async sharedKpis(manager: EntityManager, agreements: Agreement[]): Promise<DraftItem[]> {
    const kpis = agreements.filter((a) => a.kind === 'conversion' && a.status === 'active');
    if (kpis.length === 0) return [];
    const stageNames = new Map((await manager.find(FunnelStage, { select: { id: true, name: true } })).map((stage) => [stage.id, stage.name]));
    const items: DraftItem[] = [];
    for (const agreement of kpis) {
      const periods = await this.conversions.latest(manager, agreement.id);
      const version = await manager.findOne(AgreementVersion, { where: { agreementId: agreement.id, status: 'active' } });
      if (periods.length === 0 || !version?.conversion) continue;
      const fromStage = stageNames.get(version.conversion.fromStageId) ?? version.conversion.fromStageId;
      const toStage = stageNames.get(version.conversion.toStageId) ?? version.conversion.toStageId;
      const rows = periods.map((period) => ({
        label: period.label,
        cohort: period.cohort,
        converted: period.converted,
        percent: period.percent,
        minimumPercent: period.minimumPercent,
        status: period.status,
        projected: period.projected,
        closesAt: period.closesAt,
        onTrack: period.status === 'open' ? (period.projected === null ? null : period.projected >= period.minimumPercent) : period.status === 'met',
      }));
      items.push({
        source: 'kpis',
        title: fitTitle(
          `Shared KPI "${version.name}" (${fromStage} → ${toStage}, at least ${version.conversion.minimumPercent} %): ${periods.map(conversionPeriodWords).join('; ')}`,
        ),
        details: { message: { key: 'meetings.agendaTitle.kpi', values: { name: version.name, from: fromStage, to: toStage, minimum: version.conversion.minimumPercent } }, agreementId: agreement.id, fromStage, toStage, periods: rows },
      });
    }
    return items;
  }

  private async actions(manager: EntityManager, series: MeetingSeries, meeting: Meeting): Promise<DraftItem[]> {
    const open = (await manager.find(MeetingOutcome, { where: { seriesId: series.id, type: 'action', status: 'open' }, order: { dueOn: 'ASC' } })).filter(
      (action) => action.meetingId !== meeting.id,
    );
    if (open.length === 0) return [];
    const owners = await peopleById(manager, open.map((a) => a.ownerId));
    const now = this.clock.now();
    return [
      {
        source: 'actions',
        title: `Open action items carried over: ${open.length}`,
        details: {
          message: { key: 'meetings.agendaTitle.actions', values: { count: open.length } },
          actions: open.map((action) => ({
            id: action.id,
            text: action.text,
            owner: action.ownerId ? (owners.get(action.ownerId)?.name ?? null) : null,
            dueOn: action.dueOn,
            overdue: isOverdue(action.dueOn, now, (action.ownerId ? owners.get(action.ownerId)?.timezone : undefined) ?? series.timezone),
          })),
        },
      },
    ];
  }

  private async briefs(manager: EntityManager, series: MeetingSeries, since: Date, until: Date): Promise<DraftItem[]> {
    const briefs = (await manager.find(Brief)).filter(
      (brief) => series.departmentIds.includes(brief.requesterDepartmentId) && series.departmentIds.includes(brief.recipientDepartmentId),
    );
    if (briefs.length === 0) return [];
    const steps = (await manager.find(BriefEntry, { where: { briefId: In(briefs.map((b) => b.id)), kind: 'step' }, order: { at: 'ASC' } })).filter(
      (step) => (step.toStatus === 'submitted' || step.toStatus === 'returned') && step.at >= since && step.at < until,
    );
    if (steps.length === 0) return [];
    const byId = new Map(briefs.map((brief) => [brief.id, brief]));
    const latest = new Map<string, BriefEntry>();
    for (const step of steps) latest.set(step.briefId, step);
    return [
      {
        source: 'briefs',
        title: `Briefs submitted or returned since the last meeting: ${latest.size}`,
        details: {
          message: { key: 'meetings.agendaTitle.briefs', values: { count: latest.size } },
          briefs: [...latest.values()].map((step) => ({
            id: step.briefId,
            title: byId.get(step.briefId)?.title ?? '',
            status: byId.get(step.briefId)?.status ?? step.toStatus,
            lastStep: step.toStatus,
            at: step.at.toISOString(),
            comment: step.body,
          })),
        },
      },
    ];
  }
}
