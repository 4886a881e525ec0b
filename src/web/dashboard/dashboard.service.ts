import { Injectable } from '@nestjs/common';
import { AgreementsService } from '../../agreements/agreements.service.js';
import type { AgreementView } from '../../agreements/agreements.dto.js';
import type { Actor } from '../../access/actor.js';
import { Clock } from '../../common/clock.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { MeetingRoomService } from '../../meetings/meeting-room.service.js';
import { MeetingSeriesService } from '../../meetings/meeting-series.service.js';
import { MeetingsService } from '../../meetings/meetings.service.js';
import { OutboxService } from '../../notifications/outbox.service.js';
import type { MeetingView, OutcomeView } from '../../meetings/meeting-room.dto.js';
import type { SeriesView } from '../../meetings/meetings.dto.js';
import { BreachesService } from '../../tracking/breaches.service.js';
import { ComplianceService } from '../../tracking/compliance.service.js';
import type { BreachView, ComplianceView, QuotaPeriodView } from '../../tracking/tracking.dto.js';
import { undeliveredScope } from '../outbox/undelivered-scope.js';
import { monthWindows, type MonthWindow } from './month-windows.js';

export interface ComplianceColumn {
  label: string;
  percent: number | null;
  /** Height of the column, 0–100, and whether it reached the goal. */
  height: number;
  state: 'good' | 'bad' | 'none';
}

export interface AgreementCard {
  id: string;
  name: string;
  kind: 'response' | 'quota';
  role: 'provider' | 'consumer' | 'both';
  goalPercent: number | null;
  thisPeriod: ComplianceColumn;
  /** Response agreements: this month's clocks, each in one part, as the compliance API counts them. */
  clocks: Pick<ComplianceView, 'total' | 'met' | 'breached' | 'breachedOpen' | 'running' | 'paused' | 'cancelled'> | null;
  history: ComplianceColumn[];
  quota: (QuotaPeriodView & { percent: number; projectedPercent: number }) | null;
}

export interface Dashboard {
  agreements: AgreementCard[];
  awaitingMe: { id: string; name: string }[];
  breaches: BreachView[];
  breachesTotal: number;
  actions: OutcomeView[];
  nextMeeting: MeetingView | null;
  nextMeetingZone: string | null;
  /** "2 emails could not be delivered", for admins (all) and heads (to their department's people); null when none. */
  undelivered: string | null;
}

const HISTORY_MONTHS = 6;

