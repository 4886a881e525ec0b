import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { isAdmin } from '../../access/permissions.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { fieldErrors, ForbiddenError, type FieldErrors } from '../../common/errors.js';
import type { PageQuery } from '../../common/pagination.js';
import { MeetingSeriesService } from '../../meetings/meeting-series.service.js';
import { CreateSeriesDto, type SeriesView } from '../../meetings/meetings.dto.js';
import type { DepartmentView } from '../../org/departments.dto.js';
import { DepartmentsService } from '../../org/departments.service.js';
import type { PeopleQuery, PersonView } from '../../org/people.dto.js';
import { PeopleService } from '../../org/people.service.js';
import { allPages } from '../all-pages.js';
import { Directory } from '../directory.js';
import { fieldId } from '../form-fields.js';
import { formErrorsOf, statusOf, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import {
  blankSeriesForm,
  seriesFormChoices,
  seriesFormErrors,
  seriesFormValuesOf,
  seriesRequestOf,
  type SeriesFormValues,
} from './series-form.js';




/**
 * Planning a meeting series from a page. Its own controller under `meetings/series`, registered
 * before MeetingPagesController, so `/meetings/series/new` is never taken for a meeting id.
 * MeetingSeriesService decides who may plan what; the page only leads the way there.
 */
@Pages()
@Controller('meetings/series')
export class SeriesPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly series: MeetingSeriesService,
    private readonly people: PeopleService,
    private readonly departments: DepartmentsService,
    private readonly calendars: CalendarsService,
  ) {}

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    // Members could only be refused at the end: they are told before typing anything.
    if (!isAdmin(actor) && actor.role !== 'head') throw new ForbiddenError('only an admin or a head may plan a meeting series');
    const [people, departments, calendars] = await Promise.all([this.activePeople(), this.allDepartments(), this.calendarOptions()]);
    // Two departments: the usual joint meeting, both ticked; otherwise the head's own, to add others to.
    const chosen = departments.length <= 2 ? departments.map((d) => d.id) : departments.filter((d) => d.id === actor.departmentId).map((d) => d.id);
    const heads = departments.filter((d) => chosen.includes(d.id) && d.headId).map((d) => d.headId as string);
    const values = blankSeriesForm(people, heads, chosen, request.signedIn!.person.timezone, actor.personId);
    this.show(request, response, values, null, { people, departments, calendars }, 200);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = seriesFormValuesOf(body);
    const typed = seriesRequestOf(values);
    let apiErrors: FieldErrors = fieldErrors();
    let status = 400;
    let created: SeriesView | null = null;
    let dto: CreateSeriesDto | null = null;
    try {
      dto = await validated(CreateSeriesDto, typed.request);
    } catch (error) {
      apiErrors = formErrorsOf(error);
    }
    // What the form found itself (how the series ends) is shown with the API's findings, in one go.
    if (dto && Object.keys(typed.errors).length === 0) {
      try {
        created = await this.series.create(request.actor!, dto);
      } catch (error) {
        apiErrors = formErrorsOf(error);
        status = statusOf(error);
      }
    }
    if (!created) {
      const [people, departments, calendars] = await Promise.all([this.activePeople(), this.allDepartments(), this.calendarOptions()]);
      return this.show(request, response, values, seriesFormErrors(apiErrors, typed, values), { people, departments, calendars }, status);
    }
    const planned = created.meetings.length;
    this.pages.redirect(response, '/meetings', this.pages.t(request, 'meetings.notice.seriesPlanned', { title: created.title, count: planned }));
  }

  private show(
    request: WebRequest,
    response: Response,
    values: SeriesFormValues,
    errors: FieldErrors | null,
    choices: { people: PersonView[]; departments: DepartmentView[]; calendars: { value: string; label: string }[] },
    status: number,
  ): void {
    const { people, departments, calendars } = choices;
    const directory = new Directory(people, departments);
    // The rows as posted, in their order (the API's error paths index them), then anyone not posted.
    const posted = new Set(values.participants.map((row) => row.personId));
    const participants = [...values.participants, ...people.filter((person) => !posted.has(person.id)).map((person) => ({ personId: person.id, role: 'none' }))];
    const shownValues = { ...values, participants };
    const fieldErrors = errors && Object.keys(errors).length > 0 ? Object.fromEntries(Object.entries(errors).filter(([path]) => path !== 'form')) : {};
    const problem = errors?.form?.join(' ') ?? null;
    const personOptions = people.map((person) => ({ value: person.id, label: person.name }));
    const say = (key: string, values?: Record<string, string | number>) => this.pages.t(request, key, values);
    const departmentError = (fieldErrors.departmentIds ?? []).join('; ') || null;
    this.pages.send(
      response,
      request,
      'meetings/series-form',
      'meetings.seriesForm.pageTitle',
      {
        values: shownValues,
        errors: Object.keys(fieldErrors).length > 0 ? fieldErrors : null,
        problem,
        departments: departments.map((department, index) => ({
          id: department.id,
          name: department.name,
          // The first box carries the group's id, so the error summary's link lands on it.
          controlId: index === 0 ? fieldId('departmentIds') : `${fieldId('departmentIds')}-${index}`,
          checked: values.departmentIds.includes(department.id),
        })),
        departmentError,
        departmentErrorId: `${fieldId('departmentIds')}-error`,
        participantRows: participants.map((row, index) => {
          const person = directory.person(row.personId);
          const department = directory.departmentName(person?.departmentId, null);
          const name = person?.name ?? say('meetings.seriesForm.unknownPerson', { id: row.personId });
          return {
            personIdName: `participants[${index}][personId]`,
            personId: row.personId,
            roleField: `participants[${index}].role`,
            label: department ? say(person?.role === 'head' ? 'meetings.seriesForm.participantHead' : 'meetings.seriesForm.participantIn', { name, department }) : name,
          };
        }),
        ...seriesFormChoices(say),
        calendarOptions: [{ value: '', label: say('meetings.seriesForm.noCalendar') }, ...calendars],
        personOptions: [{ value: '', label: say('meetings.room.nobody') }, ...personOptions],
      },
      status,
    );
  }

  private async activePeople(): Promise<PersonView[]> {
    return (await allPages((window) => this.people.list(window as PeopleQuery))).filter((person) => person.active);
  }

  private async calendarOptions(): Promise<{ value: string; label: string }[]> {
    const calendars = await allPages((window) => this.calendars.list(window as PageQuery));
    return calendars.map((calendar) => ({ value: calendar.id, label: `${calendar.name} (${calendar.timezone})` }));
  }

  private allDepartments(): Promise<DepartmentView[]> {
    return allPages((window) => this.departments.list(window as PageQuery));
  }
}
