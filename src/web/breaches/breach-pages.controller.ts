import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { isAdmin } from '../../access/permissions.js';
import { fieldErrors, InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { offsetOfText } from '../../common/pagination.js';
import { BreachesService } from '../../tracking/breaches.service.js';
import { mayExplainBreach, mayReviewBreach } from '../../tracking/breach-access.js';
import { BreachesQuery, ExplanationDto, ReviewDto, type BreachView } from '../../tracking/tracking.dto.js';
import { allPages } from '../all-pages.js';
import type { Directory } from '../directory.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';

const PAGE_SIZE = 50;

interface BreachFilters {
  agreementId?: string;
  departmentId?: string;
  explained?: string;
  from?: string;
  to?: string;
  offset?: string;
}

const REVIEW_LABELS: Record<string, string> = {
  pending: 'Awaiting review',
  accepted: 'Accepted',
  disputed: 'Disputed',
};

interface DetailForm {
  /** Which form was refused: its values and errors are shown there. */
  form: 'explanation' | 'review';
  values: object;
  errors: FieldErrors;
}

/** Breaches: the list with filters, the explanation their owner owes, and its review. */
@Pages()
@Controller('breaches')
export class BreachPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly breaches: BreachesService,
    private readonly agreements: AgreementsService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response, @Query() filters: BreachFilters): Promise<void> {
    const zone = request.signedIn!.person.timezone;
    const values = {
      agreementId: text(filters.agreementId) ?? '',
      departmentId: text(filters.departmentId) ?? '',
      explained: text(filters.explained) ?? 'unexplained',
      from: text(filters.from) ?? '',
      to: text(filters.to) ?? '',
    };
    const errors: FieldErrors = fieldErrors();
    const dayStart = (field: 'from' | 'to'): string | undefined => {
      if (!values[field]) return undefined;
      const day = DateTime.fromISO(values[field], { zone });
      if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(values[field])) {
        errors[field] = [`${field} must be a date such as 2026-11-02`];
        return undefined;
      }
      return (field === 'to' ? day.plus({ days: 1 }) : day).toISO() as string;
    };
    const offset = offsetOfText(filters.offset);
    const plain = {
      agreementId: values.agreementId || undefined,
      departmentId: values.departmentId || undefined,
      explained: values.explained === 'all' ? undefined : String(values.explained === 'explained'),
      from: dayStart('from'),
      to: dayStart('to'),
      limit: String(PAGE_SIZE),
      offset: String(offset),
    };
    let items: BreachView[] = [];
    let total = 0;
    try {
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      const page = await this.breaches.list(await validated(BreachesQuery, plain));
      items = page.items;
      total = page.total;
    } catch (error) {
      Object.assign(errors, formErrorsOf(error));
    }
    const [agreements, directory] = await Promise.all([this.agreementOptions(), this.directory.everyone()]);
    const hasErrors = Object.keys(errors).length > 0;
    const query = new URLSearchParams({ ...values, offset: String(offset + PAGE_SIZE) });
    this.pages.send(
      response,
      request,
      'breaches/list',
      'Breaches',
      {
        values,
        errors: hasErrors ? errors : null,
        zone,
        agreementOptions: [{ value: '', label: 'All agreements' }, ...agreements],
        departmentOptions: [{ value: '', label: 'All departments' }, ...departmentOptions(directory)],
        explainedOptions: [
          { value: 'unexplained', label: 'Waiting for an explanation' },
          { value: 'explained', label: 'Explained' },
          { value: 'all', label: 'All' },
        ],
        breaches: items.map((breach) => ({
          ...breach,
          department: directory.departmentName(breach.departmentId, ''),
          owner: directory.memberName(breach.ownerId) ?? '',
        })),
        total,
        shown: items.length,
        nextPage: offset + PAGE_SIZE < total ? `/breaches?${query.toString()}` : null,
      },
      hasErrors ? 400 : 200,
    );
  }

  @Get(':id')
  async detail(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.showDetail(request, response, id, null);
  }

  @Post(':id/explanation')
  async explain(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = { cause: text(body.cause), correctiveAction: text(body.correctiveAction) };
    try {
      await this.breaches.explain(request.actor!, id, await validated(ExplanationDto, typed));
    } catch (error) {
      return this.showDetail(request, response, id, { form: 'explanation', values: typed, errors: formErrorsOf(error) }, statusOf(error));
    }
    this.pages.redirect(response, `/breaches/${encodeURIComponent(id)}`, 'Explanation saved.');
  }

  @Post(':id/explanation/review')
  async review(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = { verdict: text(body.verdict), comment: text(body.comment) };
    try {
      await this.breaches.review(request.actor!, id, await validated(ReviewDto, typed));
    } catch (error) {
      return this.showDetail(request, response, id, { form: 'review', values: typed, errors: formErrorsOf(error) }, statusOf(error));
    }
    this.pages.redirect(response, `/breaches/${encodeURIComponent(id)}`, typed.verdict === 'accepted' ? 'Explanation accepted.' : 'Explanation disputed.');
  }

  private async showDetail(request: WebRequest, response: Response, id: string, refused: DetailForm | null, status = 200): Promise<void> {
    const breach = await this.breaches.get(id);
    const actor = request.actor!;
    const directory = await this.directory.everyone();
    const mayExplain = !breach.withdrawnAt && mayExplainBreach(actor, breach);
    const mayReview = !breach.withdrawnAt && breach.explained && mayReviewBreach(actor, breach);
    const nameOf = (personId: string | null) => directory.memberName(personId);
    const history = breach.history.map((revision) => ({
      ...revision,
      by: nameOf(revision.explainedBy),
      reviews: revision.reviews.map((review) => ({ ...review, by: nameOf(review.reviewedBy) })),
    }));
    this.pages.send(
      response,
      request,
      'breaches/detail',
      `Breach of “${breach.agreementName}”`,
      {
        breach,
        zone: request.signedIn!.person.timezone,
        department: directory.departmentName(breach.departmentId, ''),
        consumerDepartment: directory.departmentName(breach.consumerDepartmentId, ''),
        owner: nameOf(breach.ownerId),
        explainedBy: nameOf(breach.explainedBy),
        reviewLabel: breach.reviewStatus ? REVIEW_LABELS[breach.reviewStatus] : null,
        review: breach.review ? { ...breach.review, by: nameOf(breach.review.reviewedBy) } : null,
        // Newest first: the reader wants what is said now, then what was said before.
        history: history.reverse(),
        edited: breach.history.length > 1,
        mayExplain,
        mayReview,
        isAdmin: isAdmin(actor),
        values: refused?.form === 'explanation' ? refused.values : { cause: breach.cause ?? '', correctiveAction: breach.correctiveAction ?? '' },
        errors: refused?.form === 'explanation' ? refused.errors : null,
        reviewValues: refused?.form === 'review' ? refused.values : { comment: '' },
        reviewErrors: refused?.form === 'review' ? refused.errors : null,
      },
      status,
    );
  }

  private async agreementOptions(): Promise<{ value: string; label: string }[]> {
    const agreements = await allPages((window) => this.agreements.list(window));
    return agreements.map((agreement) => ({ value: agreement.id, label: agreement.name }));
  }
}

function departmentOptions(directory: Directory): { value: string; label: string }[] {
  return directory.departments.map((department) => ({ value: department.id, label: department.name }));
}
