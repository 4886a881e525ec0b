import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { type AuditAction, AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { type Page, pageOf } from '../common/pagination.js';
import { EventsService } from '../events/events.service.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { BriefEntry } from './brief-entry.entity.js';
import { findMissingForSubmission } from './brief-submission.js';
import { Brief, type BriefContent, type BriefStatus } from './brief.entity.js';
import {
  type BriefContentDto,
  BriefDetailView,
  BriefEntryView,
  type BriefsQuery,
  BriefView,
  type CommentDto,
  type CreateBriefDto,
  type UpdateBriefDto,
} from './briefs.dto.js';

export type BriefStepName = 'submit' | 'accept' | 'return' | 'start' | 'complete' | 'cancel';

/** Who may take a step: anyone of a department (or an admin), or the recipient's head alone. */
type Party = 'requester' | 'recipient' | 'recipient-head';

interface BriefStep {
  from: readonly BriefStatus[];
  to: BriefStatus;
  by: Party;
  /** The internal event the step emits, for agreements on how fast briefs are answered. */
  event: string;
}

/**
 * The lifecycle. Accepting and returning are decisions of the recipient department's head, as
 * approving an agreement is a head's: an admin may not decide on their behalf.
 */
const STEPS: Record<BriefStepName, BriefStep> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: 'requester', event: 'brief.submitted' },
  accept: { from: ['submitted'], to: 'accepted', by: 'recipient-head', event: 'brief.accepted' },
  return: { from: ['submitted'], to: 'returned', by: 'recipient-head', event: 'brief.returned' },
  start: { from: ['accepted'], to: 'in_progress', by: 'recipient', event: 'brief.started' },
  complete: { from: ['in_progress'], to: 'done', by: 'recipient', event: 'brief.completed' },
  cancel: { from: ['draft', 'submitted', 'returned', 'accepted', 'in_progress'], to: 'cancelled', by: 'requester', event: 'brief.cancelled' },
};

export const EDITABLE: readonly BriefStatus[] = ['draft', 'returned'];

type BriefParties = Pick<Brief, 'status' | 'requesterDepartmentId' | 'recipientDepartmentId'>;

function isParty(actor: Actor, brief: BriefParties, party: Party): boolean {
  if (party === 'recipient-head') return isHeadOf(actor, brief.recipientDepartmentId);
  return belongsTo(actor, party === 'requester' ? brief.requesterDepartmentId : brief.recipientDepartmentId);
}

/** Whether the actor may take this step now: the rule the service enforces, for pages to show only the buttons that work. */
export function mayTakeStep(actor: Actor, brief: BriefParties, name: BriefStepName): boolean {
  const step = STEPS[name];
  return step.from.includes(brief.status) && isParty(actor, brief, step.by);
}

/** Whether the actor may edit the brief's content now. */
export function mayEdit(actor: Actor, brief: BriefParties): boolean {
  return EDITABLE.includes(brief.status) && isParty(actor, brief, 'requester');
}

interface BriefEvent {
  type: string;
  subject: string;
  occurredAt: string;
  attributes: { requester: string; recipient: string; title: string };
  key: string;
}

/** Admins, or anyone (head or member) of the department. */
function belongsTo(actor: Actor, departmentId: string): boolean {
  return isAdmin(actor) || actor.departmentId === departmentId;
}

/**
 * A content change over the stored content: fields sent replace, null clears (the field is left
 * out), fields not sent stay. Plain JSON, as stored.
 */
function mergeContent(base: BriefContent, change: BriefContentDto | undefined): BriefContent {
  const merged: Record<string, unknown> = { ...base, ...(JSON.parse(JSON.stringify(change ?? {})) as object) };
  for (const field of Object.keys(merged)) if (merged[field] === null) delete merged[field];
  return merged as BriefContent;
}

/**
 * Briefs a requesting department files with another: drafted freely, complete when submitted,
 * answered (accepted or returned with comments) by the recipient's head, then delivered. Every
 * step is written to the brief's thread and the audit log in one transaction, then emitted as an
 * internal event, so agreements measure how fast briefs are answered as they measure leads.
 */
