import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { MeetingPage, MeetingsQuery, MeetingSummary, MoveMeetingDto } from './meetings.dto.js';
import { MeetingsService } from './meetings.service.js';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Get()
  @ApiOkResponse({ type: MeetingPage })
  list(@Query() query: MeetingsQuery): Promise<MeetingPage> {
    return this.meetings.list(query);
  }

  @Post(':id/cancel')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel this one meeting; the series goes on.' })
  @ApiOkResponse({ type: MeetingSummary })
  cancel(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<MeetingSummary> {
    return this.meetings.cancel(actor, id);
  }

  @Post(':id/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move this one meeting; the series goes on.' })
  @ApiOkResponse({ type: MeetingSummary })
  move(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: MoveMeetingDto): Promise<MeetingSummary> {
    return this.meetings.move(actor, id, body);
  }
}
