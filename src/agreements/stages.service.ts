import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin, requireAdmin, requireDepartmentManager } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, fieldErrors, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { type Page, type PageQuery, pageOf } from '../common/pagination.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { AgreementVersion } from './agreement-version.entity.js';
import { checkEventFilter, type EventFilter } from './domain/agreement-terms.js';
import { FunnelStage } from './funnel-stage.entity.js';
import { StageEntryHandoff } from './stage-entry-handoff.js';
import { type CreateStageDto, StagePromiseView, StageView, type UpdateStageDto } from './stages.dto.js';

/** What the head of a stage's department may change; the rest (department, position) is the admins'. */
const HEAD_EDITABLE: (keyof UpdateStageDto)[] = ['name', 'doneDefinition', 'ownerId', 'enteredOn'];

/**
 * What the audit log keeps of a stage: its own fields. The view's department, owner and promises
 * are other records, audited where they change.
 */
function snapshot(stage: FunnelStage): object {
  return {
    id: stage.id,
    name: stage.name,
    position: stage.position,
    departmentId: stage.departmentId,
    ownerId: stage.ownerId,
    doneDefinition: stage.doneDefinition,
    enteredOn: stage.enteredOn,
    createdAt: stage.createdAt.toISOString(),
    updatedAt: stage.updatedAt.toISOString(),
  };
}

/** The filter as stored (keys in a fixed order, so an unchanged filter compares equal), or a 400 naming the faulty part. */
function enteredOnOf(value: EventFilter | null | undefined): EventFilter | null {
  if (value === undefined || value === null) return null;
  const problems: { path: string; message: string }[] = [];
  checkEventFilter(value, 'enteredOn', problems);
  if (problems.length > 0) {
    const fields = fieldErrors();
    for (const problem of problems) (fields[problem.path] ??= []).push(`${problem.path} ${problem.message}`);
    throw new InvalidInputError(fields);
  }
  return value.when === undefined ? { type: value.type } : { type: value.type, when: value.when };
}