@Injectable()
export class BriefsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: BriefsQuery): Promise<Page<BriefView>> {
    const where: FindOptionsWhere<Brief> = {};
    if (query.status) where.status = query.status;
    if (query.requesterDepartmentId) where.requesterDepartmentId = query.requesterDepartmentId;
    if (query.recipientDepartmentId) where.recipientDepartmentId = query.recipientDepartmentId;
    const [briefs, total] = await this.dataSource.manager.findAndCount(Brief, {
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(briefs, total, query, BriefView.from);
  }

  async get(id: string): Promise<BriefDetailView> {
    const manager = this.dataSource.manager;
    return this.detail(manager, await this.require(manager, id));
  }

  /** A draft: only the title and the recipient are needed yet. */
  async create(actor: Actor, request: CreateBriefDto): Promise<BriefDetailView> {
    const requesterDepartmentId = request.requesterDepartmentId ?? actor.departmentId;
    if (!requesterDepartmentId) {
      throw InvalidInputError.of('requesterDepartmentId', 'requesterDepartmentId is required from someone outside any department');
    }
    if (!belongsTo(actor, requesterDepartmentId)) {
      throw new ForbiddenError('only people of the requesting department, or an admin, may file a brief for it');
    }
    return this.dataSource.transaction(async (manager) => {
      await this.checkRecipient(manager, requesterDepartmentId, request.recipientDepartmentId);
      if (!(await manager.existsBy(Department, { id: requesterDepartmentId }))) {
        throw new NotFoundError('department', requesterDepartmentId, 'requesterDepartmentId');
      }
      await this.checkApprover(manager, request.content);
      const now = this.clock.now();
      const brief = manager.create(Brief, {
        id: newId(),
        title: request.title,
        status: 'draft',
        requesterDepartmentId,
        recipientDepartmentId: request.recipientDepartmentId,
        content: mergeContent({}, request.content),
        createdBy: actor.personId,
        createdAt: now,
        updatedAt: now,
        submittedAt: null,
      });
      await manager.insert(Brief, brief);
      await this.addEntry(manager, actor, 'create', brief, null, { kind: 'step', fromStatus: null, toStatus: 'draft', body: null }, now);
      return this.detail(manager, brief);
    });
  }

  async update(actor: Actor, id: string, request: UpdateBriefDto): Promise<BriefDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const brief = await this.require(manager, id);
      this.requireParty(actor, brief, 'requester', 'change a brief');
      if (!EDITABLE.includes(brief.status)) {
        throw new ConflictError(`brief ${id} is ${brief.status}; it can be changed only while ${EDITABLE.join(' or ')}`);
      }
      const before = BriefView.from(brief);
      if (request.recipientDepartmentId !== undefined) {
        await this.checkRecipient(manager, brief.requesterDepartmentId, request.recipientDepartmentId);
        brief.recipientDepartmentId = request.recipientDepartmentId;
      }
      await this.checkApprover(manager, request.content);
      if (request.title !== undefined) brief.title = request.title;
      brief.content = mergeContent(brief.content, request.content);
      brief.updatedAt = this.clock.now();
      await this.saveIfStill(manager, brief, brief.status);
      await this.audit.record(manager, actor, 'update', 'brief', id, before, BriefView.from(brief));
      return this.detail(manager, brief);
    });
  }

  /**
   * Moves the brief one step along its lifecycle. The internal event is stored in the same
   * transaction as the step: a refused step emits nothing, and a step is never kept without the
   * event agreements measure it by.
   */
  async advance(actor: Actor, id: string, name: BriefStepName, comment: string | null = null): Promise<BriefDetailView> {
    const step = STEPS[name];
    return this.dataSource.transaction(async (manager) => {
      const brief = await this.require(manager, id);
      this.requireParty(actor, brief, step.by, `${name} a brief`);
      const from = brief.status;
      if (!step.from.includes(from)) {
        throw new ConflictError(`brief ${id} is ${from}; ${name} applies only to a brief that is ${step.from.join(', ')}`);
      }
      const requester = await this.department(manager, brief.requesterDepartmentId);
      const recipient = await this.department(manager, brief.recipientDepartmentId);
      if (name === 'submit') await this.checkSubmittable(manager, brief, requester.timezone);
      const before = BriefView.from(brief);
      const now = this.clock.now();
      brief.status = step.to;
      brief.updatedAt = now;
      if (name === 'submit') brief.submittedAt = now;
      await this.saveIfStill(manager, brief, from);
      const entry = await this.addEntry(manager, actor, name, brief, before, { kind: 'step', fromStatus: from, toStatus: step.to, body: comment }, now);
      await this.emit(manager, {
        type: step.event,
        subject: `brief:${id}`,
        occurredAt: now.toISOString(),
        attributes: { requester: requester.slug, recipient: recipient.slug, title: brief.title },
        key: `brief:${id}:${step.to}:${entry.id}`,
      });
      return this.detail(manager, brief);
    });
  }

  /** Either department (or an admin) may write in the thread, whatever the status. */
  async comment(actor: Actor, id: string, request: CommentDto): Promise<BriefDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const brief = await this.require(manager, id);
      if (!belongsTo(actor, brief.requesterDepartmentId) && !belongsTo(actor, brief.recipientDepartmentId)) {
        throw new ForbiddenError('only people of the requesting or recipient department, or an admin, may comment on a brief');
      }
      const entry = { kind: 'comment', fromStatus: null, toStatus: null, body: request.body } as const;
      await this.addEntry(manager, actor, 'comment', brief, BriefView.from(brief), entry, this.clock.now());
      return this.detail(manager, brief);
    });
  }

  private async require(manager: EntityManager, id: string): Promise<Brief> {
    const brief = await manager.findOne(Brief, { where: { id } });
    if (!brief) throw new NotFoundError('brief', id);
    return brief;
  }

  private async department(manager: EntityManager, id: string): Promise<Department> {
    const department = await manager.findOne(Department, { where: { id } });
    if (!department) throw new NotFoundError('department', id);
    return department;
  }

  private async detail(manager: EntityManager, brief: Brief): Promise<BriefDetailView> {
    const entries = await manager.find(BriefEntry, { where: { briefId: brief.id }, order: { at: 'ASC', id: 'ASC' } });
    return { ...BriefView.from(brief), thread: entries.map(BriefEntryView.from) };
  }

  /**
   * Writes the brief only if its status is still the one read: of two concurrent steps (or an
   * edit racing a submission) one wins and the other gets a 409, on SQLite and PostgreSQL alike.
   */
  private async saveIfStill(manager: EntityManager, brief: Brief, status: BriefStatus): Promise<void> {
    const { id, title, recipientDepartmentId, content, updatedAt, submittedAt } = brief;
    const changed = await manager.update(
      Brief,
      { id, status },
      { title, status: brief.status, recipientDepartmentId, content, updatedAt, submittedAt },
    );
    if (!changed.affected) throw new ConflictError(`brief ${id} changed meanwhile; read it again`);
  }

  /** A thread entry, audited under the step's name (`before` null when the brief is being filed). */
  private async addEntry(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    brief: Brief,
    before: BriefView | null,
    fields: Pick<BriefEntry, 'kind' | 'fromStatus' | 'toStatus' | 'body'>,
    at: Date,
  ): Promise<BriefEntry> {
    const entry = manager.create(BriefEntry, { id: newId(), briefId: brief.id, ...fields, authorId: actor.personId, at });
    await manager.insert(BriefEntry, entry);
    const after = { ...BriefView.from(brief), entry: BriefEntryView.from(entry) };
    await this.audit.record(manager, actor, action, 'brief', brief.id, before, after);
    return entry;
  }

  private async checkRecipient(manager: EntityManager, requesterDepartmentId: string, recipientDepartmentId: string): Promise<void> {
    if (recipientDepartmentId === requesterDepartmentId) {
      throw InvalidInputError.of('recipientDepartmentId', 'recipientDepartmentId must differ from the requesting department');
    }
    if (!(await manager.existsBy(Department, { id: recipientDepartmentId }))) {
      throw new NotFoundError('department', recipientDepartmentId, 'recipientDepartmentId');
    }
  }

  private async checkApprover(manager: EntityManager, content: BriefContentDto | undefined): Promise<void> {
    const approverId = content?.approverId;
    if (approverId && !(await manager.existsBy(Person, { id: approverId }))) {
      throw new NotFoundError('person', approverId, 'content.approverId');
    }
  }

  /** Every missing field at once, so the requester fixes the brief in one go. */
  private async checkSubmittable(manager: EntityManager, brief: Brief, timezone: string): Promise<void> {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: timezone }).toISODate() as string;
    const errors = findMissingForSubmission(brief.content, today);
    const approverId = brief.content.approverId;
    if (approverId && !(await manager.existsBy(Person, { id: approverId }))) {
      errors['content.approverId'] = [`content.approverId: person ${approverId} no longer exists`];
    }
    if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
  }

  private requireParty(actor: Actor, brief: Brief, party: Party, what: string): void {
    if (isParty(actor, brief, party)) return;
    if (party === 'recipient-head') {
      throw new ForbiddenError(
        isAdmin(actor)
          ? `an admin cannot ${what} on behalf of the head of the recipient department`
          : `only the head of the recipient department may ${what}`,
      );
    }
    throw new ForbiddenError(`only people of the ${party === 'requester' ? 'requesting' : 'recipient'} department, or an admin, may ${what}`);
  }

  /** Concord builds the event itself, so a refusal is a defect: the whole step is undone. */
  private async emit(manager: EntityManager, event: BriefEvent): Promise<void> {
    const [result] = await this.events.ingest(null, [event], manager);
    if (result.status === 'rejected') throw new Error(`brief event refused: ${JSON.stringify({ event, errors: result.errors })}`);
  }
}
