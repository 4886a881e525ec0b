import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { DueWork } from '../common/due-work.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { lastOccurrence, nextOccurrence, parseReportSchedule, previousOccurrence, ScheduleError } from '../notifications/report-schedule.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { Subscription } from './subscription.entity.js';
import { SubscriptionView, type CreateSubscriptionDto, type UpdateSubscriptionDto } from './subscriptions.dto.js';

/** The outbox kind each report is sent as. */
const MESSAGE_KINDS = { breaches: 'breach-report', funnel: 'funnel-report' } as const;

/** What a scheduled report covers: the period between two occurrences. */
export interface ReportPayload {
  from: string;
  to: string;
  departmentIds: string[];
}

/**
 * Standing orders for reports by email. Each occurrence of a schedule is queued once: its outbox
 * key names the subscription and the occurrence, so restarts, several instances and repeated
 * sweeps never send a period twice; after downtime the latest missed occurrence is sent. Queued
 * in every round of due work, after the sweep has recorded its breaches.
 */
@Injectable()
export class SubscriptionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dueWork: DueWork,
  ) {}

  onModuleInit(): void {
    this.dueWork.register({ name: 'scheduled reports', phase: 'reports', counts: ['reportsQueued'], run: async (now) => ({ reportsQueued: await this.enqueueDue(now) }) });
  }

  async create(actor: Actor, request: CreateSubscriptionDto): Promise<SubscriptionView> {
    return this.dataSource.transaction(async (manager) => {
      const person = await this.subscriber(manager, actor, request.personId ?? actor.personId);
      this.checkSchedule(request.schedule);
      this.checkScope(request.report, request.departmentIds ?? []);
      await this.checkDepartments(manager, request.departmentIds ?? []);
      const now = this.clock.now();
      const subscription = manager.create(Subscription, {
        id: newId(),
        personId: person.id,
        report: request.report,
        schedule: request.schedule,
        departmentIds: request.departmentIds ?? [],
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(Subscription, subscription);
      const view = this.view(subscription, person);
      await this.audit.record(manager, actor, 'create', 'subscription', subscription.id, null, view);
      return view;
    });
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<SubscriptionView>> {
    const manager = this.dataSource.manager;
    const [items, total] = await manager.findAndCount(Subscription, {
      where: isAdmin(actor) ? {} : { personId: actor.personId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    const people = new Map((await manager.find(Person, { where: { id: In([...new Set(items.map((s) => s.personId)), '']) } })).map((p) => [p.id, p]));
    return { items: items.map((s) => this.view(s, people.get(s.personId))), total, limit: query.limit, offset: query.offset };
  }

  async update(actor: Actor, id: string, request: UpdateSubscriptionDto): Promise<SubscriptionView> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.require(manager, id);
      await this.subscriber(manager, actor, subscription.personId);
      const person = request.personId ? await this.subscriber(manager, actor, request.personId) : undefined;
      if (request.schedule !== undefined) this.checkSchedule(request.schedule);
      this.checkScope(request.report ?? subscription.report, request.departmentIds ?? subscription.departmentIds);
      if (request.departmentIds !== undefined) await this.checkDepartments(manager, request.departmentIds);
      const before = this.view(subscription, undefined);
      Object.assign(subscription, {
        personId: person?.id ?? subscription.personId,
        report: request.report ?? subscription.report,
        schedule: request.schedule ?? subscription.schedule,
        departmentIds: request.departmentIds ?? subscription.departmentIds,
        updatedAt: this.clock.now(),
      });
      await manager.save(Subscription, subscription);
      const after = this.view(subscription, await manager.findOne(Person, { where: { id: subscription.personId } }) ?? undefined);
      await this.audit.record(manager, actor, 'update', 'subscription', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const subscription = await this.require(manager, id);
      await this.subscriber(manager, actor, subscription.personId);
      await manager.delete(Subscription, { id });
      await this.audit.record(manager, actor, 'delete', 'subscription', id, this.view(subscription, undefined), null);
    });
  }

  /** Queues every report whose latest occurrence has come and was not queued yet. */
  async enqueueDue(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const subscriptions = await manager.find(Subscription);
      if (subscriptions.length === 0) return 0;
      const people = new Map((await manager.find(Person, { where: { id: In([...new Set(subscriptions.map((s) => s.personId))]) } })).map((p) => [p.id, p]));
      const entries = [];
      for (const subscription of subscriptions) {
        const person = people.get(subscription.personId);
        if (!person) continue;
        const schedule = parseReportSchedule(subscription.schedule);
        const occurrence = lastOccurrence(schedule, now.getTime(), person.timezone);
        // Nothing before the subscription existed: its first report is its first occurrence.
        if (occurrence < subscription.createdAt.getTime()) continue;
        const payload: ReportPayload = {
          from: new Date(previousOccurrence(schedule, occurrence, person.timezone)).toISOString(),
          to: new Date(occurrence).toISOString(),
          departmentIds: subscription.departmentIds,
        };
        const kind = MESSAGE_KINDS[subscription.report as keyof typeof MESSAGE_KINDS] ?? 'breach-report';
        entries.push({
          kind,
          dedupeKey: `${kind}:${subscription.id}:${payload.to}`,
          referenceId: subscription.id,
          recipientId: person.id,
          recipientEmail: person.email,
          payload: { ...payload },
        });
      }
      await this.outbox.enqueue(manager, entries);
      return entries.length;
    });
  }

  private view(subscription: Subscription, person: Person | undefined): SubscriptionView {
    let next: number | null = null;
    try {
      next = person ? nextOccurrence(parseReportSchedule(subscription.schedule), this.clock.now().getTime(), person.timezone) : null;
    } catch {
      next = null;
    }
    return SubscriptionView.from(subscription, next);
  }

  private checkSchedule(schedule: string): void {
    try {
      parseReportSchedule(schedule);
    } catch (error) {
      if (error instanceof ScheduleError) throw InvalidInputError.of('schedule', `schedule: ${error.message}`);
      throw error;
    }
  }

  /** Both heads read the same funnel: it is the whole organisation's, never a department's. */
  private checkScope(report: string, departmentIds: string[]): void {
    if (report === 'funnel' && departmentIds.length > 0) {
      throw InvalidInputError.of('departmentIds', 'departmentIds must be empty for the funnel report: it covers the whole organisation');
    }
  }

  private async checkDepartments(manager: EntityManager, ids: string[]): Promise<void> {
    for (const id of ids) if (!(await manager.existsBy(Department, { id }))) throw new NotFoundError('department', id, 'departmentIds');
  }

  /** People subscribe themselves; heads the people of their department; admins anyone. */
  private async subscriber(manager: EntityManager, actor: Actor, personId: string): Promise<Person> {
    const person = await manager.findOne(Person, { where: { id: personId } });
    if (!person) throw new NotFoundError('person', personId, 'personId');
    if (person.id !== actor.personId && !isAdmin(actor) && !isHeadOf(actor, person.departmentId)) {
      throw new ForbiddenError("only the person, the head of their department or an admin may manage a person's subscriptions");
    }
    return person;
  }

  private async require(manager: EntityManager, id: string): Promise<Subscription> {
    const subscription = await manager.findOne(Subscription, { where: { id } });
    if (!subscription) throw new NotFoundError('subscription', id);
    return subscription;
  }
}