function distinct(ids: (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

@Injectable()
export class StagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(FunnelStage) private readonly stages: Repository<FunnelStage>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly entries: StageEntryHandoff,
  ) {}

  async list(query: PageQuery): Promise<Page<StageView>> {
    const [stages, total] = await this.stages.findAndCount({
      order: { position: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(stages, total, query, await this.viewer(this.dataSource.manager, stages));
  }

  async get(id: string): Promise<StageView> {
    const stage = await this.stages.findOne({ where: { id } });
    if (!stage) throw new NotFoundError('stage', id);
    return this.viewOf(this.dataSource.manager, stage);
  }

  async create(actor: Actor, request: CreateStageDto): Promise<StageView> {
    requireAdmin(actor, 'create funnel stages');
    return this.dataSource.transaction(async (manager) => {
      const funnel = await this.lockedFunnel(manager);
      const position = request.position ?? funnel.length + 1;
      if (position > funnel.length + 1) {
        throw InvalidInputError.of('position', `position must be between 1 and ${funnel.length + 1}`);
      }
      this.requireFreeName(funnel, request.name);
      const departmentId = request.departmentId ?? null;
      const ownerId = request.ownerId ?? null;
      await this.checkOwnership(manager, departmentId, ownerId);
      const now = this.clock.now();
      const stage = manager.create(FunnelStage, {
        id: randomUUID(),
        name: request.name,
        position,
        departmentId,
        ownerId,
        doneDefinition: request.doneDefinition,
        enteredOn: enteredOnOf(request.enteredOn),
        createdAt: now,
        updatedAt: now,
      });
      funnel.splice(position - 1, 0, stage);
      await this.renumber(manager, actor, funnel, stage, now);
      await manager.insert(FunnelStage, stage);
      if (stage.enteredOn) await this.entries.onEnteredOnChanged(manager, stage.id);
      else await this.entries.onStagesChanged(manager);
      await this.audit.record(manager, actor, 'create', 'stage', stage.id, null, snapshot(stage));
      return this.viewOf(manager, stage);
    });
  }

  async update(actor: Actor, id: string, request: UpdateStageDto): Promise<StageView> {
    return this.dataSource.transaction(async (manager) => {
      const funnel = await this.lockedFunnel(manager);
      const stage = funnel.find((candidate) => candidate.id === id);
      if (!stage) throw new NotFoundError('stage', id);
      this.checkMayEdit(actor, stage, request);
      const before = snapshot(stage);
      if (request.position !== undefined && request.position > funnel.length) {
        throw InvalidInputError.of('position', `position must be between 1 and ${funnel.length}`);
      }
      if (request.name !== undefined) {
        this.requireFreeName(funnel, request.name, stage.id);
        stage.name = request.name;
      }
      if (request.departmentId !== undefined || request.ownerId !== undefined) {
        if (request.departmentId !== undefined) stage.departmentId = request.departmentId;
        if (request.ownerId !== undefined) stage.ownerId = request.ownerId;
        await this.checkOwnership(manager, stage.departmentId, stage.ownerId);
      }
      if (request.doneDefinition !== undefined) stage.doneDefinition = request.doneDefinition;
      const filterChanged = request.enteredOn !== undefined && JSON.stringify(enteredOnOf(request.enteredOn)) !== JSON.stringify(stage.enteredOn);
      if (filterChanged && request.enteredOn === null) {
        const measuring = await this.conversionsNaming(manager, id);
        if (measuring > 0) {
          const message = `stage ${stage.name} is measured by ${measuring} conversion agreement version(s): it must stay entered by an event (change enteredOn rather than remove it)`;
          throw new ConflictError(message, { enteredOn: [message] });
        }
      }
      if (filterChanged) stage.enteredOn = enteredOnOf(request.enteredOn);
      const now = this.clock.now();
      stage.updatedAt = now;
      if (request.position !== undefined) {
        funnel.splice(funnel.indexOf(stage), 1);
        funnel.splice(request.position - 1, 0, stage);
        await this.renumber(manager, actor, funnel, stage, now);
      }
      await manager.save(FunnelStage, stage);
      // The entries of the old filter go, those of the new one are found in the stored events.
      if (filterChanged) await this.entries.onEnteredOnChanged(manager, stage.id);
      else if (request.position !== undefined) await this.entries.onStagesChanged(manager);
      await this.audit.record(manager, actor, 'update', 'stage', id, before, snapshot(stage));
      return this.viewOf(manager, stage);
    });
  }

  /** Stages named by any agreement version, in force or not, stay: that history must not change. */
  async remove(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor, 'delete funnel stages');
    await this.dataSource.transaction(async (manager) => {
      const funnel = await this.lockedFunnel(manager);
      const stage = funnel.find((candidate) => candidate.id === id);
      if (!stage) throw new NotFoundError('stage', id);
      const governing = await manager.count(AgreementVersion, { where: { stageId: id } });
      const versions = governing + (await this.conversionsNaming(manager, id));
      if (versions > 0) {
        throw new ConflictError(`stage ${stage.name} is named by ${versions} agreement version(s); it cannot be deleted`);
      }
      await manager.delete(FunnelStage, { id });
      await this.audit.record(manager, actor, 'delete', 'stage', id, snapshot(stage), null);
      funnel.splice(funnel.indexOf(stage), 1);
      await this.renumber(manager, actor, funnel, null, this.clock.now());
      await this.entries.onStagesChanged(manager);
    });
  }

  /**
   * Every stage in funnel order, read under a lock on PostgreSQL: stage writers take turns (so
   * positions stay 1..n), and no agreement version can start naming a stage meanwhile (its foreign
   * key check waits). SQLite serialises writers by itself.
   */
  private async lockedFunnel(manager: EntityManager): Promise<FunnelStage[]> {
    if (manager.connection.options.type === 'postgres') {
      await manager.query('LOCK TABLE funnel_stages IN EXCLUSIVE MODE');
    }
    return manager.find(FunnelStage, { order: { position: 'ASC', id: 'ASC' } });
  }

  /**
   * Gives the stages positions 1..n in the order listed. `moving` is the stage the request is
   * about, saved and audited by the caller; every other stage whose position changes is saved and
   * audited here.
   */
  private async renumber(
    manager: EntityManager,
    actor: Actor,
    ordered: FunnelStage[],
    moving: FunnelStage | null,
    now: Date,
  ): Promise<void> {
    for (const [index, stage] of ordered.entries()) {
      const position = index + 1;
      if (stage === moving) stage.position = position;
      if (stage.position === position) continue;
      const before = snapshot(stage);
      stage.position = position;
      stage.updatedAt = now;
      await manager.update(FunnelStage, { id: stage.id }, { position, updatedAt: now });
      await this.audit.record(manager, actor, 'update', 'stage', stage.id, before, snapshot(stage));
    }
  }

  /** How many agreement versions measure a stage as one of their conversion terms' two stages: its entries are what they read. */
  private async conversionsNaming(manager: EntityManager, stageId: string): Promise<number> {
    const versions = await manager.find(AgreementVersion, { select: { id: true, conversion: true }, where: { conversion: Not(IsNull()) } });
    return versions.filter((version) => version.conversion?.fromStageId === stageId || version.conversion?.toStageId === stageId).length;
  }

  private checkMayEdit(actor: Actor, stage: FunnelStage, request: UpdateStageDto): void {
    requireDepartmentManager(actor, stage.departmentId, 'change this funnel stage');
    if (isAdmin(actor)) return;
    const changed = (Object.keys(request) as (keyof UpdateStageDto)[]).filter((key) => request[key] !== undefined);
    const refused = changed.filter((key) => !HEAD_EDITABLE.includes(key));
    if (refused.length > 0) throw new ForbiddenError(`only an admin may change ${refused.join(', ')}`);
  }

  /** Names are unique whatever the capitals: "mql" would be read as the same stage as "MQL". */
  private requireFreeName(funnel: FunnelStage[], name: string, exceptId?: string): void {
    const taken = funnel.find((stage) => stage.id !== exceptId && stage.name.toLowerCase() === name.toLowerCase());
    if (taken) {
      const message = `"${name}" is already the name of stage ${taken.name}`;
      throw new ConflictError(message, { name: [message] });
    }
  }

  /** The owner belongs to the stage's department; a stage without a department has no owner. */
  private async checkOwnership(manager: EntityManager, departmentId: string | null, ownerId: string | null): Promise<void> {
    if (departmentId !== null && !(await manager.exists(Department, { where: { id: departmentId } }))) {
      throw new NotFoundError('department', departmentId, 'departmentId');
    }
    if (ownerId === null) return;
    const owner = await manager.findOne(Person, { where: { id: ownerId } });
    if (!owner) throw new NotFoundError('person', ownerId, 'ownerId');
    if (departmentId === null) {
      throw InvalidInputError.of('ownerId', 'a stage without a department cannot have an owner; give it a departmentId');
    }
    if (owner.departmentId !== departmentId) {
      throw InvalidInputError.of('ownerId', `${owner.name} does not belong to the stage's department`);
    }
  }

  private async viewOf(manager: EntityManager, stage: FunnelStage): Promise<StageView> {
    return (await this.viewer(manager, [stage]))(stage);
  }

  /** Builds the views of many stages from three queries, whatever their number. */
  private async viewer(manager: EntityManager, stages: FunnelStage[]): Promise<(stage: FunnelStage) => StageView> {
    const departmentIds = distinct(stages.map((stage) => stage.departmentId));
    const ownerIds = distinct(stages.map((stage) => stage.ownerId));
    const departments = departmentIds.length
      ? await manager.find(Department, { where: { id: In(departmentIds) } })
      : [];
    const owners = ownerIds.length
      ? await manager.find(Person, { select: { id: true, name: true, email: true }, where: { id: In(ownerIds) } })
      : [];
    const versions = stages.length
      ? await manager.find(AgreementVersion, {
          where: { stageId: In(stages.map((stage) => stage.id)), status: 'active' },
          relations: { agreement: true },
          order: { name: 'ASC', id: 'ASC' },
        })
      : [];
    const departmentById = new Map<string | null, Department>(departments.map((department) => [department.id, department]));
    const ownerById = new Map<string | null, Person>(owners.map((owner) => [owner.id, owner]));
    const promisesByStage = new Map<string, StagePromiseView[]>();
    for (const version of versions) {
      const promises = promisesByStage.get(version.stageId as string) ?? [];
      promises.push(StagePromiseView.from(version));
      promisesByStage.set(version.stageId as string, promises);
    }
    return (stage) =>
      StageView.from(
        stage,
        departmentById.get(stage.departmentId) ?? null,
        ownerById.get(stage.ownerId) ?? null,
        promisesByStage.get(stage.id) ?? [],
      );
  }
}
