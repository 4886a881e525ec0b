import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IdParam } from '../../common/id-param.js';
import { MeetingCalendarService } from './meeting-calendar.service.js';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/meeting-series')
export class MeetingCalendarController {
  constructor(private readonly calendars: MeetingCalendarService) {}

  @Get(':id/calendar.ics')
  @ApiOperation({
    summary:
      'The series as iCalendar (any signed-in person): one VEVENT with the series UID, its RRULE, VTIMEZONE and SEQUENCE, an EXDATE per cancelled meeting and a RECURRENCE-ID override per moved one; METHOD:CANCEL once the series is cancelled.',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar; charset=utf-8', schema: { type: 'string' } })
  async calendar(@IdParam() id: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { filename, text } = await this.calendars.download(id);
    response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return text;
  }
}
