import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { CreateTokenDto, type IssuedTokenView } from '../../auth/tokens.dto.js';
import { TokensService } from '../../auth/tokens.service.js';
import type { FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { CreatePersonDto, PeopleQuery, UpdatePersonDto, type PersonView } from '../../org/people.dto.js';
import { PeopleService } from '../../org/people.service.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import { sayFor } from '../say.js';
import type { WebRequest } from '../web-request.js';
import { prefixErrors } from './admin-forms.js';
import { blankToken, newPersonValues, personValuesOf, typedPerson, typedToken, type PersonFormValues } from './person-form.js';
import { blankTokenSection, personTitle, presentPeopleList, presentPersonForm, type TokenSection } from './person.view.js';

/** People: list by department, create, edit, delete, and each person's API tokens. Admins only. */
@Pages()
@Roles('admin')
@Controller('admin/people')
export class PeoplePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly people: PeopleService,
    private readonly departments: DepartmentsService,
    private readonly tokens: TokensService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const values = { departmentId: typeof query.departmentId === 'string' ? query.departmentId : '', role: typeof query.role === 'string' ? query.role : '' };
    let errors: FieldErrors | null = null;
    let page: { items: PersonView[]; total: number } = { items: [], total: 0 };
    try {
      const filters = await validated(PeopleQuery, { departmentId: text(values.departmentId), role: text(values.role), limit: String(MAX_PAGE_SIZE), offset: '0' });
      page = await this.people.list(filters);
    } catch (error) {
      errors = formErrorsOf(error);
    }
    const directory = await this.directory.naming([]);
    this.pages.send(response, request, 'admin/people', 'admin.people.title', presentPeopleList({ values, errors, page, directory, say: sayFor(this.pages, request) }), errors ? 400 : 200);
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response, @Query('departmentId') departmentId?: unknown): Promise<void> {
    await this.showForm(request, response, null, newPersonValues(departmentId), null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = typedPerson(body);
    let created: PersonView;
    try {
      // A time zone left empty takes the department's.
      const plain = { name: values.name, email: values.email, role: values.role, departmentId: text(values.departmentId) ?? null, timezone: text(values.timezone), locale: text(values.locale) ?? null };
      created = await this.people.create(request.actor!, await validated(CreatePersonDto, plain));
    } catch (error) {
      return this.showForm(request, response, null, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/people/${created.id}`, this.pages.t(request, 'admin.person.added', { name: created.name }));
  }

  @Get(':id')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const person = await this.people.get(id);
    await this.showForm(request, response, person, personValuesOf(person), null);
  }

  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const person = await this.people.get(id);
    const values = typedPerson(body);
    try {
      const plain = { name: values.name, email: values.email, role: values.role, departmentId: text(values.departmentId) ?? null, timezone: values.timezone, locale: text(values.locale) ?? null, active: values.active };
      await this.people.update(request.actor!, id, await validated(UpdatePersonDto, plain));
    } catch (error) {
      return this.showForm(request, response, person, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/people/${id}`, this.pages.t(request, 'admin.person.saved'));
  }

  @Post(':id/delete')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const person = await this.people.get(id);
    try {
      await this.people.remove(request.actor!, id);
    } catch (error) {
      return this.showForm(request, response, person, personValuesOf(person), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/admin/people', this.pages.t(request, 'admin.person.deleted', { name: person.name }));
  }

  /**
   * The secret is shown on the page this post answers, never put in an address or stored: a
   * reload would ask to post again (and issue another), which the warning says.
   */
  @Post(':id/tokens')
  async issue(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const person = await this.people.get(id);
    const values = typedToken(body);
    let issued: IssuedTokenView;
    try {
      issued = await this.tokens.issue(request.actor!, id, await validated(CreateTokenDto, { name: values.name, scope: text(values.scope) }));
    } catch (error) {
      const errors = prefixErrors(formErrorsOf(error), 'token');
      return this.showForm(request, response, person, personValuesOf(person), null, statusOf(error), { values, errors, issued: null });
    }
    await this.showForm(request, response, person, personValuesOf(person), null, 200, { values: blankToken(), errors: null, issued });
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revoke(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @IdParam('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(request.actor!, id, tokenId);
    this.pages.redirect(response, `/admin/people/${id}`, this.pages.t(request, 'admin.person.tokenRevoked'));
  }

  private async showForm(
    request: WebRequest,
    response: Response,
    person: PersonView | null,
    values: PersonFormValues,
    errors: FieldErrors | null,
    status = 200,
    tokenSection: TokenSection = blankTokenSection(),
  ): Promise<void> {
    const actor = request.actor!;
    const [departments, tokens] = await Promise.all([this.departments.list({ limit: MAX_PAGE_SIZE, offset: 0 }), person ? this.tokens.list(actor, person.id) : []]);
    const say = sayFor(this.pages, request);
    const view = presentPersonForm({ actor, person, values, errors, departments: departments.items, tokens, tokenSection, zone: request.signedIn!.person.timezone, say });
    this.pages.send(response, request, 'admin/person-form', personTitle(person, say), view, status);
  }
}