/**
 * What a person sees first: the agreements that concern their department (this month against
 * the goal, and the six months before), open and unexplained breaches, quota pace, their open
 * action items, the next joint meeting with its agenda, and for admins and heads the emails the
 * outbox gave up on. Figures come from the same services as the API and the reports, so the page
 * and the breach report never disagree.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly compliance: ComplianceService,
    private readonly breaches: BreachesService,
    private readonly room: MeetingRoomService,
    private readonly meetings: MeetingsService,
    private readonly series: MeetingSeriesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async build(actor: Actor, zone: string): Promise<Dashboard> {
    const department = actor.departmentId ?? undefined;
    const now = this.clock.now();
    const windows = monthWindows(now, zone, HISTORY_MONTHS + 1);
    const agreementPage = await this.agreements.list({ limit: MAX_PAGE_SIZE, offset: 0, departmentId: department });
    const undeliveredOf = undeliveredScope(actor);
    const [cards, breachPage, actions, next, undelivered] = await Promise.all([
      Promise.all(agreementPage.items.filter((agreement) => agreement.inForce).map((agreement) => this.card(agreement, department, windows))),
      this.breaches.list({ limit: 10, offset: 0, departmentId: department, explained: false, includeWithdrawn: false }),
      this.room.listActions({ limit: MAX_PAGE_SIZE, offset: 0, ownerId: actor.personId, status: 'open' }),
      this.nextMeeting(department, now),
      undeliveredOf ? this.outbox.countFailed(undeliveredOf.departmentId) : 0,
    ]);
    const awaitingMe =
      actor.role === 'head' && department
        ? agreementPage.items.filter((agreement) => agreement.pending?.awaitingDepartmentIds.includes(department)).map((agreement) => ({ id: agreement.id, name: agreement.pending?.name ?? agreement.name }))
        : [];
    return {
      agreements: cards,
      awaitingMe,
      breaches: breachPage.items,
      breachesTotal: breachPage.total,
      actions: actions.items,
      nextMeeting: next?.meeting ?? null,
      nextMeetingZone: next?.zone ?? null,
      undelivered: undelivered > 0 ? `${undelivered} ${undelivered === 1 ? 'email' : 'emails'} could not be delivered` : null,
    };
  }

  private async card(agreement: AgreementView, department: string | undefined, windows: MonthWindow[]): Promise<AgreementCard> {
    const terms = agreement.inForce;
    const goal = terms?.response?.goalPercent ?? null;
    const figures = await Promise.all(windows.map((window) => this.compliance.live(agreement.id, { from: window.from, to: window.to })));
    const columns = figures.map((figure, index): ComplianceColumn => {
      const percent = agreement.kind === 'quota' ? quotaPercent(figure.periods) : figure.metPercent;
      return {
        label: windows[index].label,
        percent,
        height: percent === null ? 0 : Math.max(2, Math.min(100, Math.round(percent))),
        state: percent === null ? 'none' : (agreement.kind === 'quota' ? percent >= 100 : goal === null || percent >= goal) ? 'good' : 'bad',
      };
    });
    const current = figures[figures.length - 1];
    const open = agreement.kind === 'quota' ? (current.periods.find((period) => period.status === 'open') ?? current.periods[current.periods.length - 1] ?? null) : null;
    return {
      id: agreement.id,
      name: agreement.name,
      kind: agreement.kind,
      role:
        department === undefined ? 'both' : agreement.providerDepartmentId === department && agreement.consumerDepartmentId === department ? 'both' : agreement.providerDepartmentId === department ? 'provider' : 'consumer',
      goalPercent: agreement.kind === 'quota' ? 100 : goal,
      thisPeriod: columns[columns.length - 1],
      clocks:
        agreement.kind === 'response'
          ? {
              total: current.total,
              met: current.met,
              breached: current.breached,
              breachedOpen: current.breachedOpen,
              running: current.running,
              paused: current.paused,
              cancelled: current.cancelled,
            }
          : null,
      history: columns.slice(0, -1),
      quota: open
        ? {
            ...open,
            percent: open.minimum > 0 ? Math.min(100, Math.round((open.count / open.minimum) * 100)) : 100,
            projectedPercent: open.minimum > 0 && open.projected !== null ? Math.min(100, Math.round((open.projected / open.minimum) * 100)) : 0,
          }
        : null,
    };
  }

  /** The next scheduled meeting of a series my department takes part in (any series for an admin). */
  private async nextMeeting(department: string | undefined, now: Date): Promise<{ meeting: MeetingView; zone: string } | null> {
    const upcoming = await this.meetings.list({ limit: 50, offset: 0, from: now.toISOString() });
    // Many upcoming meetings share a series: each series is read once, not once per meeting.
    const seriesById = new Map<string, Promise<SeriesView>>();
    for (const summary of upcoming.items) {
      if (summary.status !== 'scheduled') continue;
      if (!seriesById.has(summary.seriesId)) seriesById.set(summary.seriesId, this.series.get(summary.seriesId));
      const series = await (seriesById.get(summary.seriesId) as Promise<SeriesView>);
      if (department && !series.departmentIds.includes(department)) continue;
      return { meeting: await this.room.get(summary.id), zone: series.timezone };
    }
    return null;
  }
}

/** A quota month as a percentage of its minimum (the periods inside the month, summed). */
function quotaPercent(periods: QuotaPeriodView[]): number | null {
  if (periods.length === 0) return null;
  const minimum = periods.reduce((sum, period) => sum + period.minimum, 0);
  const count = periods.reduce((sum, period) => sum + period.count, 0);
  return minimum > 0 ? Math.round((count / minimum) * 1000) / 10 : null;
}

