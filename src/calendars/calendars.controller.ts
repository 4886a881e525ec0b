import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import {
  CalendarPage,
  CalendarView,
  CreateCalendarDto,
  DueQuery,
  DueView,
  ElapsedQuery,
  ElapsedView,
  OpenQuery,
  OpenView,
  UpdateCalendarDto,
} from './calendars.dto.js';
import { CalendarsService } from './calendars.service.js';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Post()
  @ApiCreatedResponse({ type: CalendarView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateCalendarDto): Promise<CalendarView> {
    return this.calendars.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: CalendarPage })
  list(@Query() query: PageQuery): Promise<CalendarPage> {
    return this.calendars.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CalendarView })
  get(@IdParam() id: string): Promise<CalendarView> {
    return this.calendars.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: CalendarView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateCalendarDto): Promise<CalendarView> {
    return this.calendars.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A calendar still used by a department cannot be deleted (409).' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.calendars.remove(actor, id);
  }

  @Get(':id/due')
  @ApiOkResponse({ type: DueView, description: 'When a duration of business time started at `from` falls due.' })
  due(@IdParam() id: string, @Query() query: DueQuery): Promise<DueView> {
    return this.calendars.due(id, query);
  }

  @Get(':id/elapsed')
  @ApiOkResponse({ type: ElapsedView, description: 'Working seconds between two instants.' })
  elapsed(@IdParam() id: string, @Query() query: ElapsedQuery): Promise<ElapsedView> {
    return this.calendars.elapsed(id, query);
  }

  @Get(':id/open')
  @ApiOkResponse({ type: OpenView, description: 'Whether the calendar is open at an instant.' })
  open(@IdParam() id: string, @Query() query: OpenQuery): Promise<OpenView> {
    return this.calendars.open(id, query);
  }
}
