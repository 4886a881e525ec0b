import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Calendar } from '../calendars/calendar.entity.js';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { MeetingInvitations } from './calendar/meeting-invitations.js';
import { mayOrganise } from './domain/meeting-roles.js';
import { closedReason, type OnClosedDay, type OpenDaysCalendar } from './domain/open-days.js';
import { checkRecurrence, RecurrenceError } from './domain/recurrence.js';
import { MeetingParticipant } from './meeting-participant.entity.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { Meeting } from './meeting.entity.js';
import type { CreateSeriesDto, MeetingSummary, ParticipantDto, SeriesView, UpdateSeriesDto } from './meetings.dto.js';
import { SeriesPlanner } from './series-planner.js';

/**
 * A meeting as the API shows it. With the series' calendar, `closedDay` says whether the calendar
 * is closed where the meeting now starts — read from the calendar as it is, so a meeting kept on
 * a closed day, or moved there by hand, is flagged — and `closedReason` why; for an occurrence
 * the calendar moved or skipped, why the date the rule gave was closed.
 */
export function summaryOf(series: MeetingSeries, meeting: Meeting, calendar: OpenDaysCalendar | null): MeetingSummary {
  const closedNow = calendar ? closedReason(calendar, meeting.startsAt.getTime()) : null;
  const closedThen = calendar && meeting.calendarChange ? closedReason(calendar, meeting.occurrenceStart.getTime()) : null;
  return {
    id: meeting.id,
    seriesId: series.id,
    title: series.title,
    occurrenceStart: meeting.occurrenceStart.toISOString(),
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    localStart: DateTime.fromJSDate(meeting.startsAt, { zone: series.timezone }).toFormat("yyyy-MM-dd'T'HH:mm"),
    status: meeting.status,
    moved: meeting.startsAt.getTime() !== meeting.occurrenceStart.getTime(),
    quorumMet: meeting.quorumMet === null ? null : meeting.quorumMet === 'yes',
    minutesStatus: meeting.minutesStatus,
    minutesRevision: meeting.minutesRevision,
    closedDay: closedNow !== null,
    closedReason: closedNow ?? closedThen,
    calendarChange: meeting.calendarChange,
  };
}

/**
 * Meeting series and their occurrences, planned by SeriesPlanner: a change of rule or calendar
 * plans the future again, never touching meetings already held.
 */
