import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_INTEGER } from '../common/pagination.js';
import type { Response } from 'express';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { AgendaBuilder } from './agenda-builder.js';
import {
  ActionItemPage,
  ActionItemsQuery,
  ActionUpdateDto,
  AgendaItemDto,
  AttendanceDto,
  MeetingView,
  NotesDto,
  OutcomeDto,
  OutcomeView,
} from './meeting-room.dto.js';
import { MeetingRoomService } from './meeting-room.service.js';
import { MinutesService, type MinutesFormat } from './minutes.service.js';

export class MinutesQuery {
  @ApiPropertyOptional({ enum: ['html', 'text', 'pdf'], default: 'html' })
  @IsOptional()
  @IsIn(['html', 'text', 'pdf'])
  format: MinutesFormat = 'html';

  @ApiPropertyOptional({ description: 'A stored revision; by default the latest final one, or the live draft.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INTEGER)
  revision?: number;
}

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/meetings/:id')
export class MeetingRoomController {
  constructor(
    private readonly room: MeetingRoomService,
    private readonly agenda: AgendaBuilder,
    private readonly minutes: MinutesService,
  ) {}

  @Get()
  @ApiOkResponse({ type: MeetingView })
  get(@IdParam() id: string): Promise<MeetingView> {
    return this.room.get(id);
  }

  @Post('agenda/build')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Build the agenda from the data: breaches since the last meeting, quotas, open actions, briefs, standing items.' })
  @ApiOkResponse({ type: MeetingView })
  buildAgenda(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<MeetingView> {
    return this.room.edit(actor, id, 'agenda', (manager, series, meeting) => this.agenda.build(manager, series, meeting));
  }

  @Post('agenda')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an item by hand.' })
  @ApiOkResponse({ type: MeetingView })
  addItem(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: AgendaItemDto): Promise<MeetingView> {
    return this.room.addAgendaItem(actor, id, body);
  }

  @Patch('agenda/:itemId')
  @ApiOperation({ summary: 'Notes on an agenda item.' })
  @ApiOkResponse({ type: MeetingView })
  notes(@CurrentActor() actor: Actor, @IdParam() id: string, @IdParam('itemId') itemId: string, @Body() body: NotesDto): Promise<MeetingView> {
    return this.room.takeNotes(actor, id, itemId, body);
  }

  @Put('attendance')
  @ApiOperation({ summary: 'Who came: present, absent, excused, or delegate for someone. Decides the quorum.' })
  @ApiOkResponse({ type: MeetingView })
  attendance(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: AttendanceDto): Promise<MeetingView> {
    return this.room.recordAttendance(actor, id, body);
  }

  @Post('outcomes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Information, a decision (with rationale) or an action item (owner and due date required).' })
  @ApiOkResponse({ type: MeetingView })
  outcome(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: OutcomeDto): Promise<MeetingView> {
    return this.room.recordOutcome(actor, id, body);
  }

  @Post('minutes/finalize')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Freeze the draft minutes as a revision, for the heads to approve.' })
  @ApiOkResponse({ type: MeetingView })
  finalize(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<MeetingView> {
    return this.minutes.finalize(actor, id);
  }

  @Post('minutes/approve')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: "A head's sign-off; with every department's, the minutes are approved and emailed." })
  @ApiOkResponse({ type: MeetingView })
  approve(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<MeetingView> {
    return this.minutes.approve(actor, id);
  }

  @Post('minutes/corrections')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a new revision of final or approved minutes; the old one stays readable.' })
  @ApiOkResponse({ type: MeetingView })
  correct(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<MeetingView> {
    return this.minutes.correct(actor, id);
  }

  @Get('minutes')
  @ApiProduces('text/html', 'text/plain', 'application/pdf')
  @ApiOperation({ summary: "The minutes as HTML, text or PDF, with times in the reader's zone." })
  async render(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Query() query: MinutesQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile | string> {
    const body = await this.minutes.render(id, query.format, query.revision, actor.personId);
    if (query.format === 'pdf') {
      return new StreamableFile(body as Buffer, { type: 'application/pdf', disposition: `attachment; filename="minutes-${id}.pdf"` });
    }
    response.type(query.format === 'text' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8');
    return body as string;
  }
}

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/action-items')
export class ActionItemsController {
  constructor(private readonly room: MeetingRoomService) {}

  @Get()
  @ApiOkResponse({ type: ActionItemPage })
  list(@Query() query: ActionItemsQuery): Promise<ActionItemPage> {
    return this.room.listActions(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Close, drop, reschedule or hand on an action item (its owner or an organiser).' })
  @ApiOkResponse({ type: OutcomeView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ActionUpdateDto): Promise<OutcomeView> {
    return this.room.updateAction(actor, id, body);
  }
}
