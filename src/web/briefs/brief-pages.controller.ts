import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import type { BriefStatus } from '../../briefs/brief.entity.js';
import { AcceptBriefDto, BriefsQuery, CommentDto, CreateBriefDto, ReturnBriefDto, UpdateBriefDto, type BriefDetailView } from '../../briefs/briefs.dto.js';
import { BriefsService, type BriefStepName } from '../../briefs/briefs.service.js';
import { Clock } from '../../common/clock.js';
import { ConflictError, ForbiddenError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import { sayFor } from '../say.js';
import type { WebRequest } from '../web-request.js';
import { actionsFor, briefRequestOf, formValuesOf, type BriefFormValues } from './brief-form.js';
import {
  formTitle,
  listSections,
  missingFields,
  peopleNamedBy,
  presentDetail,
  presentForm,
  presentList,
  requesterToday,
  type BriefDirectory,
  type SmallForm,
} from './brief.view.js';

/**
 * Briefs as pages: the lists of my department's briefs, the form that guides a requester field by
 * field (drafts saved as typed, what is missing shown before submission), and the detail page
 * where the thread is read and each party takes its steps. Every change goes through
 * BriefsService, which alone decides who may do what.
 */
@Pages()
@Controller('briefs')
export class BriefPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly briefs: BriefsService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response, @Query('status') status?: unknown): Promise<void> {
    const actor = request.actor!;
    const typed = typeof status === 'string' ? status : '';
    let errors: FieldErrors | null = null;
    let filter: BriefStatus | undefined;
    try {
      filter = (await validated(BriefsQuery, { status: text(typed) })).status;
    } catch (error) {
      errors = formErrorsOf(error);
    }
    const directory = await this.directory.naming([]);
    const sections = [];
    for (const section of listSections(actor.departmentId, directory, sayFor(this.pages, request))) {
      const page = errors ? { items: [], total: 0 } : await this.briefs.list({ ...section.query, status: filter, limit: MAX_PAGE_SIZE, offset: 0 });
      sections.push({ ...section, page });
    }
    const zone = request.signedIn!.person.timezone;
    this.pages.send(response, request, 'briefs/list', 'briefs.list.title', presentList({ typed, errors, sections, directory, zone, limit: MAX_PAGE_SIZE, say: sayFor(this.pages, request) }), errors ? 400 : 200);
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    await this.showForm(request, response, null, formValuesOf({ requesterDepartmentId: actor.departmentId, content: {} }), null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const actor = request.actor!;
    const typed = briefRequestOf(body);
    // Only an admin outside the department files for another; for everyone else it is their own.
    if (!isAdmin(actor)) delete typed.requesterDepartmentId;
    let created: BriefDetailView;
    try {
      created = await this.briefs.create(actor, await validated(CreateBriefDto, typed));
    } catch (error) {
      return this.showForm(request, response, null, formValuesOf(typed), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${created.id}/edit`, this.pages.t(request, 'briefs.notice.draftSaved'));
  }

  @Get(':id')
  async detail(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.showDetail(request, response, await this.briefs.get(id));
  }

  @Get(':id/edit')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const brief = await this.briefs.get(id);
    // The service refuses the save anyway; saying so before anything is typed spares the work.
    if (!actionsFor(request.actor!, brief).edit) {
      if (!actionsFor(request.actor!, { ...brief, status: 'draft' }).edit) throw new ForbiddenError('only people of the requesting department, or an admin, may change a brief');
      throw new ConflictError(`brief ${id} is ${brief.status}; it can be changed only while draft or returned`);
    }
    await this.showForm(request, response, brief, formValuesOf(brief), null);
  }

  @Post(':id')
  async save(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const brief = await this.briefs.get(id);
    const typed = briefRequestOf(body);
    try {
      await this.saveDraft(request.actor!, id, typed);
    } catch (error) {
      return this.showForm(request, response, brief, formValuesOf(typed), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${id}/edit`, this.pages.t(request, 'briefs.notice.draftSaved'));
  }

  /**
   * From the form, what was typed is saved as the draft first, so a submission refused for a
   * missing field loses nothing; from the detail page (no fields posted) the stored draft is
   * submitted as it is.
   */
  @Post(':id/submit')
  async submit(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const actor = request.actor!;
    let brief = await this.briefs.get(id);
    const fromForm = !!body && typeof body === 'object' && 'title' in body;
    let values: BriefFormValues = formValuesOf(brief);
    try {
      if (fromForm) {
        const typed = briefRequestOf(body);
        values = formValuesOf(typed);
        brief = await this.saveDraft(actor, id, typed);
      }
      await this.briefs.advance(actor, id, 'submit');
    } catch (error) {
      return this.showForm(request, response, brief, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${id}`, this.pages.t(request, 'briefs.notice.submitted'));
  }

  @Post(':id/accept')
  async accept(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const brief = await this.briefs.get(id);
    const typed = { acceptComment: typeof body.acceptComment === 'string' ? body.acceptComment : '' };
    try {
      const note = typed.acceptComment.trim();
      const { comment } = await validated(AcceptBriefDto, note ? { comment: note } : {});
      await this.briefs.advance(request.actor!, id, 'accept', comment ?? null);
    } catch (error) {
      // The API names the field `comment`; the page shows it under its own field.
      const errors = formErrorsOf(error);
      if (errors?.comment) {
        errors.acceptComment = errors.comment;
        delete errors.comment;
      }
      return this.showDetail(request, response, brief, { accepting: { values: typed, errors } }, statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${id}`, this.pages.t(request, 'briefs.notice.accepted'));
  }

  @Post(':id/start')
  async start(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'start', 'briefs.notice.started');
  }

  @Post(':id/complete')
  async complete(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'complete', 'briefs.notice.done');
  }

