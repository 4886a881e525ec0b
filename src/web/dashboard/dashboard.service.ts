import { Injectable } from '@nestjs/common';
import { AgreementsService } from '../../agreements/agreements.service.js';
import type { AgreementView } from '../../agreements/agreements.dto.js';
import type { Actor } from '../../access/actor.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { Clock } from '../../common/clock.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { MeetingRoomService } from '../../meetings/meeting-room.service.js';
import { MeetingSeriesService } from '../../meetings/meeting-series.service.js';
import { MeetingsService } from '../../meetings/meetings.service.js';
import { FunnelReportService } from '../../reports/funnel-report.service.js';
import { OutboxService } from '../../notifications/outbox.service.js';
import type { MeetingView } from '../../meetings/meeting-room.dto.js';
import type { SeriesView } from '../../meetings/meetings.dto.js';
import { BreachesService } from '../../tracking/breaches.service.js';
import { ComplianceService } from '../../tracking/compliance.service.js';
import type { ComplianceView } from '../../tracking/tracking.dto.js';
import { undeliveredScope } from '../outbox/undelivered-scope.js';
import type { DashboardData } from './dashboard.view.js';
import { monthWindows, type MonthWindow } from './month-windows.js';

const HISTORY_MONTHS = 6;
/** The funnel on the dashboard: the last 90 days, as the funnel page opens. */
const FUNNEL_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Loads what a person sees first (dashboard.view.ts shows it): the agreements that concern their
 * department with their compliance this month and the six months before (months of the agreement's calendar zone), open and unexplained
 * breaches, the funnel of the last 90 days by source, their open action items, the next joint meeting, and for admins and heads how many
 * emails the outbox gave up on. Figures come from the same services as the API and the reports,
 * so the page and the breach report never disagree.
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
    private readonly calendars: CalendarsService,
    private readonly funnel: FunnelReportService,
    private readonly clock: Clock,
  ) {}

  async load(actor: Actor, zone: string): Promise<DashboardData> {
    const department = actor.departmentId ?? undefined;
    const now = this.clock.now();
    const agreementPage = await this.agreements.list({ limit: MAX_PAGE_SIZE, offset: 0, departmentId: department });
    const undeliveredOf = undeliveredScope(actor);
    const [inForce, breaches, actions, nextMeeting, undelivered, funnel] = await Promise.all([
      Promise.all(agreementPage.items.filter((agreement) => agreement.inForce).map((agreement) => this.inForce(agreement, now))),
      this.breaches.list({ limit: 10, offset: 0, departmentId: department, explained: false, includeWithdrawn: false }),
      this.room.listActions({ limit: MAX_PAGE_SIZE, offset: 0, ownerId: actor.personId, status: 'open' }),
      this.nextMeeting(department, now),
      undeliveredOf ? this.outbox.countFailed(undeliveredOf.departmentId) : 0,
      // The organisation's funnel: the same report, so the same figures, for every reader.
      this.funnel.build({ from: new Date(now.getTime() - FUNNEL_DAYS * DAY_MS).toISOString(), to: now.toISOString(), by: 'source' }),
    ]);
    return { funnel, agreements: agreementPage.items, inForce, breaches, actions: actions.items, nextMeeting, undelivered };
  }

  /**
   * An agreement's compliance in each month, as the compliance API reads it live. Months are cut
   * in the agreement's calendar zone, as its quota periods are: both heads read the same figures,
   * whatever zone each of them lives in.
   */
  private async inForce(agreement: AgreementView, now: Date): Promise<{ agreement: AgreementView; windows: MonthWindow[]; figures: ComplianceView[] }> {
    const zone = (await this.calendars.businessCalendar((agreement.inForce as AgreementView['inForce'] & object).calendarId)).timezone;
    const windows = monthWindows(now, zone, HISTORY_MONTHS + 1);
    // The cards show parts and goals, no median or 90th percentile: those are left unread.
    const figures = await this.compliance.liveMany(
      agreement.id,
      windows.map((window) => ({ from: window.from, to: window.to })),
      'rollups',
      { percentiles: false },
    );
    return { agreement, windows, figures };
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
