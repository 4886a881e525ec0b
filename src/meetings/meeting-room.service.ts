import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { Person } from '../org/person.entity.js';
import { quorumMet } from './domain/quorum.js';
import { MeetingParticipant } from './meeting-participant.entity.js';
import { AgendaItem, MeetingAttendance, MeetingOutcome, MinutesRevision } from './meeting-records.entity.js';
import type { ActionItemsQuery, ActionUpdateDto, AgendaItemDto, AttendanceDto, MeetingView, NotesDto, OutcomeDto, OutcomeView, PersonRef } from './meeting-room.dto.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { mayKeepRecord, mayOrganise } from './domain/meeting-roles.js';
import { summaryOf } from './meeting-series.service.js';
import { SeriesPlanner } from './series-planner.js';
import { Meeting } from './meeting.entity.js';
import { isOverdue } from './domain/action-dates.js';

export function personRef(person: Person): PersonRef {
  return { id: person.id, name: person.name, email: person.email, departmentId: person.departmentId };
}

export async function peopleById(manager: EntityManager, ids: (string | null | undefined)[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  return new Map((await manager.find(Person, { where: { id: In(wanted) } })).map((person) => [person.id, person]));
}

/**
 * The meeting room: attendance and quorum, the agenda's notes and extra items, and outcomes —
 * information, decisions, action items — while the minutes are a draft. Final minutes lock the
 * record; a correction opens a new revision.
 */
@Injectable()
export class MeetingRoomService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly planner: SeriesPlanner,
  ) {}

  async get(id: string): Promise<MeetingView> {
    return this.view(this.dataSource.manager, id);
  }

  async recordAttendance(actor: Actor, id: string, request: AttendanceDto): Promise<MeetingView> {
    return this.edit(actor, id, 'attendance', async (manager, series, meeting) => {
      if (meeting.status === 'cancelled') throw new ConflictError('this meeting was cancelled');
      const participants = await manager.find(MeetingParticipant, { where: { seriesId: series.id } });
      const invited = new Set(participants.map((p) => p.personId));
      const seen = new Set<string>();
      request.entries.forEach((entry, index) => {
        if (seen.has(entry.personId)) throw InvalidInputError.of(`entries[${index}].personId`, 'a person appears twice');
        seen.add(entry.personId);
        if (entry.status === 'delegate' && !entry.delegateFor) {
          throw InvalidInputError.of(`entries[${index}].delegateFor`, 'a delegate says whom they stand in for');
        }
        if (entry.status === 'delegate' && entry.delegateFor && !invited.has(entry.delegateFor)) {
          throw InvalidInputError.of(`entries[${index}].delegateFor`, 'a delegate stands in for a participant of the series');
        }
        if (entry.status !== 'delegate' && !invited.has(entry.personId)) {
          throw InvalidInputError.of(`entries[${index}].personId`, 'not a participant of this series (record them as a delegate)');
        }
      });
      const people = await peopleById(manager, request.entries.map((e) => e.personId));
      request.entries.forEach((entry, index) => {
        if (!people.has(entry.personId)) throw new NotFoundError('person', entry.personId, `entries[${index}].personId`);
      });
      await manager.delete(MeetingAttendance, { meetingId: id });
      for (const entry of request.entries) {
        await manager.insert(MeetingAttendance, {
          id: newId(),
          meetingId: id,
          personId: entry.personId,
          status: entry.status,
          delegateFor: entry.status === 'delegate' ? (entry.delegateFor ?? null) : null,
        });
      }
      const heads = await manager.find(Person, { where: { role: 'head', departmentId: In(series.departmentIds) } });
      const met = quorumMet({
        rule: series.quorum.rule,
        heads: series.departmentIds.map((department) => heads.find((head) => head.departmentId === department)?.id ?? null),
        required: participants.filter((p) => p.role === 'required').map((p) => p.personId),
        delegates: new Map(participants.map((p) => [p.personId, p.delegateId])),
        attendance: new Map(request.entries.map((e) => [e.personId, { status: e.status, delegateFor: e.delegateFor ?? null }])),
      });
      meeting.status = 'held';
      meeting.quorumMet = met ? 'yes' : 'no';
    });
  }

  async addAgendaItem(actor: Actor, id: string, request: AgendaItemDto): Promise<MeetingView> {
    return this.edit(actor, id, 'agenda', async (manager) => {
      const last = await manager.findOne(AgendaItem, { where: { meetingId: id }, order: { position: 'DESC' } });
      await manager.insert(AgendaItem, { id: newId(), meetingId: id, position: (last?.position ?? 0) + 1, source: 'manual', title: request.title, details: null, notes: null });
    });
  }

  async takeNotes(actor: Actor, id: string, itemId: string, request: NotesDto): Promise<MeetingView> {
    return this.edit(actor, id, 'notes', async (manager) => {
      const item = await manager.findOne(AgendaItem, { where: { id: itemId, meetingId: id } });
      if (!item) throw new NotFoundError('agenda item', itemId);
      item.notes = request.notes;
      await manager.save(AgendaItem, item);
    });
  }

  async recordOutcome(actor: Actor, id: string, request: OutcomeDto): Promise<MeetingView> {
    return this.edit(actor, id, 'outcome', async (manager, series) => {
      if (request.type === 'action') {
        const missing: Record<string, string[]> = {};
        if (!request.ownerId) missing.ownerId = ['an action item needs an owner'];
        if (!request.dueOn) missing.dueOn = ['an action item needs a due date'];
        if (Object.keys(missing).length > 0) throw new InvalidInputError(missing);
      }
      if (request.type === 'decision' && !request.rationale) throw InvalidInputError.of('rationale', 'a decision records its rationale');
      if (request.dueOn && !DateTime.fromISO(request.dueOn).isValid) throw InvalidInputError.of('dueOn', 'dueOn is not a real date');
      if (request.ownerId && !(await manager.existsBy(Person, { id: request.ownerId }))) throw new NotFoundError('person', request.ownerId, 'ownerId');
      if (request.agendaItemId && !(await manager.existsBy(AgendaItem, { id: request.agendaItemId, meetingId: id }))) {
        throw new NotFoundError('agenda item', request.agendaItemId, 'agendaItemId');
      }
      const now = this.clock.now();
      await manager.insert(MeetingOutcome, {
        id: newId(),
        meetingId: id,
        seriesId: series.id,
        agendaItemId: request.agendaItemId ?? null,
        type: request.type,
        text: request.text,
        rationale: request.rationale ?? null,
        ownerId: request.ownerId ?? null,
        dueOn: request.dueOn ?? null,
        status: request.type === 'action' ? 'open' : 'recorded',
        doneAt: null,
        createdAt: now,
        updatedAt: now,
      });
    });
  }

  /** Action items live between meetings: their owner or an organiser closes, reschedules or hands them on. */
  async updateAction(actor: Actor, outcomeId: string, request: ActionUpdateDto): Promise<OutcomeView> {
    return this.dataSource.transaction(async (manager) => {
      const action = await manager.findOne(MeetingOutcome, { where: { id: outcomeId, type: 'action' } });
      if (!action) throw new NotFoundError('action item', outcomeId);
      const series = await manager.findOneOrFail(MeetingSeries, { where: { id: action.seriesId } });
      if (action.ownerId !== actor.personId && !mayOrganise(actor, series)) {
        throw new ForbiddenError('only its owner or an organiser of the series may update an action item');
      }
      if (request.ownerId && !(await manager.existsBy(Person, { id: request.ownerId }))) throw new NotFoundError('person', request.ownerId, 'ownerId');
      const before = (await this.outcomeViews(manager, [action]))[0];
      const now = this.clock.now();
      if (request.status) {
        action.status = request.status;
        action.doneAt = request.status === 'done' ? now : null;
      }
      if (request.dueOn) action.dueOn = request.dueOn;
      if (request.ownerId) action.ownerId = request.ownerId;
      action.updatedAt = now;
      await manager.save(MeetingOutcome, action);
      const [after] = await this.outcomeViews(manager, [action]);
      await this.audit.record(manager, actor, 'update', 'action-item', outcomeId, before, after);
      return after;
    });
  }

  async listActions(query: ActionItemsQuery): Promise<Page<OutcomeView>> {
    const where: FindOptionsWhere<MeetingOutcome> = { type: 'action' };
    if (query.ownerId) where.ownerId = query.ownerId;
    if (query.seriesId) where.seriesId = query.seriesId;
    if (query.status) where.status = query.status;
    const manager = this.dataSource.manager;
    const [items, total] = await manager.findAndCount(MeetingOutcome, { where, order: { dueOn: 'ASC', id: 'ASC' }, take: query.limit, skip: query.offset });
    return { items: await this.outcomeViews(manager, items), total, limit: query.limit, offset: query.offset };
  }

  async outcomeViews(manager: EntityManager, outcomes: MeetingOutcome[]): Promise<OutcomeView[]> {
    const owners = await peopleById(manager, outcomes.map((o) => o.ownerId));
    const now = this.clock.now();
    return outcomes.map((outcome) => {
      const owner = outcome.ownerId ? owners.get(outcome.ownerId) : undefined;
      return {
        id: outcome.id,
        meetingId: outcome.meetingId,
        agendaItemId: outcome.agendaItemId,
        type: outcome.type,
        text: outcome.text,
        rationale: outcome.rationale,
        owner: owner ? personRef(owner) : null,
        dueOn: outcome.dueOn,
        status: outcome.status,
        // The owner's own calendar date decides; an action without owner has no one to be late.
        overdue: outcome.status === 'open' && !!owner && isOverdue(outcome.dueOn, now, owner.timezone),
      };
    });
  }

  async view(manager: EntityManager, id: string): Promise<MeetingView> {
    const meeting = await manager.findOne(Meeting, { where: { id } });
    if (!meeting) throw new NotFoundError('meeting', id);
    const series = await manager.findOneOrFail(MeetingSeries, { where: { id: meeting.seriesId } });
    const agenda = await manager.find(AgendaItem, { where: { meetingId: id }, order: { position: 'ASC' } });
    const attendance = await manager.find(MeetingAttendance, { where: { meetingId: id } });
    const outcomes = await manager.find(MeetingOutcome, { where: { meetingId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const revisions = await manager.find(MinutesRevision, { where: { meetingId: id }, order: { revision: 'ASC' } });
    const people = await peopleById(manager, [...attendance.map((a) => a.personId), ...attendance.map((a) => a.delegateFor)]);
    return {
      ...summaryOf(series, meeting, (await this.planner.calendarOf(manager, series))?.calendar ?? null),
      agenda: agenda.map((item) => ({ id: item.id, position: item.position, source: item.source, title: item.title, details: item.details, notes: item.notes })),
      attendance: attendance.map((record) => ({
        person: personRef(people.get(record.personId) as Person),
        status: record.status,
        delegateFor: record.delegateFor && people.get(record.delegateFor) ? personRef(people.get(record.delegateFor) as Person) : null,
      })),
      outcomes: await this.outcomeViews(manager, outcomes),
      revisions: revisions.map((revision) => ({
        revision: revision.revision,
        status: revision.status,
        finalizedAt: revision.finalizedAt.toISOString(),
        approvedAt: revision.approvedAt?.toISOString() ?? null,
        approvedBy: revision.approvals.map((approval) => approval.departmentId),
      })),
    };
  }

  /** Who may write the record: organisers, the chair and the minute-taker; only while the minutes are a draft. */
  async edit(
    actor: Actor,
    id: string,
    what: string,
    apply: (manager: EntityManager, series: MeetingSeries, meeting: Meeting) => Promise<void>,
  ): Promise<MeetingView> {
    return this.dataSource.transaction(async (manager) => {
      const meeting = await manager.findOne(Meeting, { where: { id } });
      if (!meeting) throw new NotFoundError('meeting', id);
      const series = await manager.findOneOrFail(MeetingSeries, { where: { id: meeting.seriesId } });
      if (!mayKeepRecord(actor, series)) {
        throw new ForbiddenError('only the chair, the minute-taker or an organiser of the series may write its record');
      }
      if (meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved') {
        throw new ConflictError(`the minutes are ${meeting.minutesStatus}; record a correction (a new revision) before changing them`);
      }
      await apply(manager, series, meeting);
      if (meeting.minutesStatus === 'none') {
        meeting.minutesStatus = 'draft';
        meeting.minutesRevision = Math.max(1, meeting.minutesRevision);
      }
      meeting.updatedAt = this.clock.now();
      await manager.save(Meeting, meeting);
      const view = await this.view(manager, id);
      await this.audit.record(manager, actor, 'update', 'meeting', id, null, { changed: what });
      return view;
    });
  }
}