@Injectable()
export class MeetingSeriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly invitations: MeetingInvitations,
    private readonly planner: SeriesPlanner,
  ) {}

  async create(actor: Actor, request: CreateSeriesDto): Promise<SeriesView> {
    if (new Set(request.departmentIds).size !== request.departmentIds.length) {
      throw InvalidInputError.of('departmentIds', 'departmentIds must not repeat a department');
    }
    if (!mayOrganise(actor, request)) throw new ForbiddenError('only an admin or the head of one of its departments may plan a meeting series');
    this.checkRule(request.rrule, request.startsOn, request.timezone);
    return this.dataSource.transaction(async (manager) => {
      for (const id of request.departmentIds) {
        if (!(await manager.existsBy(Department, { id }))) throw new NotFoundError('department', id, 'departmentIds');
      }
      await this.checkPeople(manager, request.participants, request.chairId, request.minuteTakerId);
      const calendarId = request.calendarId ?? null;
      await this.checkCalendar(manager, calendarId, request.onClosedDay);
      const now = this.clock.now();
      const series = manager.create(MeetingSeries, {
        id: newId(),
        title: request.title,
        departmentIds: request.departmentIds,
        timezone: request.timezone,
        startsOn: request.startsOn,
        rrule: request.rrule.replace(/^RRULE:/i, ''),
        durationMinutes: request.durationMinutes,
        location: request.location ?? null,
        agendaTemplate: request.agendaTemplate ?? [],
        quorum: request.quorum ?? { rule: 'heads' },
        chairId: request.chairId ?? null,
        minuteTakerId: request.minuteTakerId ?? null,
        calendarId,
        onClosedDay: request.onClosedDay ?? 'keep',
        calendarVersion: null,
        sequence: 0,
        status: 'active',
        createdBy: actor.personId,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(MeetingSeries, series);
      await this.replaceParticipants(manager, series.id, request.participants);
      await this.planner.plan(manager, series);
      await this.invitations.seriesChanged(manager, series);
      const view = await this.view(manager, series);
      await this.audit.record(manager, actor, 'create', 'meeting-series', series.id, null, { ...view, meetings: view.meetings.length });
      return view;
    });
  }

  async list(query: PageQuery): Promise<Page<SeriesView>> {
    const [items, total] = await this.dataSource.manager.findAndCount(MeetingSeries, { order: { createdAt: 'ASC', id: 'ASC' }, take: query.limit, skip: query.offset });
    const views = [];
    for (const series of items) views.push(await this.view(this.dataSource.manager, series));
    return { items: views, total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<SeriesView> {
    return this.view(this.dataSource.manager, await this.require(this.dataSource.manager, id));
  }

  async update(actor: Actor, id: string, request: UpdateSeriesDto): Promise<SeriesView> {
    return this.dataSource.transaction(async (manager) => {
      const series = await this.require(manager, id);
      if (!mayOrganise(actor, series)) throw new ForbiddenError('only an admin or the head of one of its departments may change a meeting series');
      if (series.status === 'cancelled') throw new ConflictError('this series is cancelled');
      if (request.rrule !== undefined) this.checkRule(request.rrule, series.startsOn, series.timezone);
      await this.checkPeople(manager, request.participants ?? [], request.chairId, request.minuteTakerId);
      const calendarId = request.calendarId === undefined ? series.calendarId : request.calendarId;
      await this.checkCalendar(manager, calendarId, request.onClosedDay);
      const before = await this.view(manager, series);
      for (const key of ['title', 'durationMinutes', 'location', 'agendaTemplate', 'quorum', 'chairId', 'minuteTakerId'] as const) {
        if (request[key] !== undefined) Object.assign(series, { [key]: request[key] });
      }
      if (request.rrule !== undefined) series.rrule = request.rrule.replace(/^RRULE:/i, '');
      series.calendarId = calendarId;
      // Without a calendar nothing is closed: the default stands for when one is named again.
      series.onClosedDay = calendarId === null ? 'keep' : (request.onClosedDay ?? series.onClosedDay);
      series.sequence += 1;
      series.updatedAt = this.clock.now();
      await manager.save(MeetingSeries, series);
      if (request.participants) await this.replaceParticipants(manager, series.id, request.participants);
      await this.planner.plan(manager, series);
      await this.invitations.seriesChanged(manager, series);
      const after = await this.view(manager, series);
      await this.audit.record(manager, actor, 'update', 'meeting-series', id, { ...before, meetings: before.meetings.length }, { ...after, meetings: after.meetings.length });
      return after;
    });
  }

  /** Cancels every meeting still to come; meetings already held stay as they were. */
  async cancel(actor: Actor, id: string): Promise<SeriesView> {
    return this.dataSource.transaction(async (manager) => {
      const series = await this.require(manager, id);
      if (!mayOrganise(actor, series)) throw new ForbiddenError('only an admin or the head of one of its departments may cancel a meeting series');
      if (series.status === 'cancelled') throw new ConflictError('this series is already cancelled');
      const now = this.clock.now();
      series.status = 'cancelled';
      series.sequence += 1;
      series.updatedAt = now;
      await manager.save(MeetingSeries, series);
      const future = await manager.find(Meeting, { where: { seriesId: id, status: 'scheduled' } });
      for (const meeting of future.filter((m) => m.startsAt > now)) {
        meeting.status = 'cancelled';
        meeting.updatedAt = now;
        await manager.save(Meeting, meeting);
      }
      await this.invitations.seriesChanged(manager, series);
      await this.audit.record(manager, actor, 'cancel', 'meeting-series', id, null, { status: 'cancelled' });
      return this.view(manager, series);
    });
  }

  async require(manager: EntityManager, id: string): Promise<MeetingSeries> {
    const series = await manager.findOne(MeetingSeries, { where: { id } });
    if (!series) throw new NotFoundError('meeting series', id);
    return series;
  }

  async view(manager: EntityManager, series: MeetingSeries): Promise<SeriesView> {
    const participants = await manager.find(MeetingParticipant, { where: { seriesId: series.id } });
    const people = new Map(
      (await manager.find(Person, { where: { id: In([...participants.map((p) => p.personId), '']) } })).map((person) => [person.id, person]),
    );
    const meetings = await manager.find(Meeting, { where: { seriesId: series.id }, order: { occurrenceStart: 'ASC' } });
    const calendar = (await this.planner.calendarOf(manager, series))?.calendar ?? null;
    return {
      id: series.id,
      title: series.title,
      departmentIds: series.departmentIds,
      timezone: series.timezone,
      startsOn: series.startsOn,
      rrule: series.rrule,
      durationMinutes: series.durationMinutes,
      location: series.location,
      agendaTemplate: series.agendaTemplate,
      quorum: series.quorum,
      chairId: series.chairId,
      minuteTakerId: series.minuteTakerId,
      calendarId: series.calendarId,
      onClosedDay: series.onClosedDay,
      sequence: series.sequence,
      status: series.status,
      participants: participants.map((participant) => {
        const person = people.get(participant.personId) as Person;
        return {
          personId: participant.personId,
          name: person.name,
          email: person.email,
          departmentId: person.departmentId,
          role: participant.role,
          delegateId: participant.delegateId,
        };
      }),
      meetings: meetings.map((meeting) => summaryOf(series, meeting, calendar)),
    };
  }

  private async replaceParticipants(manager: EntityManager, seriesId: string, participants: ParticipantDto[]): Promise<void> {
    const seen = new Set<string>();
    for (const participant of participants) {
      if (seen.has(participant.personId)) throw InvalidInputError.of('participants', `participants lists person ${participant.personId} twice`);
      seen.add(participant.personId);
    }
    await manager.delete(MeetingParticipant, { seriesId });
    for (const participant of participants) {
      await manager.insert(MeetingParticipant, { id: newId(), seriesId, personId: participant.personId, role: participant.role, delegateId: participant.delegateId ?? null });
    }
  }

  private async checkPeople(manager: EntityManager, participants: ParticipantDto[], chairId?: string | null, minuteTakerId?: string | null): Promise<void> {
    const references: [string, string | null | undefined][] = [
      ...participants.flatMap((p, i): [string, string | null | undefined][] => [
        [`participants[${i}].personId`, p.personId],
        [`participants[${i}].delegateId`, p.delegateId],
      ]),
      ['chairId', chairId],
      ['minuteTakerId', minuteTakerId],
    ];
    for (const [field, id] of references) {
      if (id && !(await manager.existsBy(Person, { id }))) throw new NotFoundError('person', id, field);
    }
  }

  /** The calendar named must exist, and what to do on its closed days means nothing without one. */
  private async checkCalendar(manager: EntityManager, calendarId: string | null, onClosedDay: OnClosedDay | undefined): Promise<void> {
    // As every id a body names (departmentIds, participants, an agreement's calendarId): a 404 naming the field.
    if (calendarId !== null && !(await manager.existsBy(Calendar, { id: calendarId }))) throw new NotFoundError('calendar', calendarId, 'calendarId');
    if (calendarId === null && onClosedDay !== undefined) {
      throw InvalidInputError.of('onClosedDay', 'onClosedDay needs a calendarId: without a calendar no day is closed');
    }
  }

  private checkRule(rule: string, startsOn: string, timezone: string): void {
    try {
      checkRecurrence({ rule, startsOn, timezone });
    } catch (error) {
      if (error instanceof RecurrenceError) {
        const field = error.message.startsWith('startsOn') ? 'startsOn' : 'rrule';
        throw InvalidInputError.of(field, `${field}: ${error.message}`);
      }
      throw error;
    }
  }
}
