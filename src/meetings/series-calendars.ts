import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CalendarUsers, type CalendarDeletionGuard } from '../calendars/calendar-users.js';
import type { Calendar } from '../calendars/calendar.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { DueWork } from '../common/due-work.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { MeetingInvitations } from './calendar/meeting-invitations.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { SeriesPlanner } from './series-planner.js';

/**
 * Meeting series on business calendars, kept in step with them. Calendars lie below meetings, so
 * they do not know of series: a change of a calendar comes through CalendarsService.changes and
 * re-plans, at once, the meetings to come of every active series on it (invitations follow when
 * a meeting moved). Each round of due work catches up a series planned on an older version of
 * its calendar — a re-planning that failed, or a change this instance did not see. A calendar
 * that series are planned on cannot be deleted.
 */
@Injectable()
export class SeriesCalendars implements OnModuleInit, OnModuleDestroy, CalendarDeletionGuard {
  private readonly logger = new Logger(SeriesCalendars.name);
  private calendarChanges?: Subscription;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsService,
    private readonly calendarUsers: CalendarUsers,
    private readonly planner: SeriesPlanner,
    private readonly invitations: MeetingInvitations,
    private readonly audit: AuditService,
    private readonly dueWork: DueWork,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.calendarUsers.registerDeletionGuard(this);
    this.dueWork.register({
      name: 'meeting series re-planning',
      phase: 'facts',
      counts: ['meetingSeriesReplanned'],
      run: async () => ({ meetingSeriesReplanned: await this.replanStale() }),
    });
    this.calendarChanges = this.calendars.changes.subscribe((calendarId) => {
      this.replanStale(calendarId).catch((error: unknown) =>
        this.logger.error(`re-planning the meetings on calendar ${calendarId} failed; the next round of due work retries`, error as Error),
      );
    });
  }

  onModuleDestroy(): void {
    this.calendarChanges?.unsubscribe();
  }

  async deletionRefusal(manager: EntityManager, calendar: Calendar): Promise<string | null> {
    const series = await manager.find(MeetingSeries, { select: { title: true }, where: { calendarId: calendar.id }, order: { title: 'ASC' }, take: 3 });
    if (series.length === 0) return null;
    return `calendar ${calendar.name} places the meetings of ${series.map((one) => `“${one.title}”`).join(', ')}; give them another calendar first`;
  }

  /**
   * Re-plans every active series (on one calendar, or on any) planned on an older version of its
   * calendar; answers how many series had a meeting move, appear or go. A series that fails is
   * logged and left on its old version, so the next round retries it; the others go on.
   */
  async replanStale(calendarId?: string): Promise<number> {
    const dialect = SqlDialect.of(this.dataSource.manager);
    const stale = await SqlDialect.rows<{ id: string; version: number }>(
      this.dataSource.manager,
      `SELECT s.id, c.version FROM meeting_series s JOIN calendars c ON c.id = s.calendar_id
       WHERE s.status = 'active' AND (s.calendar_version IS NULL OR s.calendar_version <> c.version)${calendarId ? ` AND c.id = ${dialect.param(1)}` : ''}`,
      calendarId ? [calendarId] : [],
    );
    let replanned = 0;
    for (const { id, version } of stale) {
      try {
        if (await this.replan(id, Number(version))) replanned += 1;
      } catch (error) {
        this.logger.error(`re-planning meeting series ${id} on calendar version ${version} failed; the next round of due work retries`, error instanceof Error ? error.stack : String(error));
      }
    }
    return replanned;
  }

  /** One series on the calendar version given, unless another planning got there first; whether anything changed. */
  private async replan(seriesId: string, version: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // The claim: of two instances (or a change and a round) re-planning the same version, one does.
      const claimed = await manager
        .createQueryBuilder()
        .update(MeetingSeries)
        .set({ calendarVersion: version })
        .where('id = :seriesId AND status = :active AND (calendar_version IS NULL OR calendar_version <> :version)', { seriesId, active: 'active', version })
        .execute();
      if (!claimed.affected) return false;
      const series = await manager.findOneByOrFail(MeetingSeries, { id: seriesId });
      if (!(await this.planner.plan(manager, series))) return false;
      series.sequence += 1;
      series.updatedAt = this.clock.now();
      await manager.save(MeetingSeries, series);
      await this.invitations.seriesChanged(manager, series);
      await this.audit.record(manager, null, 'update', 'meeting-series', seriesId, null, { replannedOn: { calendarId: series.calendarId, version: series.calendarVersion } });
      return true;
    });
  }
}
