import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { AppConfig } from '../config/app-config.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import {
  CalendarPage,
  CalendarView,
  CreateCalendarDto,
  DatesImportQuery,
  DatesImportView,
  DueQuery,
  DueView,
  ElapsedQuery,
  ElapsedView,
  OpenQuery,
  OpenView,
  UpdateCalendarDto,
} from './calendars.dto.js';
import { CalendarsService } from './calendars.service.js';
import { DATES_IMPORT_MEDIA_TYPES, readDatesImport } from './dates-import-body.js';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/calendars')
export class CalendarsController {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly config: AppConfig,
  ) {}

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

  @Post(':id/dates/import')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Import dated hours: a year of an official production calendar (xmlcalendar XML), or CSV rows date,hours.',
    description:
      'XML: the xmlcalendar format (`<calendar year="2027"><days><day d="01.01" t="1"/>…</days></calendar>`): t="1" closes the date, ' +
      't="2" makes it a working day one hour shorter at its end, t="3" makes a weekend date a working day with the calendar\'s own ' +
      'hours for that weekday, or, when it keeps that day closed, those of `workdayAs` (Monday by default; the first weekday with ' +
      'hours when that one has none). Imported hours are absolute: re-import after changing the weekday hours. CSV: rows `2027-05-15,09:00-18:00` (several intervals separated by spaces; empty hours close ' +
      'the date), an optional header `date,hours`. The dates are merged into `dates` in one transaction (an imported date replaces ' +
      "the calendar's entry for it, others stay; a date in `holidays` stays a holiday, listed in keptAsHolidays and left out of the counts), running clocks are recomputed. A file with any problem " +
      'changes nothing: 400 with each problem under its line (`"line 14": ["line 14 (2027-05-01): …"]`).',
  })
  @ApiConsumes(...Object.keys(DATES_IMPORT_MEDIA_TYPES))
  @ApiBody({ description: 'The file itself, sent as the raw UTF-8 body (at most 1 MiB).', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: DatesImportView })
  @ApiBadRequestResponse({ description: 'A malformed file (each problem named by its line and date), or an unknown `workdayAs`; nothing changed.' })
  @ApiPayloadTooLargeResponse({ description: 'A file larger than 1 MiB (or IMPORT_MAX_BYTES when lower); nothing changed.' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither application/xml, text/xml nor text/csv, or not UTF-8, or compressed.' })
  async importDates(@CurrentActor() actor: Actor, @IdParam() id: string, @Req() request: Request, @Query() query: DatesImportQuery): Promise<DatesImportView> {
    const { format, text } = await readDatesImport(request, this.config.IMPORT_MAX_BYTES);
    return this.calendars.importDates(actor, id, text, format, query.workdayAs);
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
