import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { BreachReportService } from './breach-report.service.js';
import { reportFileName } from './breach-report.view.js';
import { BreachReport, BreachReportQuery } from './reports.dto.js';

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: BreachReportService) {}

  @Get('breaches')
  @ApiOperation({
    summary: "The breach report, in the caller's time zone: the emailed HTML (default), its plain-text part, CSV (one row per breach) or JSON.",
  })
  @ApiProduces('text/html', 'text/plain', 'text/csv', 'application/json')
  @ApiOkResponse({ type: BreachReport, description: 'format=json; the other formats render this model.' })
  async breaches(
    @CurrentActor() actor: Actor,
    @Query() query: BreachReportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BreachReport | string> {
    const { format, ...window } = query;
    const model = await this.reports.buildFor(actor.personId, window);
    if (format === 'json') return model;
    response.setHeader('Content-Type', CONTENT_TYPES[format]);
    if (format === 'csv') response.setHeader('Content-Disposition', `attachment; filename="${reportFileName(model)}.csv"`);
    return this.reports.render(model, format);
  }
}
