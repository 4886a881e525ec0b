import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, fieldErrors, ForbiddenError, InvalidInputError, NotFoundError, type FieldErrors } from '../common/errors.js';
import { type Page, type PageQuery, pageOf } from '../common/pagination.js';
import {
  BusinessCalendar,
  BusinessTimeRangeError,
  formatImportProblem,
  importDatedHours,
  mergeImportedDates,
  mergedSummary,
  normalizeCalendarDefinition,
  parseBusinessDuration,
  type CalendarDefinition,
  type ImportProblem,
  type Weekday,
} from './business-time/index.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { CalendarUsers } from './calendar-users.js';
import { Calendar } from './calendar.entity.js';
import {
  CalendarView,
  type CreateCalendarDto,
  type DatesImportFormat,
  type DatesImportView,
  type DueQuery,
  type DueView,
  type ElapsedQuery,
  type ElapsedView,
  type OpenQuery,
  type OpenView,
  type UpdateCalendarDto,
} from './calendars.dto.js';

function definitionOf(calendar: Pick<Calendar, 'timezone' | 'hours' | 'holidays' | 'holidayPreset' | 'breaks' | 'dates'>): CalendarDefinition {
  return {
    timezone: calendar.timezone,
    hours: calendar.hours,
    holidays: calendar.holidays,
    holidayPreset: calendar.holidayPreset,
    breaks: calendar.breaks,
    dates: calendar.dates,
  };
}

/** Problems of a refused import named one by one in a 400; past this many, one more entry counts the rest. */
const REPORTED_IMPORT_PROBLEMS = 50;