  @Post(':id/cancel')
  async cancel(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'cancel', 'briefs.notice.cancelled');
  }

  @Post(':id/return')
  async returnBrief(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const brief = await this.briefs.get(id);
    const typed = { comment: typeof body.comment === 'string' ? body.comment : '' };
    try {
      const { comment } = await validated(ReturnBriefDto, { comment: typed.comment.trim() });
      await this.briefs.advance(request.actor!, id, 'return', comment);
    } catch (error) {
      const errors = formErrorsOf(error);
      return this.showDetail(request, response, brief, { returning: { values: typed, errors } }, statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${id}`, this.pages.t(request, 'briefs.notice.returned'));
  }

  @Post(':id/comments')
  async comment(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const brief = await this.briefs.get(id);
    const typed = { body: typeof body.body === 'string' ? body.body : '' };
    try {
      await this.briefs.comment(request.actor!, id, await validated(CommentDto, { body: typed.body.trim() }));
    } catch (error) {
      const errors = formErrorsOf(error);
      return this.showDetail(request, response, brief, { commenting: { values: typed, errors } }, statusOf(error));
    }
    this.pages.redirect(response, `/briefs/${id}`, this.pages.t(request, 'briefs.notice.commented'));
  }

  /** Steps without a field: a refusal (403, 409) is an error page, as there is nothing typed to keep. */
  private async step(request: WebRequest, response: Response, id: string, name: BriefStepName, noticeKey: string): Promise<void> {
    await this.briefs.advance(request.actor!, id, name);
    this.pages.redirect(response, `/briefs/${id}`, this.pages.t(request, noticeKey));
  }

  private async saveDraft(actor: Actor, id: string, typed: ReturnType<typeof briefRequestOf>): Promise<BriefDetailView> {
    const { requesterDepartmentId: _ignored, ...change } = typed;
    return this.briefs.update(actor, id, await validated(UpdateBriefDto, change));
  }

  private async showForm(request: WebRequest, response: Response, brief: BriefDetailView | null, values: BriefFormValues, errors: FieldErrors | null, status = 200): Promise<void> {
    const directory = await this.directory.everyone();
    const say = sayFor(this.pages, request);
    const missing = brief && !errors ? this.missingOf(brief, directory, request) : null;
    const view = presentForm({ actor: request.actor!, brief, values, errors, missing, directory, say });
    this.pages.send(response, request, 'briefs/form', formTitle(brief, say), view, status);
  }

  private async showDetail(
    request: WebRequest,
    response: Response,
    brief: BriefDetailView,
    forms: { commenting?: SmallForm; returning?: SmallForm; accepting?: SmallForm } = {},
    status = 200,
  ): Promise<void> {
    const actor = request.actor!;
    const directory = await this.directory.naming(peopleNamedBy(brief));
    const missing = actionsFor(actor, brief).submit ? this.missingOf(brief, directory, request) : null;
    const view = presentDetail({ actor, brief, directory, missing, forms, zone: request.signedIn!.person.timezone, say: sayFor(this.pages, request) });
    this.pages.send(response, request, 'briefs/detail', brief.title, view, status);
  }

  /** What submission would refuse now, by the service's own rule, on the requesting department's date. */
  private missingOf(brief: BriefDetailView, directory: BriefDirectory, request: WebRequest) {
    return missingFields(brief, requesterToday(brief, directory, this.clock.now()), sayFor(this.pages, request));
  }
}
