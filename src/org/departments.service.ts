import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, In, Not, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { requireAdmin, requireDepartmentManager } from '../access/permissions.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { type Page, type PageQuery, pageOf } from '../common/pagination.js';
import { Department } from './department.entity.js';
import { type CreateDepartmentDto, DepartmentView, type UpdateDepartmentDto } from './departments.dto.js';
import { Person } from './person.entity.js';

/** "Sales & Ops (EMEA)" → "sales-ops-emea". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

@Injectable()
export class DepartmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, request: CreateDepartmentDto): Promise<DepartmentView> {
    requireAdmin(actor, 'create departments');
    return this.dataSource.transaction(async (manager) => {
      const slug = request.slug ?? slugify(request.name);
      if (!slug) throw InvalidInputError.of('slug', 'slug cannot be derived from this name; give one');
      await this.requireFreeSlug(manager, slug);
      const calendar = request.calendarId ? await this.requireCalendar(manager, request.calendarId) : null;
      const timezone = request.timezone ?? calendar?.timezone;
      if (!timezone) throw InvalidInputError.of('timezone', 'timezone is required when no calendarId is given');
      const now = this.clock.now();
      const department = manager.create(Department, {
        id: randomUUID(),
        name: request.name,
        slug,
        timezone,
        calendarId: calendar?.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(Department, department);
      const view = DepartmentView.from(department, null);
      await this.audit.record(manager, actor, 'create', 'department', department.id, null, view);
      return view;
    });
  }

  async list(query: PageQuery): Promise<Page<DepartmentView>> {
    const [departments, total] = await this.departments.findAndCount({
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    const heads = await this.headsOf(
      this.dataSource.manager,
      departments.map((d) => d.id),
    );
    return pageOf(departments, total, query, (d) => DepartmentView.from(d, heads.get(d.id) ?? null));
  }

  async get(id: string): Promise<DepartmentView> {
    const department = await this.require(this.dataSource.manager, id);
    const heads = await this.headsOf(this.dataSource.manager, [id]);
    return DepartmentView.from(department, heads.get(id) ?? null);
  }

  async update(actor: Actor, id: string, request: UpdateDepartmentDto): Promise<DepartmentView> {
    return this.dataSource.transaction(async (manager) => {
      const department = await this.require(manager, id);
      requireDepartmentManager(actor, department.id, 'change a department');
      const heads = await this.headsOf(manager, [id]);
      const before = DepartmentView.from(department, heads.get(id) ?? null);
      if (request.slug !== undefined && request.slug !== department.slug) {
        await this.requireFreeSlug(manager, request.slug, department.id);
        department.slug = request.slug;
      }
      if (request.calendarId !== undefined) {
        department.calendarId = request.calendarId === null ? null : (await this.requireCalendar(manager, request.calendarId)).id;
      }
      if (request.name !== undefined) department.name = request.name;
      if (request.timezone !== undefined) department.timezone = request.timezone;
      department.updatedAt = this.clock.now();
      await manager.save(Department, department);
      const after = DepartmentView.from(department, heads.get(id) ?? null);
      await this.audit.record(manager, actor, 'update', 'department', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor, 'delete departments');
    await this.dataSource.transaction(async (manager) => {
      const department = await this.require(manager, id);
      const members = await manager.count(Person, { where: { departmentId: id } });
      if (members > 0) {
        throw new ConflictError(`department ${department.slug} still has ${members} people; move or delete them first`);
      }
      await manager.delete(Department, { id });
      await this.audit.record(manager, actor, 'delete', 'department', id, DepartmentView.from(department, null), null);
    });
  }

  async require(manager: EntityManager, id: string): Promise<Department> {
    const department = await manager.findOne(Department, { where: { id } });
    if (!department) throw new NotFoundError('department', id);
    return department;
  }

  private async headsOf(manager: EntityManager, departmentIds: string[]): Promise<Map<string, string>> {
    if (departmentIds.length === 0) return new Map();
    const heads = await manager.find(Person, {
      select: { id: true, departmentId: true },
      where: { role: 'head', departmentId: In(departmentIds) },
    });
    return new Map(heads.map((head) => [head.departmentId as string, head.id]));
  }

  private async requireFreeSlug(manager: EntityManager, slug: string, exceptId?: string): Promise<void> {
    const taken = await manager.findOne(Department, {
      where: exceptId ? { slug, id: Not(exceptId) } : { slug },
    });
    if (taken) {
      throw new ConflictError(`slug "${slug}" is already used by department ${taken.name}`, {
        slug: [`"${slug}" is already used by department ${taken.name}`],
      });
    }
  }

  private async requireCalendar(manager: EntityManager, calendarId: string): Promise<Calendar> {
    const calendar = await manager.findOne(Calendar, { where: { id: calendarId } });
    if (!calendar) throw new NotFoundError('calendar', calendarId, 'calendarId');
    return calendar;
  }
}