/** A refused import as a 400: each problem under its line (`"line 14"`), worded with its date when known. */
function importRefusal(problems: readonly ImportProblem[]): InvalidInputError {
  const fields: FieldErrors = fieldErrors();
  for (const problem of problems.slice(0, REPORTED_IMPORT_PROBLEMS)) (fields[`line ${problem.line}`] ??= []).push(formatImportProblem(problem));
  const more = problems.length - REPORTED_IMPORT_PROBLEMS;
  if (more > 0) fields.body = [`and ${more} more problem${more === 1 ? '' : 's'} after line ${problems[REPORTED_IMPORT_PROBLEMS - 1].line}`];
  return new InvalidInputError(fields, `nothing was imported: ${formatImportProblem(problems[0])}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
}

@Injectable()
export class CalendarsService {
  /** Ids of calendars whose rules changed, after the change is committed (the tracking engine listens). */
  readonly changes = new Subject<string>();

  /** Compiled calendars by id; an entry is reused only while its version is current. */
  private readonly compiled = new Map<string, { version: number; calendar: BusinessCalendar }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Calendar) private readonly calendars: Repository<Calendar>,
    private readonly users: CalendarUsers,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, request: CreateCalendarDto): Promise<CalendarView> {
    if (actor.role === 'member') throw new ForbiddenError('only an admin or a head may create calendars');
    const now = this.clock.now();
    const calendar = this.calendars.create({
      id: randomUUID(),
      name: request.name,
      timezone: request.timezone,
      hours: request.hours,
      holidays: request.holidays ?? [],
      holidayPreset: request.holidayPreset ?? null,
      breaks: request.breaks ?? {},
      dates: request.dates ?? {},
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    this.requireValidDefinition(calendar);
    return this.dataSource.transaction(async (manager) => {
      await manager.insert(Calendar, calendar);
      const view = CalendarView.from(calendar);
      await this.audit.record(manager, actor, 'create', 'calendar', calendar.id, null, view);
      return view;
    });
  }

  async list(query: PageQuery): Promise<Page<CalendarView>> {
    const [calendars, total] = await this.calendars.findAndCount({
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(calendars, total, query, CalendarView.from);
  }

  async get(id: string): Promise<CalendarView> {
    return CalendarView.from(await this.require(this.dataSource.manager, id));
  }

  async update(actor: Actor, id: string, request: UpdateCalendarDto): Promise<CalendarView> {
    return (
      await this.change(actor, id, (calendar) => {
        if (request.name !== undefined) calendar.name = request.name;
        if (request.timezone !== undefined) calendar.timezone = request.timezone;
        if (request.hours !== undefined) calendar.hours = request.hours;
        if (request.holidays !== undefined) calendar.holidays = request.holidays;
        if (request.holidayPreset !== undefined) calendar.holidayPreset = request.holidayPreset;
        if (request.breaks !== undefined) calendar.breaks = request.breaks;
        if (request.dates !== undefined) calendar.dates = request.dates;
      })
    ).view;
  }

  /**
   * Merges a year of an official production calendar (xmlcalendar XML) or CSV rows `date,hours`
   * into the calendar's `dates`, in one transaction with its audit entry, and says what it did;
   * a file with any problem changes nothing (400 naming each line). Dates the calendar lists in
   * `holidays` stay holidays and are named in `keptAsHolidays`.
   */
  async importDates(actor: Actor, id: string, text: string, format: DatesImportFormat, workdayAs?: Weekday): Promise<DatesImportView> {
    const { result } = await this.change(actor, id, (calendar) => {
      const { problems, imported } = importDatedHours(text, format, calendar.hours, workdayAs);
      if (!imported) throw importRefusal(problems);
      const merged = mergeImportedDates(calendar, imported.dates);
      calendar.dates = merged.dates;
      // The counts say what went into `dates`; the dates kept as holidays are listed instead.
      const summary: DatesImportView = mergedSummary(imported, merged.keptAsHolidays);
      if (merged.keptAsHolidays.length > 0) summary.keptAsHolidays = merged.keptAsHolidays;
      return summary;
    });
    return result;
  }

  /**
   * One change of a calendar: checked against who may change it and the calendar rules, saved
   * with a new version and its audit entry in one transaction, then announced on `changes` so
   * running clocks are recomputed.
   */
  private async change<T>(actor: Actor, id: string, apply: (calendar: Calendar) => T): Promise<{ view: CalendarView; result: T }> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const calendar = await this.require(manager, id);
      await this.requireMayChange(manager, actor, calendar);
      const before = CalendarView.from(calendar);
      const result = apply(calendar);
      this.requireValidDefinition(calendar);
      calendar.updatedAt = this.clock.now();
      const saved = await manager.save(Calendar, calendar);
      const view = CalendarView.from(saved);
      await this.audit.record(manager, actor, 'update', 'calendar', id, before, view);
      return { view, result };
    });
    this.changes.next(id);
    return changed;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const calendar = await this.require(manager, id);
      await this.requireMayChange(manager, actor, calendar);
      const keepers = await this.users.keepersOf(manager, id);
      if (keepers.length > 0) {
        throw new ConflictError(
          `calendar ${calendar.name} is the calendar of ${keepers.map((d) => d.slug).join(', ')}; give them another first`,
        );
      }
      const refusal = await this.users.deletionRefusal(manager, calendar);
      if (refusal) throw new ConflictError(refusal);
      await manager.delete(Calendar, { id });
      await this.audit.record(manager, actor, 'delete', 'calendar', id, CalendarView.from(calendar), null);
      this.compiled.delete(id);
    });
  }

  async due(id: string, query: DueQuery): Promise<DueView> {
    const calendar = await this.businessCalendar(id);
    const due = this.withinRange('from', () => calendar.dueAt(new Date(query.from), parseBusinessDuration(query.duration)));
    return { due: due.toISOString() };
  }

  async elapsed(id: string, query: ElapsedQuery): Promise<ElapsedView> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to < from) throw InvalidInputError.of('to', 'to must not be before from');
    const calendar = await this.businessCalendar(id);
    return { seconds: this.withinRange('from', () => calendar.businessSecondsBetween(from, to)) };
  }

  async open(id: string, query: OpenQuery): Promise<OpenView> {
    const calendar = await this.businessCalendar(id);
    return { open: this.withinRange('at', () => calendar.isOpen(new Date(query.at))) };
  }

  /** The compiled calendar for arithmetic, for this service's endpoints and the tracking engine. */
  async businessCalendar(id: string): Promise<BusinessCalendar> {
    return (await this.compiledCalendar(this.dataSource.manager, id)).calendar;
  }

  /**
   * The compiled calendar with the version it was compiled from; cached while the version holds.
   * Every event measured asks for its agreements' calendars: while one is cached, only its version
   * is read (one hand-written statement, not the ORM's find of the whole definition).
   */
  async compiledCalendar(manager: EntityManager, id: string): Promise<{ calendar: BusinessCalendar; version: number }> {
    const cached = this.compiled.get(id);
    if (cached) {
      const [current] = await SqlDialect.rows<{ version: number | string }>(manager, `SELECT version FROM calendars WHERE id = ${SqlDialect.of(manager).param(1)}`, [id]);
      if (current && Number(current.version) === cached.version) return cached;
    }
    const stored = await this.require(manager, id);
    const compiled = { version: stored.version, calendar: BusinessCalendar.compile(definitionOf(stored)) };
    this.compiled.set(id, compiled);
    return compiled;
  }

  async require(manager: EntityManager, id: string): Promise<Calendar> {
    const calendar = await manager.findOne(Calendar, { where: { id } });
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  private requireValidDefinition(calendar: Calendar): void {
    const { problems } = normalizeCalendarDefinition(definitionOf(calendar));
    if (problems.length === 0) return;
    const fields: FieldErrors = fieldErrors();
    for (const problem of problems) (fields[problem.path] ??= []).push(`${problem.path} ${problem.message}`);
    throw new InvalidInputError(fields);
  }

  /** Admins change any calendar; a head, one that no other department uses. */
  private async requireMayChange(manager: EntityManager, actor: Actor, calendar: Calendar): Promise<void> {
    if (isAdmin(actor)) return;
    if (actor.role === 'head') {
      const keepers = await this.users.keepersOf(manager, calendar.id);
      if (keepers.every((department) => department.id === actor.departmentId)) return;
    }
    throw new ForbiddenError('only an admin, or a head for a calendar only their department uses, may change it');
  }

  private withinRange<T>(field: string, compute: () => T): T {
    try {
      return compute();
    } catch (error) {
      if (error instanceof BusinessTimeRangeError) throw InvalidInputError.of(field, `${field}: ${error.message}`);
      throw error;
    }
  }
}
