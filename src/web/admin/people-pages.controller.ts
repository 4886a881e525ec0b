import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { TOKEN_SCOPES } from '../../access/token-scopes.js';
import { CreateTokenDto, type IssuedTokenView } from '../../auth/tokens.dto.js';
import { TokensService } from '../../auth/tokens.service.js';
import type { FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { CreatePersonDto, PeopleQuery, UpdatePersonDto, type PersonView } from '../../org/people.dto.js';
import { PeopleService } from '../../org/people.service.js';
import { ROLES } from '../../access/roles.js';
import { DirectoryService } from '../directory.service.js';
import { asRecord, checkbox, formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { formProblemOf, prefixErrors, type Option } from './admin-forms.js';

interface PersonFormValues {
  name: string;
  email: string;
  role: string;
  departmentId: string;
  timezone: string;
  /** Edit form only: unticked takes the person's access away. */
  active: boolean;
}

interface TokenFormValues {
  name: string;
  scope: string;
}

const ROLE_LABELS: Record<string, string> = { admin: 'Admin: manages Concord', head: 'Head of a department', member: 'Member of a department' };
const SCOPE_LABELS: Record<string, string> = { full: 'Full: everything the person may do', 'events:write': 'Events only: for integrations that send events' };

function typedPerson(body: unknown): PersonFormValues {
  const form = asRecord(body);
  const read = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
  return { name: read('name'), email: read('email'), role: read('role'), departmentId: read('departmentId'), timezone: read('timezone'), active: checkbox(form.active) };
}

/** The token form posts as `token[name]`, `token[scope]`: the person's own `name` is on the same page. */
function typedToken(body: unknown): TokenFormValues {
  const form = asRecord(asRecord(body).token);
  return { name: typeof form.name === 'string' ? form.name.trim() : '', scope: typeof form.scope === 'string' ? form.scope : 'full' };
}

/** What the person page's token section shows next to the person form. */
interface TokenSection {
  values: TokenFormValues;
  errors: FieldErrors | null;
  issued: IssuedTokenView | null;
}

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
    const departments = directory.departments.map((department) => ({ value: department.id, label: department.name }));
    this.pages.send(
      response,
      request,
      'admin/people',
      'People',
      {
        values,
        errors,
        departmentOptions: [{ value: '', label: 'All departments' }, ...departments],
        roleOptions: [{ value: '', label: 'All roles' }, ...ROLES.map((role) => ({ value: role, label: role }))],
        total: page.total,
        shown: page.items.length,
        people: page.items.map((person) => ({ ...person, department: person.departmentId ? directory.departmentName(person.departmentId, '') : null })),
        newLink: values.departmentId && !errors ? `/admin/people/new?departmentId=${encodeURIComponent(values.departmentId)}` : '/admin/people/new',
      },
      errors ? 400 : 200,
    );
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response, @Query('departmentId') departmentId?: unknown): Promise<void> {
    const values = { name: '', email: '', role: 'member', departmentId: typeof departmentId === 'string' ? departmentId : '', timezone: '', active: true };
    await this.showForm(request, response, null, values, null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = typedPerson(body);
    let created: PersonView;
    try {
      // A time zone left empty takes the department's.
      const plain = { name: values.name, email: values.email, role: values.role, departmentId: text(values.departmentId) ?? null, timezone: text(values.timezone) };
      created = await this.people.create(request.actor!, await validated(CreatePersonDto, plain));
    } catch (error) {
      return this.showForm(request, response, null, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/people/${created.id}`, `${created.name} added.`);
  }

  @Get(':id')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const person = await this.people.get(id);
    await this.showForm(request, response, person, this.valuesOf(person), null);
  }

  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const person = await this.people.get(id);
    const values = typedPerson(body);
    try {
      const plain = { name: values.name, email: values.email, role: values.role, departmentId: text(values.departmentId) ?? null, timezone: values.timezone, active: values.active };
      await this.people.update(request.actor!, id, await validated(UpdatePersonDto, plain));
    } catch (error) {
      return this.showForm(request, response, person, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/admin/people/${id}`, 'Person saved.');
  }

  @Post(':id/delete')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const person = await this.people.get(id);
    try {
      await this.people.remove(request.actor!, id);
    } catch (error) {
      return this.showForm(request, response, person, this.valuesOf(person), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/admin/people', `${person.name} deleted.`);
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
      return this.showForm(request, response, person, this.valuesOf(person), null, statusOf(error), { values, errors, issued: null });
    }
    await this.showForm(request, response, person, this.valuesOf(person), null, 200, { values: { name: '', scope: 'full' }, errors: null, issued });
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revoke(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @IdParam('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(request.actor!, id, tokenId);
    this.pages.redirect(response, `/admin/people/${id}`, 'Token revoked: it no longer signs anyone in.');
  }

  private valuesOf(person: PersonView): PersonFormValues {
    return { name: person.name, email: person.email, role: person.role, departmentId: person.departmentId ?? '', timezone: person.timezone, active: person.active };
  }

  private async showForm(
    request: WebRequest,
    response: Response,
    person: PersonView | null,
    values: PersonFormValues,
    errors: FieldErrors | null,
    status = 200,
    tokenSection: TokenSection = { values: { name: '', scope: 'full' }, errors: null, issued: null },
  ): Promise<void> {
    const [departments, tokens] = await Promise.all([this.departmentOptions(), person ? this.tokens.list(request.actor!, person.id) : []]);
    const zone = request.signedIn!.person.timezone;
    this.pages.send(
      response,
      request,
      'admin/person-form',
      person ? person.name : 'New person',
      {
        person: person ? { id: person.id, name: person.name, self: person.id === request.actor!.personId } : null,
        action: person ? `/admin/people/${person.id}` : '/admin/people',
        values,
        errors,
        formProblem: formProblemOf(errors),
        roleOptions: ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
        departmentOptions: [{ value: '', label: 'No department (admins only)' }, ...departments],
        tokens: tokens.map((token) => ({ ...token, scopeLabel: SCOPE_LABELS[token.scope] ?? token.scope })),
        token: {
          values: { token: tokenSection.values },
          errors: tokenSection.errors,
          formProblem: formProblemOf(tokenSection.errors),
          issued: tokenSection.issued ? { name: tokenSection.issued.name, token: tokenSection.issued.token } : null,
        },
        scopeOptions: TOKEN_SCOPES.map((scope) => ({ value: scope, label: SCOPE_LABELS[scope] ?? scope })),
        zone,
      },
      status,
    );
  }

  private async departmentOptions(): Promise<Option[]> {
    const page = await this.departments.list({ limit: MAX_PAGE_SIZE, offset: 0 });
    return page.items.map((department) => ({ value: department.id, label: department.name }));
  }
}
