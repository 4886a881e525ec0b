import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { AcceptBriefDto, BriefDetailView, BriefPage, BriefsQuery, CommentDto, CreateBriefDto, ReturnBriefDto, UpdateBriefDto } from './briefs.dto.js';
import { BriefsService } from './briefs.service.js';

@ApiTags('briefs')
@ApiBearerAuth()
@Controller('api/briefs')
export class BriefsController {
  constructor(private readonly briefs: BriefsService) {}

  @Post()
  @ApiOperation({ summary: 'File a draft brief with another department (people of the requesting department, or an admin).' })
  @ApiCreatedResponse({ type: BriefDetailView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateBriefDto): Promise<BriefDetailView> {
    return this.briefs.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: BriefPage, description: 'Newest first.' })
  list(@Query() query: BriefsQuery): Promise<BriefPage> {
    return this.briefs.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BriefDetailView })
  get(@IdParam() id: string): Promise<BriefDetailView> {
    return this.briefs.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a draft or returned brief (the requesting department, or an admin).' })
  @ApiOkResponse({ type: BriefDetailView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateBriefDto): Promise<BriefDetailView> {
    return this.briefs.update(actor, id, body);
  }

  @Post(':id/submit')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft or returned brief; 400 naming every required field still missing.' })
  @ApiOkResponse({ type: BriefDetailView })
  submit(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'submit');
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a submitted brief (the head of the recipient department only), with an optional comment kept in the thread.' })
  @ApiOkResponse({ type: BriefDetailView })
  accept(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: AcceptBriefDto): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'accept', body.comment ?? null);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return a submitted brief to the requester with a comment (the head of the recipient department only).' })
  @ApiOkResponse({ type: BriefDetailView })
  return(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReturnBriefDto): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'return', body.comment);
  }

  @Post(':id/start')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Start work on an accepted brief (the recipient department, or an admin).' })
  @ApiOkResponse({ type: BriefDetailView })
  start(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'start');
  }

  @Post(':id/complete')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a brief in progress as done (the recipient department, or an admin).' })
  @ApiOkResponse({ type: BriefDetailView })
  complete(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'complete');
  }

  @Post(':id/cancel')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a brief not yet done (the requesting department, or an admin).' })
  @ApiOkResponse({ type: BriefDetailView })
  cancel(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<BriefDetailView> {
    return this.briefs.advance(actor, id, 'cancel');
  }

  @Post(':id/comments')
  @ApiOperation({ summary: 'Write in the thread (either department, or an admin).' })
  @ApiCreatedResponse({ type: BriefDetailView })
  comment(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: CommentDto): Promise<BriefDetailView> {
    return this.briefs.comment(actor, id, body);
  }
}
