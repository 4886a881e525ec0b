import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, Between, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/pagination.js';
import { MeetingInvitations } from './calendar/meeting-invitations.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { mayOrganise } from './domain/meeting-roles.js';
import { CALENDAR_YEARS, withinCalendarYears, type OpenDaysCalendar } from './domain/open-days.js';
import { summaryOf } from './meeting-series.service.js';
import { Meeting } from './meeting.entity.js';
import type { MeetingsQuery, MeetingSummary, MoveMeetingDto } from './meetings.dto.js';
import { SeriesPlanner } from './series-planner.js';

/**
 * One occurrence at a time: cancelled or moved without touching the series. A meeting the
 * series' calendar had moved is then the person's: calendar changes leave it where they put it.
 */
@Injectable()
export class MeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly invitations: MeetingInvitations,
    private readonly planner: SeriesPlanner,
  ) {}

  async list(query: MeetingsQuery): Promise<Page<MeetingSummary>> {
    const where: FindOptionsWhere<Meeting> = {};
    if (query.seriesId) where.seriesId = query.seriesId;
    if (query.from && query.to) where.startsAt = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.startsAt = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.startsAt = LessThan(new Date(query.to));
    const manager = this.dataSource.manager;
    const [meetings, total] = await manager.findAndCount(Meeting, { where, order: { startsAt: 'ASC', id: 'ASC' }, take: query.limit, skip: query.offset });
    const series = new Map((await manager.find(MeetingSeries, { where: { id: In([...new Set(meetings.map((m) => m.seriesId)), '']) } })).map((s) => [s.id, s]));
    const calendars = new Map<string, OpenDaysCalendar | null>();
    for (const one of series.values()) calendars.set(one.id, (await this.planner.calendarOf(manager, one))?.calendar ?? null);
    const items = meetings.map((meeting) => summaryOf(series.get(meeting.seriesId) as MeetingSeries, meeting, calendars.get(meeting.seriesId) ?? null));
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async cancel(actor: Actor, id: string): Promise<MeetingSummary> {
    return this.change(actor, id, 'cancel', async (_manager, _series, meeting) => {
      if (meeting.status !== 'scheduled') throw new ConflictError(`this meeting is ${meeting.status}; only a scheduled meeting can be cancelled`);
      meeting.status = 'cancelled';
    });
  }

  /** Moves one meeting; one whose minutes are final cannot move, and none moves into the past. */
  async move(actor: Actor, id: string, request: MoveMeetingDto): Promise<MeetingSummary> {
    return this.change(actor, id, 'move', async (_manager, series, meeting) => {
      const startsAt = new Date(request.startsAt);
      if (meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved') {
        throw new ConflictError('the minutes of this meeting are final: it happened when they say it did');
      }
      if (meeting.status === 'cancelled') throw new ConflictError('this meeting is cancelled');
      if (startsAt <= this.clock.now()) throw InvalidInputError.of('startsAt', 'startsAt must be in the future');
      if (series.calendarId !== null && !withinCalendarYears(startsAt.getTime())) {
        throw InvalidInputError.of('startsAt', `startsAt: a meeting on a business calendar must be in the years ${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last}`);
      }
      meeting.startsAt = startsAt;
      meeting.endsAt = new Date(startsAt.getTime() + series.durationMinutes * 60_000);
    });
  }

  async require(manager: EntityManager, id: string): Promise<{ meeting: Meeting; series: MeetingSeries }> {
    const meeting = await manager.findOne(Meeting, { where: { id } });
    if (!meeting) throw new NotFoundError('meeting', id);
    const series = await manager.findOneOrFail(MeetingSeries, { where: { id: meeting.seriesId } });
    return { meeting, series };
  }

  private async change(
    actor: Actor,
    id: string,
    action: 'cancel' | 'move',
    apply: (manager: EntityManager, series: MeetingSeries, meeting: Meeting) => Promise<void>,
  ): Promise<MeetingSummary> {
    return this.dataSource.transaction(async (manager) => {
      const { meeting, series } = await this.require(manager, id);
      if (!mayOrganise(actor, series)) throw new ForbiddenError(`only an admin or the head of one of its departments may ${action} a meeting`);
      const calendar = (await this.planner.calendarOf(manager, series))?.calendar ?? null;
      const before = summaryOf(series, meeting, calendar);
      await apply(manager, series, meeting);
      // Set by hand now, and remembered: the calendar no longer moves it back or on, even when
      // the person put it back on the rule's own time.
      const now = this.clock.now();
      meeting.calendarChange = null;
      meeting.setByHandAt = now;
      meeting.updatedAt = now;
      await manager.save(Meeting, meeting);
      // Calendars learn of the change through the series' SEQUENCE.
      series.sequence += 1;
      await manager.save(MeetingSeries, series);
      await this.invitations.seriesChanged(manager, series);
      const after = summaryOf(series, meeting, calendar);
      await this.audit.record(manager, actor, action, 'meeting', id, before, after);
      return after;
    });
  }
}
