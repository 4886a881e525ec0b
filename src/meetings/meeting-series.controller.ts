import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import { MeetingSeriesService } from './meeting-series.service.js';
import { CreateSeriesDto, SeriesPage, SeriesView, UpdateSeriesDto } from './meetings.dto.js';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/meeting-series')
export class MeetingSeriesController {
  constructor(private readonly series: MeetingSeriesService) {}

  @Post()
  @ApiOperation({ summary: 'Plan a recurring joint meeting (admins and the heads of its departments).' })
  @ApiCreatedResponse({ type: SeriesView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateSeriesDto): Promise<SeriesView> {
    return this.series.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: SeriesPage })
  list(@Query() query: PageQuery): Promise<SeriesPage> {
    return this.series.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SeriesView })
  get(@IdParam() id: string): Promise<SeriesView> {
    return this.series.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a series; a new rule re-plans the meetings to come.' })
  @ApiOkResponse({ type: SeriesView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateSeriesDto): Promise<SeriesView> {
    return this.series.update(actor, id, body);
  }

  @Post(':id/cancel')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the series: every meeting to come is cancelled.' })
  @ApiOkResponse({ type: SeriesView })
  cancel(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<SeriesView> {
    return this.series.cancel(actor, id);
  }
}
