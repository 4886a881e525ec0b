import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CreateAgreementDto, DecisionDto, RejectionDto, UpdateAgreementDto, type AgreementView } from '../../agreements/agreements.dto.js';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { offsetOfText } from '../../common/pagination.js';
import { formErrorsOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { editorTitle, measurable, presentEditor } from './agreement-editor.view.js';
import { blankForm, formOfTerms, measureFromOfForm, readForm, termsOfForm, type AgreementFormValues } from './agreement-form.js';
import { AgreementPageData } from './agreement-page-data.js';
import { listItem, mayDraft, presentDetail, type Decision } from './agreement.view.js';
import { Readers } from './readers.js';

const LIST_SIZE = 50;

/**
 * The agreement pages: the list, one agreement with its figures and history, the editor of both
 * kinds with a due-time preview, and the proposal and approval forms. The rules stay in the
 * services; this turns forms into their requests and their errors back into forms.
 */
@Pages()
@Controller('agreements')
export class AgreementPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly agreements: AgreementsService,
    private readonly data: AgreementPageData,
    private readonly readers: Readers,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response, @Query('offset') offsetText?: string): Promise<void> {
    const offset = offsetOfText(offsetText);
    const [page, names, reader] = await Promise.all([this.agreements.list({ limit: LIST_SIZE, offset }), this.data.names(), this.readers.of(request)]);
    const items = page.items.map((agreement) => listItem(agreement, names, reader));
    this.pages.send(response, request, 'agreements/list', 'agreements.pageTitle', {
      items,
      total: page.total,
      zone: request.signedIn!.person.timezone,
      canDraft: mayDraft(request.actor!),
      previous: offset > 0 ? `/agreements?offset=${Math.max(0, offset - LIST_SIZE)}` : null,
      next: offset + LIST_SIZE < page.total ? `/agreements?offset=${offset + LIST_SIZE}` : null,
    });
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response, @Query('kind') kind?: string): Promise<void> {
    const values = blankForm(kind === 'quota' || kind === 'conversion' ? kind : 'response');
    const department = request.actor!.departmentId;
    if (department) values.consumerDepartmentId = department;
    await this.showEditor(request, response, null, values, null);
  }

  /** The editor's live preview (agreement-editor.js): when a lead arriving now would be due. */
  @Get('preview-due')
  async previewDue(@Req() request: WebRequest, @Res() response: Response, @Query('calendarId') calendarId?: string, @Query('within') within?: string): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    const calendar = text(calendarId);
    if (!calendar) {
      response.status(400).json({ errors: { calendarId: ['choose a calendar'] } });
      return;
    }
    try {
      const due = await this.data.due(calendar, text(within) ?? '');
      response.json({ due, text: (await this.readers.of(request)).instant(due, request.signedIn!.person.timezone) });
    } catch (error) {
      const errors = formErrorsOf(error);
      // The calendars API calls it `duration`; the editor's field is the target's `within`.
      response.status(400).json({ errors: 'duration' in errors ? { within: errors.duration } : errors });
    }
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const values = readForm(body);
    let errors: FieldErrors;
    if (values.kind !== 'response' && values.kind !== 'quota' && values.kind !== 'conversion') {
      errors = { kind: ['kind must be response, quota or conversion'] };
    } else {
      const { terms, errors: formErrors } = termsOfForm(values, values.kind);
      const zone = await this.data.calendarZone(values.calendarId, request.signedIn!.person.timezone);
      const { measureFrom, errors: measureErrors } = measureFromOfForm(values, this.data.now(), zone);
      errors = { ...formErrors, ...measureErrors };
      const plain = {
        ...terms,
        ...(measureFrom !== null ? { measureFrom } : {}),
        providerDepartmentId: values.providerDepartmentId,
        consumerDepartmentId: values.consumerDepartmentId,
      };
      try {
        const dto = await this.validatedAlongside(CreateAgreementDto, plain, errors);
        const created = await this.agreements.create(request.actor!, dto);
        return this.pages.redirect(response, `/agreements/${created.id}`, (await this.readers.of(request)).t('agreements.notice.draftSaved'));
      } catch (error) {
        errors = { ...errors, ...formErrorsOf(error) };
      }
    }
    await this.showEditor(request, response, null, values, errors, 400);
  }

  @Get(':id')
  async detail(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query() query: Record<string, unknown>): Promise<void> {
    await this.showDetail(request, response, id, query, { values: { comment: '' }, errors: null });
  }

  @Get(':id/edit')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const agreement = await this.agreements.get(id);
    const base = (agreement.pending ?? agreement.inForce ?? (await this.agreements.versions(id)).at(-1))!;
    await this.showEditor(request, response, agreement, formOfTerms(agreement.kind, base, agreement), null);
  }

  /** Changes the pending version, or opens a new draft version of the one in force. */
  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const agreement = await this.agreements.get(id);
    const values = readForm(body);
    values.kind = agreement.kind;
    values.providerDepartmentId = agreement.providerDepartmentId;
    values.consumerDepartmentId = agreement.consumerDepartmentId;
    const { terms, errors: formErrors } = termsOfForm(values, agreement.kind);
    let errors = formErrors;
    let change: object = terms;
    // Only an agreement never in force offers the field (a later version measures from its approval).
    if (measurable(agreement)) {
      const zone = await this.data.calendarZone(values.calendarId, request.signedIn!.person.timezone);
      const { measureFrom, errors: measureErrors } = measureFromOfForm(values, this.data.now(), zone);
      errors = { ...errors, ...measureErrors };
      change = { ...terms, measureFrom };
    }
    try {
      const dto = await this.validatedAlongside(UpdateAgreementDto, change, errors);
      const updated = await this.agreements.update(request.actor!, id, dto);
      return this.pages.redirect(response, `/agreements/${id}`, (await this.readers.of(request)).t('agreements.notice.saved', { number: updated.pending?.number ?? '' }));
    } catch (error) {
      errors = { ...errors, ...formErrorsOf(error) };
    }
    await this.showEditor(request, response, agreement, values, errors, 400);
  }

  @Post(':id/propose')
  async propose(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    try {
      await this.agreements.propose(request.actor!, id);
    } catch (error) {
      return this.showDetail(request, response, id, {}, { values: { comment: '' }, errors: formErrorsOf(error) }, 409);
    }
    this.pages.redirect(response, `/agreements/${id}`, (await this.readers.of(request)).t('agreements.notice.proposed'));
  }

  @Post(':id/approve')
  async approve(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.decide(request, response, id, body, async (comment) => {
      const decided = await this.agreements.approve(request.actor!, id, await validated(DecisionDto, { comment }));
      return this.pages.t(request, decided.status === 'active' && !decided.pending ? 'agreements.notice.inForce' : 'agreements.notice.approved');
    });
  }

  @Post(':id/reject')
  async reject(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.decide(request, response, id, body, async (comment) => {
      await this.agreements.reject(request.actor!, id, await validated(RejectionDto, { comment }));
      return this.pages.t(request, 'agreements.notice.rejected');
    });
  }

  private async decide(
    request: WebRequest,
    response: Response,
    id: string,
    body: Record<string, unknown>,
    apply: (comment: string | undefined) => Promise<string>,
  ): Promise<void> {
    const typed = typeof body.comment === 'string' ? body.comment : '';
    let notice: string;
    try {
      notice = await apply(text(body.comment));
    } catch (error) {
      const errors = formErrorsOf(error);
      const status = 'comment' in errors ? 400 : 409;
      return this.showDetail(request, response, id, {}, { values: { comment: typed }, errors }, status);
    }
    this.pages.redirect(response, `/agreements/${id}`, notice);
  }

  /** The DTO's verdict together with the form's own: every problem is shown at once. */
  private async validatedAlongside<T extends object>(type: new () => T, plain: object, errors: FieldErrors): Promise<T> {
    let dto: T | undefined;
    let all = errors;
    try {
      dto = await validated(type, plain);
    } catch (error) {
      all = { ...formErrorsOf(error), ...errors };
    }
    if (!dto || Object.keys(all).length > 0) throw new InvalidInputError(all);
    return dto;
  }

  private async showEditor(
    request: WebRequest,
    response: Response,
    agreement: AgreementView | null,
    values: AgreementFormValues,
    errors: FieldErrors | null,
    status = 200,
  ): Promise<void> {
    const zone = request.signedIn!.person.timezone;
    const data = await this.data.editor(agreement, values, errors, zone);
    const reader = await this.readers.of(request);
    this.pages.send(response, request, 'agreements/editor', editorTitle(agreement, reader), presentEditor(data, zone, reader), status);
  }

  private async showDetail(request: WebRequest, response: Response, id: string, query: Record<string, unknown>, decision: Decision, status = 200): Promise<void> {
    const zone = request.signedIn!.person.timezone;
    const data = await this.data.detail(id, query, zone);
    const view = presentDetail(data, request.actor!, zone, decision, await this.readers.of(request));
    this.pages.send(response, request, 'agreements/detail', data.agreement.name, view, view.replay.errors ? 400 : status);
  }
}
