import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import { CreateStageDto, StagePage, StageView, UpdateStageDto } from './stages.dto.js';
import { StagesService } from './stages.service.js';

@ApiTags('stages')
@ApiBearerAuth()
@Controller('api/stages')
export class StagesController {
  constructor(private readonly stages: StagesService) {}

  @Post()
  @ApiCreatedResponse({ type: StageView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateStageDto): Promise<StageView> {
    return this.stages.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: StagePage, description: 'In funnel order.' })
  list(@Query() query: PageQuery): Promise<StagePage> {
    return this.stages.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: StageView, description: 'Who owns the stage, and what the agreements in force promise about it.' })
  get(@IdParam() id: string): Promise<StageView> {
    return this.stages.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: StageView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateStageDto): Promise<StageView> {
    return this.stages.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; the stages after it move up. A stage named by an agreement version cannot be deleted (409).' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.stages.remove(actor, id);
  }
}
