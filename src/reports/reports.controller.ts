import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { type Actor, CurrentActor } from '../access/actor.js';
import { WindowQuery } from '../tracking/tracking.dto.js';
import { AttendanceReport, AttendanceReportService } from './attendance-report.service.js';
import { BreachReportService } from './breach-report.service.js';
import { reportFileName } from './breach-report.view.js';
import { FunnelReport, FunnelReportQuery } from './funnel-report.dto.js';
import { FunnelReportService } from './funnel-report.service.js';
import { funnelFileName } from './funnel-report.view.js';
import { BreachReport, BreachReportQuery } from './reports.dto.js';

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

export class AttendanceQuery extends WindowQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the series this department meets in.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: BreachReportService,
    private readonly attendance: AttendanceReportService,
    private readonly funnels: FunnelReportService,
  ) {}

  @Get('attendance')
  @ApiOperation({ summary: 'Attendance of the joint meetings held in the window, per person and department, and the meetings held without quorum.' })
  @ApiOkResponse({ type: AttendanceReport })
  attendanceReport(@Query() query: AttendanceQuery): Promise<AttendanceReport> {
    return this.attendance.build(query.from, query.to, query.departmentId);
  }

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

  @Get('funnel')
  @ApiOperation({
    summary:
      'The funnel (closed-loop) report: the leads that entered the first counted stage in [from, to), grouped by an attribute of the event that entered them, ' +
      'with the stages they reached since (whenever), reasons and competitors, win rate, SQLs never worked and their response times. HTML (default), text, CSV or JSON.',
  })
  @ApiProduces('text/html', 'text/plain', 'text/csv', 'application/json')
  @ApiOkResponse({ type: FunnelReport, description: 'format=json; the other formats render this model.' })
  async funnel(@CurrentActor() actor: Actor, @Query() query: FunnelReportQuery, @Res({ passthrough: true }) response: Response): Promise<FunnelReport | string> {
    const { format, from, to, by, neverWorkedDays } = query;
    const model = await this.funnels.build({ from, to, by, neverWorkedDays });
    if (format === 'json') return model;
    const zone = await this.funnels.zoneOf(actor.personId);
    response.setHeader('Content-Type', CONTENT_TYPES[format]);
    if (format === 'csv') response.setHeader('Content-Disposition', `attachment; filename="${funnelFileName(model, zone)}.csv"`);
    return this.funnels.render(model, format, zone);
  }
}
