import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { CreateCalendarDto, DueQuery, UpdateCalendarDto, type CalendarView } from '../../calendars/calendars.dto.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { Clock } from '../../common/clock.js';
import { DomainError, InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { formErrorsOf, statusOf, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import { sayFor } from '../say.js';
import type { WebRequest } from '../web-request.js';
import {
  calendarErrorsForForm,
  calendarFormValuesOf,
  definitionErrors,
  newCalendarValues,
  readCalendarForm,
  type CalendarFormValues,
  type CalendarRequest,
} from './calendar-form.js';
import { importNotice, importRefusalForForm, readDatesUpload, uploadValuesOf, type UploadFields } from './calendar-upload.js';
import { calendarTitle, presentCalendarForm, presentCalendarList, type DuePreview } from './calendar.view.js';

/** The sanity check shown on the edit page: one working hour from now. */
const PREVIEW_DURATION = 'PT1H';

/** Business calendars: list, create, edit (with a due-time preview), import dated hours, delete. Admins only. */
@Pages()
@Roles('admin')
@Controller('admin/calendars')
export class CalendarPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly calendars: CalendarsService,
    private readonly departments: DepartmentsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const [page, departments] = await Promise.all([this.calendars.list({ limit: MAX_PAGE_SIZE, offset: 0 }), this.departments.list({ limit: MAX_PAGE_SIZE, offset: 0 })]);
    this.pages.send(response, request, 'admin/calendars', 'admin.calendars.title', presentCalendarList({ page, departments: departments.items, say: sayFor(this.pages, request) }));
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showForm(request, response, null, newCalendarValues(request.signedIn!.person.timezone), null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const form = readCalendarForm(body);
    let created: CalendarView;
    try {
      created = await this.calendars.create(request.actor!, await this.checked(CreateCalendarDto, form.request));
    } catch (error) {
      return this.showForm(request, response, null, form.values, calendarErrorsForForm(formErrorsOf(error), form.targets), statusOf(error));
    }
    this.pages.redirect(response, `/admin/calendars/${created.id}`, this.pages.t(request, 'admin.calendar.created'));
  }

  @Get(':id')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const calendar = await this.calendars.get(id);
    await this.showForm(request, response, calendar, calendarFormValuesOf(calendar), null);
  }

  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const calendar = await this.calendars.get(id);
    const form = readCalendarForm(body);
    try {
      await this.calendars.update(request.actor!, id, await this.checked(UpdateCalendarDto, form.request));
    } catch (error) {
      return this.showForm(request, response, calendar, form.values, calendarErrorsForForm(formErrorsOf(error), form.targets), statusOf(error));
    }
    this.pages.redirect(response, `/admin/calendars/${id}`, this.pages.t(request, 'admin.calendar.saved'));
  }

  /** The upload of a year of dated hours (multipart, read by CalendarUploadMiddleware): the API's import, shown in place. */
  @Post(':id/dates/import')
  async importDates(@Req() request: WebRequest & UploadFields, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const calendar = await this.calendars.get(id);
    let notice: string;
    try {
      const upload = await readDatesUpload(request, body);
      notice = importNotice(await this.calendars.importDates(request.actor!, id, upload.text, upload.format, upload.workdayAs), sayFor(this.pages, request));
    } catch (error) {
      const { errors, status } = importRefusalForForm(error);
      return this.showForm(request, response, calendar, calendarFormValuesOf(calendar), errors, status, uploadValuesOf(body));
    }
    this.pages.redirect(response, `/admin/calendars/${id}`, notice);
  }

  @Post(':id/delete')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const calendar = await this.calendars.get(id);
    try {
      await this.calendars.remove(request.actor!, id);
    } catch (error) {
      return this.showForm(request, response, calendar, calendarFormValuesOf(calendar), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/admin/calendars', this.pages.t(request, 'admin.calendar.deleted', { name: calendar.name }));
  }

  private async showForm(
    request: WebRequest,
    response: Response,
    calendar: CalendarView | null,
    values: CalendarFormValues,
    errors: FieldErrors | null,
    status = 200,
    upload = { workdayAs: 'mon' },
  ): Promise<void> {
    const preview = calendar ? await this.preview(calendar.id) : null;
    const say = sayFor(this.pages, request);
    const view = presentCalendarForm({ calendar, values, errors, upload, preview, zone: request.signedIn!.person.timezone, say });
    this.pages.send(response, request, 'admin/calendar-form', calendarTitle(calendar, say), view, status);
  }

  /** The API's DTO; when it refuses the post, every problem of the hours is named too, not only on the next try. */
  private async checked<T extends object>(type: new () => T, request: CalendarRequest): Promise<T> {
    try {
      return await validated(type, request);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError({ ...definitionErrors(request), ...error.fields });
      throw error;
    }
  }

  /** When a lead arriving now would be due after one working hour, by the hours saved. */
  private async preview(id: string): Promise<DuePreview> {
    const from = this.clock.now().toISOString();
    try {
      const { due } = await this.calendars.due(id, await validated(DueQuery, { from, duration: PREVIEW_DURATION }));
      return { from, due, problem: null };
    } catch (error) {
      // A calendar open too rarely to find the hour within range: say so rather than fail the page.
      if (error instanceof DomainError && error.code === 'invalid') return { from, due: null, problem: error.message };
      throw error;
    }
  }
}
