import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import { BRIEF_STATUSES, type BriefStatus } from '../../briefs/brief.entity.js';
import { findMissingForSubmission } from '../../briefs/brief-submission.js';
import { AcceptBriefDto, BriefsQuery, CommentDto, CreateBriefDto, ReturnBriefDto, UpdateBriefDto, type BriefDetailView, type BriefView } from '../../briefs/briefs.dto.js';
import { BriefsService, type BriefStepName } from '../../briefs/briefs.service.js';
import { Clock } from '../../common/clock.js';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { allPages } from '../all-pages.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { PeopleService } from '../../org/people.service.js';
import type { DepartmentView } from '../../org/departments.dto.js';
import { fieldId } from '../form-fields.js';
import { formErrorsOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import {
  actionsFor,
  briefRequestOf,
  errorsForForm,
  FIELD_LABELS,
  fieldPathOf,
  formValuesOf,
  numberedRows,
  STATUS_LABELS,
  STATUS_TONES,
  withBlankRows,
  type BriefFormValues,
} from './brief-form.js';

const STATUS_CODES: Record<string, number> = { invalid: 400, not_found: 404, conflict: 409 };

/** The status a refused form is shown again with: the API's for the same refusal. */
function statusOf(error: unknown): number {
  return error instanceof DomainError ? (STATUS_CODES[error.code] ?? 400) : 400;
}

interface Option {
  value: string;
  label: string;
}

/** A form on the detail page (a comment, or a return's reasons), as typed and as refused. */
interface SmallForm {
  values: Record<string, string>;
  errors: FieldErrors | null;
}

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
    private readonly departments: DepartmentsService,
    private readonly people: PeopleService,
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
    const departments = await this.departmentList();
    const names = new Map(departments.map((department) => [department.id, department.name]));
    const own = actor.departmentId;
    const wanted = own
      ? [
          { id: 'filed', heading: `Filed by ${names.get(own) ?? 'my department'}`, query: { requesterDepartmentId: own }, other: 'recipientDepartmentId' as const },
          { id: 'received', heading: `Received by ${names.get(own) ?? 'my department'}`, query: { recipientDepartmentId: own }, other: 'requesterDepartmentId' as const },
        ]
      : [{ id: 'all', heading: 'All briefs', query: {}, other: null }];
    const sections = [];
    for (const section of wanted) {
      const page = errors ? { items: [], total: 0 } : await this.briefs.list({ ...section.query, status: filter, limit: MAX_PAGE_SIZE, offset: 0 });
      sections.push({
        id: section.id,
        heading: section.heading,
        total: page.total,
        more: page.total > page.items.length,
        briefs: page.items.map((brief: BriefView) => ({
          id: brief.id,
          title: brief.title,
          statusLabel: STATUS_LABELS[brief.status],
          tone: STATUS_TONES[brief.status],
          requester: names.get(brief.requesterDepartmentId) ?? '',
          recipient: names.get(brief.recipientDepartmentId) ?? '',
          deadline: brief.content.deadline ?? null,
          updatedAt: brief.updatedAt,
        })),
      });
    }
    this.pages.send(
      response,
      request,
      'briefs/list',
      'Briefs',
      {
        values: { status: typed },
        errors,
        statusOptions: [{ value: '', label: 'All statuses' }, ...BRIEF_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))],
        sections,
        zone: request.signedIn!.person.timezone,
        limit: MAX_PAGE_SIZE,
      },
      errors ? 400 : 200,
    );
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
    this.pages.redirect(response, `/briefs/${created.id}/edit`, 'Draft saved.');
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
    this.pages.redirect(response, `/briefs/${id}/edit`, 'Draft saved.');
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
    this.pages.redirect(response, `/briefs/${id}`, 'Brief submitted.');
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
    this.pages.redirect(response, `/briefs/${id}`, 'Brief accepted.');
  }

  @Post(':id/start')
  async start(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'start', 'Work on the brief started.');
  }

  @Post(':id/complete')
  async complete(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'complete', 'Brief marked as done.');
  }

  @Post(':id/cancel')
  async cancel(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.step(request, response, id, 'cancel', 'Brief cancelled.');
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
    this.pages.redirect(response, `/briefs/${id}`, 'Brief returned to the requester.');
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
    this.pages.redirect(response, `/briefs/${id}`, 'Comment added.');
  }

  /** Steps without a field: a refusal (403, 409) is an error page, as there is nothing typed to keep. */
  private async step(request: WebRequest, response: Response, id: string, name: BriefStepName, notice: string): Promise<void> {
    await this.briefs.advance(request.actor!, id, name);
    this.pages.redirect(response, `/briefs/${id}`, notice);
  }

  private async saveDraft(actor: Actor, id: string, typed: ReturnType<typeof briefRequestOf>): Promise<BriefDetailView> {
    const { requesterDepartmentId: _ignored, ...change } = typed;
    return this.briefs.update(actor, id, await validated(UpdateBriefDto, change));
  }

  private async showForm(request: WebRequest, response: Response, brief: BriefDetailView | null, values: BriefFormValues, errors: FieldErrors | null, status = 200): Promise<void> {
    const actor = request.actor!;
    const [departments, approvers] = await Promise.all([this.departmentList(), this.approverOptions()]);
    const requesterId = brief?.requesterDepartmentId ?? actor.departmentId;
    const chooseAdminRequester = !brief && isAdmin(actor);
    const missing = brief && !errors ? await this.missingOf(brief) : null;
    const returned = brief?.status === 'returned' ? [...brief.thread].reverse().find((entry) => entry.toStatus === 'returned') : undefined;
    const goals = withBlankRows(values.content.goals, { goal: '', target: '' });
    const milestones = withBlankRows(values.content.milestones, { name: '', date: '' });
    const metrics = withBlankRows(values.content.successMetrics, { metric: '', target: '' });
    this.pages.send(
      response,
      request,
      'briefs/form',
      brief ? `Edit “${brief.title}”` : 'New brief',
      {
        brief: brief ? { id: brief.id, title: brief.title, statusLabel: STATUS_LABELS[brief.status], tone: STATUS_TONES[brief.status] } : null,
        action: brief ? `/briefs/${brief.id}` : '/briefs',
        values: { ...values, content: { ...values.content, goals, milestones, successMetrics: metrics } },
        errors: errorsForForm(errors),
        missing: missing && missing.length > 0 ? missing : null,
        readyToSubmit: missing !== null && missing.length === 0,
        returnedWith: returned?.body ?? null,
        requesterOptions: chooseAdminRequester ? [{ value: '', label: 'Choose the department asking' }, ...departments.map(toOption)] : null,
        recipientOptions: [
          { value: '', label: 'Choose the department you ask' },
          ...departments.filter((department) => chooseAdminRequester || department.id !== requesterId).map(toOption),
        ],
        approverOptions: [{ value: '', label: 'Choose the approver' }, ...approvers],
        goalRows: numberedRows(
          'content.goals',
          goals.length,
          [
            { key: 'goal', label: (n) => `Goal ${n}`, hint: 'What the work should achieve, e.g. “Fill the pipeline for the spring launch”.' },
            { key: 'target', label: (n) => `Target of goal ${n}`, hint: 'How reaching it is measured: a figure and a date, e.g. “120 SQLs by 31 March”.' },
          ],
          true,
        ),
        milestoneRows: numberedRows(
          'content.milestones',
          milestones.length,
          [
            { key: 'name', label: (n) => `Milestone ${n}`, hint: 'A step you want to see on the way, e.g. “First draft”.' },
            { key: 'date', label: (n) => `Date of milestone ${n}`, hint: 'When it is due.', type: 'date' },
          ],
          false,
        ),
        metricRows: numberedRows(
          'content.successMetrics',
          metrics.length,
          [
            { key: 'metric', label: (n) => `Success metric ${n}`, hint: 'What will be counted, e.g. “Meetings booked from the campaign”.' },
            { key: 'target', label: (n) => `Target of metric ${n}`, hint: 'The figure to reach, e.g. “at least 40”.' },
          ],
          true,
        ),
      },
      status,
    );
  }

  private async showDetail(
    request: WebRequest,
    response: Response,
    brief: BriefDetailView,
    forms: { commenting?: SmallForm; returning?: SmallForm; accepting?: SmallForm } = {},
    status = 200,
  ): Promise<void> {
    const actor = request.actor!;
    const departments = await this.departmentList();
    const departmentName = (id: string) => departments.find((department) => department.id === id)?.name ?? '';
    const content = brief.content;
    const ids = [brief.createdBy, ...brief.thread.map((entry) => entry.authorId), ...(content.approverId ? [content.approverId] : [])];
    const names = await this.namesOf(ids);
    const actions = actionsFor(actor, brief);
    const budget = content.budget ?? null;
    this.pages.send(
      response,
      request,
      'briefs/detail',
      brief.title,
      {
        brief: {
          id: brief.id,
          title: brief.title,
          statusLabel: STATUS_LABELS[brief.status],
          tone: STATUS_TONES[brief.status],
          requester: departmentName(brief.requesterDepartmentId),
          recipient: departmentName(brief.recipientDepartmentId),
          createdBy: names.get(brief.createdBy) ?? 'a former colleague',
          createdAt: brief.createdAt,
          submittedAt: brief.submittedAt,
        },
        content: {
          background: content.background ?? null,
          goals: content.goals ?? [],
          vision: content.vision ?? null,
          keyMessage: content.keyMessage ?? null,
          audience: { primary: content.audience?.primary ?? null, secondary: content.audience?.secondary ?? null },
          deliverables: content.deliverables ?? [],
          channels: content.channels ?? [],
          outOfScope: content.outOfScope ?? null,
          mandatoryElements: content.mandatoryElements ?? null,
          deadline: content.deadline ?? null,
          milestones: content.milestones ?? [],
          budget: budget ? { amount: budget.amount ?? null, currency: budget.currency ?? null, approved: budget.approved } : null,
          successMetrics: content.successMetrics ?? [],
          stakeholders: content.stakeholders ?? [],
          approver: content.approverId ? (names.get(content.approverId) ?? 'a former colleague') : null,
          links: content.links ?? [],
        },
        thread: brief.thread.map((entry) => ({
          comment: entry.kind === 'comment',
          author: names.get(entry.authorId) ?? 'a former colleague',
          at: entry.at,
          body: entry.body,
          step: entry.toStatus ? STATUS_LABELS[entry.toStatus] : null,
          from: entry.fromStatus ? STATUS_LABELS[entry.fromStatus] : null,
        })),
        actions,
        missing: actions.submit ? await this.missingOf(brief) : null,
        commenting: forms.commenting ?? { values: { body: '' }, errors: null },
        returning: forms.returning ?? { values: { comment: '' }, errors: null },
        accepting: forms.accepting ?? { values: { acceptComment: '' }, errors: null },
        zone: request.signedIn!.person.timezone,
      },
      status,
    );
  }

  /** What submission would refuse now, by the service's own rule, on the requesting department's date. */
  private async missingOf(brief: BriefDetailView): Promise<{ label: string; message: string; href: string }[]> {
    const requester = await this.departments.get(brief.requesterDepartmentId);
    const today = DateTime.fromJSDate(this.clock.now(), { zone: requester.timezone }).toISODate() as string;
    return Object.entries(findMissingForSubmission(brief.content, today)).map(([path, messages]) => ({
      label: FIELD_LABELS[path] ?? path,
      message: messages.join('; '),
      href: `#${fieldId(fieldPathOf(path))}`,
    }));
  }

  private async departmentList(): Promise<DepartmentView[]> {
    return allPages((window) => this.departments.list(window));
  }

  private async approverOptions(): Promise<Option[]> {
    const [people, departments] = await Promise.all([allPages((window) => this.people.list(window)), this.departmentList()]);
    return people.map((person) => {
      const department = departments.find((d) => d.id === person.departmentId)?.name;
      return { value: person.id, label: department ? `${person.name} (${department})` : person.name };
    });
  }

  /** Names of the few people a page mentions; someone removed since stays unnamed rather than failing the page. */
  private async namesOf(ids: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      try {
        names.set(id, (await this.people.get(id)).name);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return names;
  }
}

function toOption(department: DepartmentView): Option {
  return { value: department.id, label: department.name };
}
