import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { MeetingInvitations } from './calendar/meeting-invitations.js';
import { mayOrganise } from './domain/meeting-roles.js';
import { checkRecurrence, occurrences, RecurrenceError } from './domain/recurrence.js';
import { MeetingParticipant } from './meeting-participant.entity.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { Meeting } from './meeting.entity.js';
import type { CreateSeriesDto, MeetingSummary, ParticipantDto, SeriesView, UpdateSeriesDto } from './meetings.dto.js';

export function summaryOf(series: MeetingSeries, meeting: Meeting): MeetingSummary {
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
  };
}

/**
 * Meeting series and their occurrences. Every occurrence of the rule is stored when the series is
 * planned (at most 500), so each has an id from the start for its agenda, attendance and minutes;
 * a change of rule plans the future again, never touching meetings already held.
 */
@Injectable()
export class MeetingSeriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly invitations: MeetingInvitations,
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
        sequence: 0,
        status: 'active',
        createdBy: actor.personId,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(MeetingSeries, series);
      await this.replaceParticipants(manager, series.id, request.participants);
      await this.plan(manager, series);
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
      const before = await this.view(manager, series);
      for (const key of ['title', 'durationMinutes', 'location', 'agendaTemplate', 'quorum', 'chairId', 'minuteTakerId'] as const) {
        if (request[key] !== undefined) Object.assign(series, { [key]: request[key] });
      }
      if (request.rrule !== undefined) series.rrule = request.rrule.replace(/^RRULE:/i, '');
      series.sequence += 1;
      series.updatedAt = this.clock.now();
      await manager.save(MeetingSeries, series);
      if (request.participants) await this.replaceParticipants(manager, series.id, request.participants);
      await this.plan(manager, series);
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
      meetings: meetings.map((meeting) => summaryOf(series, meeting)),
    };
  }

  /**
   * Stores the occurrences the rule gives. Occurrences the rule no longer gives are cancelled
   * (unless held); new ones are added; those already stored keep their id, place and records.
   */
  private async plan(manager: EntityManager, series: MeetingSeries): Promise<void> {
    const now = this.clock.now();
    const starts = occurrences({ rule: series.rrule, startsOn: series.startsOn, timezone: series.timezone });
    const wanted = new Set(starts);
    const stored = await manager.find(Meeting, { where: { seriesId: series.id } });
    const known = new Map(stored.map((meeting) => [meeting.occurrenceStart.getTime(), meeting]));
    for (const start of starts) {
      const meeting = known.get(start);
      if (meeting) {
        if (meeting.status === 'scheduled' && meeting.startsAt.getTime() === meeting.occurrenceStart.getTime()) {
          meeting.endsAt = new Date(meeting.startsAt.getTime() + series.durationMinutes * 60_000);
          await manager.save(Meeting, meeting);
        }
        continue;
      }
      await manager.insert(Meeting, {
        id: newId(),
        seriesId: series.id,
        occurrenceStart: new Date(start),
        startsAt: new Date(start),
        endsAt: new Date(start + series.durationMinutes * 60_000),
        status: 'scheduled',
        quorumMet: null,
        minutesStatus: 'none',
        minutesRevision: 0,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (const meeting of stored) {
      if (!wanted.has(meeting.occurrenceStart.getTime()) && meeting.status === 'scheduled') {
        meeting.status = 'cancelled';
        meeting.updatedAt = now;
        await manager.save(Meeting, meeting);
      }
    }
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
