import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type FindOptionsWhere, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import type { Role } from '../access/roles.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { type Page, pageOf } from '../common/pagination.js';
import { Department } from './department.entity.js';
import { type CreatePersonDto, type PeopleQuery, PersonView, type UpdatePersonDto } from './people.dto.js';
import { PersonDeactivation } from './person-deactivation.js';
import { Person } from './person.entity.js';

const SELF_EDITABLE: (keyof UpdatePersonDto)[] = ['name', 'timezone', 'locale'];
const HEAD_EDITABLE: (keyof UpdatePersonDto)[] = ['name', 'email', 'timezone', 'locale'];

@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly deactivation: PersonDeactivation,
    private readonly clock: Clock,
  ) {}

  /** Admins add anyone; a head adds members to their own department. */
  async create(actor: Actor, request: CreatePersonDto): Promise<PersonView> {
    const departmentId = request.departmentId ?? (actor.role === 'head' ? actor.departmentId : null);
    if (!isAdmin(actor)) {
      if (!isHeadOf(actor, departmentId)) {
        throw new ForbiddenError('only an admin, or a head for their own department, may add people');
      }
      if (request.role !== 'member') throw new ForbiddenError('only an admin may add heads and admins');
    }
    return this.dataSource.transaction(async (manager) => {
      const department = await this.checkPlacement(manager, request.role, departmentId ?? null, undefined);
      const email = request.email.toLowerCase();
      await this.requireFreeEmail(manager, email);
      const now = this.clock.now();
      const person = manager.create(Person, {
        id: randomUUID(),
        name: request.name,
        email,
        departmentId: department?.id ?? null,
        role: request.role,
        timezone: request.timezone ?? department?.timezone ?? 'UTC',
        locale: request.locale ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(Person, person);
      const view = PersonView.from(person);
      await this.audit.record(manager, actor, 'create', 'person', person.id, null, view);
      return view;
    });
  }

  async list(query: PeopleQuery): Promise<Page<PersonView>> {
    const where: FindOptionsWhere<Person> = {};
    if (query.departmentId) where.departmentId = query.departmentId;
    if (query.role) where.role = query.role;
    const [people, total] = await this.dataSource.manager.findAndCount(Person, {
      where,
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(people, total, query, PersonView.from);
  }

  async get(id: string): Promise<PersonView> {
    return PersonView.from(await this.require(this.dataSource.manager, id));
  }

  async update(actor: Actor, id: string, request: UpdatePersonDto): Promise<PersonView> {
    return this.dataSource.transaction(async (manager) => {
      const person = await this.require(manager, id);
      this.checkMayEdit(actor, person, request);
      const before = PersonView.from(person);
      const role = request.role ?? person.role;
      const departmentId = request.departmentId !== undefined ? request.departmentId : person.departmentId;
      if (role !== person.role || departmentId !== person.departmentId) {
        if (person.role === 'admin' && role !== 'admin') await this.requireAnotherAdmin(manager, person.id);
        await this.checkPlacement(manager, role, departmentId, person.id);
      }
      if (request.email !== undefined && request.email.toLowerCase() !== person.email) {
        await this.requireFreeEmail(manager, request.email.toLowerCase(), person.id);
        person.email = request.email.toLowerCase();
      }
      if (request.name !== undefined) person.name = request.name;
      if (request.timezone !== undefined) person.timezone = request.timezone;
      if (request.locale !== undefined) person.locale = request.locale;
      if (request.active === false && !person.deactivatedAt) {
        if (person.role === 'admin') await this.requireAnotherAdmin(manager, person.id);
        person.deactivatedAt = this.clock.now();
        // Whoever is signed in as them is signed out now, not in 14 days.
        await this.deactivation.announce(manager, person.id, person.deactivatedAt);
      } else if (request.active === true) {
        person.deactivatedAt = null;
      }
      person.role = role;
      person.departmentId = departmentId;
      person.updatedAt = this.clock.now();
      await manager.save(Person, person);
      const after = PersonView.from(person);
      await this.audit.record(manager, actor, 'update', 'person', id, before, after);
      return after;
    });
  }

  /** Admins remove anyone but the last admin; a head removes members of their department. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const person = await this.require(manager, id);
      if (!isAdmin(actor) && !(isHeadOf(actor, person.departmentId) && person.role === 'member')) {
        throw new ForbiddenError('only an admin, or a head for members of their department, may remove people');
      }
      if (person.role === 'admin') await this.requireAnotherAdmin(manager, person.id);
      await manager.delete(Person, { id });
      await this.audit.record(manager, actor, 'delete', 'person', id, PersonView.from(person), null);
    });
  }

  async require(manager: EntityManager, id: string): Promise<Person> {
    const person = await manager.findOne(Person, { where: { id } });
    if (!person) throw new NotFoundError('person', id);
    return person;
  }

  private checkMayEdit(actor: Actor, person: Person, request: UpdatePersonDto): void {
    if (isAdmin(actor)) return;
    const changed = (Object.keys(request) as (keyof UpdatePersonDto)[]).filter((key) => request[key] !== undefined);
    const allowed = isHeadOf(actor, person.departmentId) && person.role !== 'admin'
      ? HEAD_EDITABLE
      : actor.personId === person.id
        ? SELF_EDITABLE
        : [];
    if (allowed.length === 0) {
      throw new ForbiddenError('only an admin, the head of their department or the person may change a person');
    }
    const refused = changed.filter((key) => !allowed.includes(key));
    if (refused.length > 0) throw new ForbiddenError(`only an admin may change ${refused.join(', ')}`);
  }

  /** Heads and members belong to a department; a department has at most one head. */
  private async checkPlacement(
    manager: EntityManager,
    role: Role,
    departmentId: string | null,
    personId: string | undefined,
  ): Promise<Department | null> {
    if (departmentId === null) {
      if (role !== 'admin') throw InvalidInputError.of('departmentId', `departmentId is required for a ${role}`);
      return null;
    }
    const department = await manager.findOne(Department, { where: { id: departmentId } });
    if (!department) throw new NotFoundError('department', departmentId, 'departmentId');
    if (role === 'head') {
      const head = await manager.findOne(Person, {
        where: personId ? { role: 'head', departmentId, id: Not(personId) } : { role: 'head', departmentId },
      });
      if (head) {
        const message = `department ${department.slug} already has a head (${head.name}); change their role first`;
        throw new ConflictError(message, { role: [message] });
      }
    }
    return department;
  }

  private async requireFreeEmail(manager: EntityManager, email: string, exceptId?: string): Promise<void> {
    const taken = await manager.findOne(Person, { where: exceptId ? { email, id: Not(exceptId) } : { email } });
    if (taken) {
      const message = `${email} is already the email of another person`;
      throw new ConflictError(message, { email: [message] });
    }
  }

  /** Concord must always keep someone who can manage it. */
  private async requireAnotherAdmin(manager: EntityManager, personId: string): Promise<void> {
    const others = await manager.count(Person, { where: { role: 'admin', id: Not(personId), deactivatedAt: IsNull() } });
    if (others === 0) throw new ConflictError('this is the last active admin; make someone else admin first');
  }
}
