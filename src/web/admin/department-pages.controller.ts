import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import type { FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { CreateDepartmentDto, UpdateDepartmentDto, type DepartmentView } from '../../org/departments.dto.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { PeopleService } from '../../org/people.service.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import { sayFor } from '../say.js';
import type { WebRequest } from '../web-request.js';
import { departmentValuesOf, newDepartmentValues, typedDepartment, type DepartmentFormValues } from './department-form.js';
import { departmentTitle, presentDepartmentForm, presentDepartmentList } from './department.view.js';

/** Departments: list, create, edit, delete. Admins only. */
@Pages()
@Roles('admin')
@Controller('admin/departments')
export class DepartmentPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly departments: DepartmentsService,
    private readonly calendars: CalendarsService,
    private readonly people: PeopleService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const [page, calendars, directory] = await Promise.all([this.departments.list({ limit: MAX_PAGE_SIZE, offset: 0 }), this.listCalendars(), this.directory.everyone()]);
    this.pages.send(response, request, 'admin/departments', 'admin.departments.title', presentDepartmentList({ page, calendars, directory }));
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showForm(request, response, null, newDepartmentValues(), null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = typedDepartment(body);
    let created: DepartmentView;
    try {
      // Slug and time zone left empty take their defaults (from the name, from the calendar).
      const plain = { name: values.name, slug: text(values.slug), timezone: text(values.timezone), calendarId: text(values.calendarId) ?? null };
      created = await this.departments.create(request.actor!, await validated(CreateDepartmentDto, plain));
    } catch (error) {
      return this.showForm(request, response, null, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/departments/${created.id}`, this.pages.t(request, 'admin.department.created'));
  }

  @Get(':id')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const department = await this.departments.get(id);
    await this.showForm(request, response, department, departmentValuesOf(department), null);
  }

  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const department = await this.departments.get(id);
    const values = typedDepartment(body);
    try {
      // Every field is sent as typed: emptying the slug or time zone is refused, not silently ignored.
      const plain = { name: values.name, slug: values.slug, timezone: values.timezone, calendarId: text(values.calendarId) ?? null };
      await this.departments.update(request.actor!, id, await validated(UpdateDepartmentDto, plain));
    } catch (error) {
      return this.showForm(request, response, department, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/departments/${id}`, this.pages.t(request, 'admin.department.saved'));
  }

  @Post(':id/delete')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const department = await this.departments.get(id);
    try {
      await this.departments.remove(request.actor!, id);
    } catch (error) {
      return this.showForm(request, response, department, departmentValuesOf(department), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/admin/departments', this.pages.t(request, 'admin.department.deleted', { name: department.name }));
  }

  private async showForm(request: WebRequest, response: Response, department: DepartmentView | null, values: DepartmentFormValues, errors: FieldErrors | null, status = 200): Promise<void> {
    const [calendars, head, members] = await Promise.all([
      this.listCalendars(),
      department?.headId ? this.people.get(department.headId) : null,
      department ? this.people.list({ departmentId: department.id, limit: 1, offset: 0 }) : null,
    ]);
    const say = sayFor(this.pages, request);
    const view = presentDepartmentForm({ department, values, errors, calendars, head, members, say });
    this.pages.send(response, request, 'admin/department-form', departmentTitle(department, say), view, status);
  }

  /** The calendars a department may be on (a page of MAX_PAGE_SIZE, as the select offers them). */
  private async listCalendars() {
    return (await this.calendars.list({ limit: MAX_PAGE_SIZE, offset: 0 })).items;
  }
}
