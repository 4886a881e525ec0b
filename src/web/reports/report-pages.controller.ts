import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Clock } from '../../common/clock.js';
import { InvalidInputError } from '../../common/errors.js';
import type { FunnelReport } from '../../reports/funnel-report.dto.js';
import { FunnelReportService } from '../../reports/funnel-report.service.js';
import { funnelFileName } from '../../reports/funnel-report.view.js';
import { formErrorsOf } from '../forms.js';
import { reportReader } from '../../reports/funnel-report.view.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { presentFunnelPage, readFunnelFilters, type FunnelFilters } from './funnel-page.view.js';

/**
 * The funnel (closed-loop) report as a page — the one the head of marketing brings to the joint
 * meeting — and the same figures as CSV and JSON for a signed-in browser (the API wants a token).
 */
@Pages()
@Controller('reports')
export class ReportPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly funnels: FunnelReportService,
    private readonly clock: Clock,
  ) {}

  @Get('funnel')
  async funnel(@Req() request: WebRequest, @Res() response: Response, @Query() filters: FunnelFilters): Promise<void> {
    const { zone, values, model, errors } = await this.load(request, filters);
    const view = presentFunnelPage({ values, errors, model, attributes: await this.funnels.groupAttributes(), zone }, reportReader(this.pages.localeOf(request)));
    this.pages.send(response, request, 'reports/funnel', 'funnelReport.page.title', view, view.errors ? 400 : 200);
  }

  @Get('funnel.csv')
  async csv(@Req() request: WebRequest, @Res() response: Response, @Query() filters: FunnelFilters): Promise<void> {
    const { zone, model } = await this.load(request, filters);
    if (!model) return this.funnel(request, response, filters);
    response.status(200).type('text/csv; charset=utf-8').setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Disposition', `attachment; filename="${funnelFileName(model, zone)}.csv"`);
    response.send(this.funnels.render(model, 'csv', zone));
  }

  @Get('funnel.json')
  async json(@Req() request: WebRequest, @Res() response: Response, @Query() filters: FunnelFilters): Promise<void> {
    const { model } = await this.load(request, filters);
    if (!model) return this.funnel(request, response, filters);
    response.status(200).setHeader('Cache-Control', 'no-store');
    response.json(model);
  }

  /** The report the filters ask for, or the errors that refuse them. */
  private async load(request: WebRequest, filters: FunnelFilters) {
    const zone = request.signedIn!.person.timezone;
    const { values, request: wanted, errors } = readFunnelFilters(filters, zone, this.clock.now());
    let model: FunnelReport | null = null;
    try {
      if (!wanted) throw new InvalidInputError(errors);
      model = await this.funnels.build(wanted);
    } catch (error) {
      Object.assign(errors, formErrorsOf(error));
    }
    return { zone, values, model, errors };
  }
}
