import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { InvalidInputError } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { BreachesService } from '../../tracking/breaches.service.js';
import { BreachesQuery, ExplanationDto, ReviewDto, type BreachView } from '../../tracking/tracking.dto.js';
import { allPages } from '../all-pages.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { readBreachFilters, type BreachFilters } from './breach-filters.js';
import { detailTitle, presentDetail, presentList, type RefusedForm, type Translate } from './breach.view.js';

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
    const { values, offset, query, errors } = readBreachFilters(filters, zone);
    let page: { items: BreachView[]; total: number } = { items: [], total: 0 };
    try {
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      page = await this.breaches.list(await validated(BreachesQuery, query));
    } catch (error) {
      Object.assign(errors, formErrorsOf(error));
    }
    const [agreements, directory] = await Promise.all([allPages((window) => this.agreements.list(window)), this.directory.everyone()]);
    const view = presentList({ values, errors, page, offset, agreements, directory, zone, t: this.translate(request) });
    this.pages.send(response, request, 'breaches/list', 'breaches.pageTitle', view, view.errors ? 400 : 200);
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
    this.pages.redirect(response, `/breaches/${encodeURIComponent(id)}`, this.pages.t(request, 'breaches.notice.saved'));
  }

  @Post(':id/explanation/review')
  async review(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = { verdict: text(body.verdict), comment: text(body.comment) };
    try {
      await this.breaches.review(request.actor!, id, await validated(ReviewDto, typed));
    } catch (error) {
      return this.showDetail(request, response, id, { form: 'review', values: typed, errors: formErrorsOf(error) }, statusOf(error));
    }
    this.pages.redirect(response, `/breaches/${encodeURIComponent(id)}`, this.pages.t(request, typed.verdict === 'accepted' ? 'breaches.notice.accepted' : 'breaches.notice.disputed'));
  }

  private async showDetail(request: WebRequest, response: Response, id: string, refused: RefusedForm | null, status = 200): Promise<void> {
    const breach = await this.breaches.get(id);
    const directory = await this.directory.everyone();
    const t = this.translate(request);
    const view = presentDetail({ actor: request.actor!, breach, directory, refused, zone: request.signedIn!.person.timezone, t });
    this.pages.send(response, request, 'breaches/detail', detailTitle(breach, t), view, status);
  }

  /** The page's messages in the reader's language. */
  private translate(request: WebRequest): Translate {
    return (key, values) => this.pages.t(request, key, values);
  }
}
