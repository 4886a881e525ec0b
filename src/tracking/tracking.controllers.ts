import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { type Actor, CurrentActor } from '../access/actor.js';
import { DueWork } from '../common/due-work.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { BreachesService } from './breaches.service.js';
import { ClocksService } from './clocks.service.js';
import { ComplianceService } from './compliance.service.js';
import {
  BreachDetailView,
  BreachesQuery,
  BreachPage,
  ClockPage,
  ClocksQuery,
  ComplianceView,
  ExplanationDto,
  ReplayQuery,
  ReviewDto,
  SweepView,
  WindowQuery,
} from './tracking.dto.js';

@ApiTags('tracking')
@ApiBearerAuth()
@Controller('api/clocks')
export class ClocksController {
  constructor(private readonly clocks: ClocksService) {}

  @Get()
  @ApiOperation({ summary: 'Clocks with their history, e.g. every clock of one lead: ?subject=L-1042.' })
  @ApiOkResponse({ type: ClockPage })
  list(@Query() query: ClocksQuery): Promise<ClockPage> {
    return this.clocks.list(query);
  }
}

@ApiTags('tracking')
@ApiBearerAuth()
@Controller('api/breaches')
export class BreachesController {
  constructor(private readonly breaches: BreachesService) {}

  @Get()
  @ApiOkResponse({ type: BreachPage, description: 'Newest due first; withdrawn breaches only on request.' })
  list(@Query() query: BreachesQuery): Promise<BreachPage> {
    return this.breaches.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BreachDetailView, description: 'With every revision of the explanation and the verdicts on it.' })
  get(@IdParam() id: string): Promise<BreachDetailView> {
    return this.breaches.get(id);
  }

  @Post(':id/explanation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The owner records the cause and the corrective action (the provider department's people or the stage owner). Each edit is kept as a revision and reopens the review.",
  })
  @ApiOkResponse({ type: BreachDetailView })
  explain(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ExplanationDto): Promise<BreachDetailView> {
    return this.breaches.explain(actor, id, body);
  }

  @Post(':id/explanation/review')
  @HttpCode(200)
  @ApiOperation({ summary: "The consumer department's head accepts the latest explanation, or disputes it with a comment." })
  @ApiOkResponse({ type: BreachDetailView })
  review(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReviewDto): Promise<BreachDetailView> {
    return this.breaches.review(actor, id, body);
  }
}

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('api/agreements/:id')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get('compliance')
  @ApiOperation({ summary: 'Clocks started (or quota periods) in the window: met, breached, running, percentiles, pace.' })
  @ApiOkResponse({ type: ComplianceView })
  live(@IdParam() id: string, @Query() query: WindowQuery): Promise<ComplianceView> {
    return this.compliance.live(id, query);
  }

  @Post('replay')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Measure a version (a draft by default) over the stored events of the window. Writes nothing.' })
  @ApiOkResponse({ type: ComplianceView })
  replay(@IdParam() id: string, @Query() query: ReplayQuery): Promise<ComplianceView> {
    return this.compliance.replay(id, query);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin')
export class AdminController {
  constructor(private readonly dueWork: DueWork) {}

  @Post('sweep')
  @NoBody()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Run the sweep now: breaches, at-risk warnings, quota periods.' })
  @ApiOkResponse({ type: SweepView })
  sweep(): Promise<SweepView> {
    // A round of due work: the sweep's counts, then the reports and action reminders queued after it.
    return this.dueWork.runDue() as Promise<unknown> as Promise<SweepView>;
  }
}
