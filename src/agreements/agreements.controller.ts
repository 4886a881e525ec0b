import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import {
  AgreementPage,
  AgreementsQuery,
  AgreementView,
  CreateAgreementDto,
  DecisionDto,
  RejectionDto,
  UpdateAgreementDto,
  VersionView,
} from './agreements.dto.js';
import { NoBody } from '../common/no-body.js';
import { AgreementsService } from './agreements.service.js';
import { EventTypeSightings, namedTypes } from './event-type-sightings.js';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('api/agreements')
export class AgreementsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly sightings: EventTypeSightings,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Draft an agreement (version 1), with response terms or quota terms.' })
  @ApiCreatedResponse({ type: AgreementView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateAgreementDto): Promise<AgreementView> {
    return this.agreements.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: AgreementPage })
  list(@Query() query: AgreementsQuery): Promise<AgreementPage> {
    return this.agreements.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AgreementView })
  async get(@IdParam() id: string): Promise<AgreementView> {
    const agreement = await this.agreements.get(id);
    const unseenTypes = await this.sightings.unseen(namedTypes(agreement));
    return unseenTypes === null ? agreement : { ...agreement, unseenTypes };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the pending version, or open a new draft version when only the one in force exists.' })
  @ApiOkResponse({ type: AgreementView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateAgreementDto): Promise<AgreementView> {
    return this.agreements.update(actor, id, body);
  }

  @Get(':id/versions')
  @ApiOkResponse({ type: [VersionView] })
  versions(@IdParam() id: string): Promise<VersionView[]> {
    return this.agreements.versions(id);
  }

  @Post(':id/versions')
  @ApiOperation({ summary: 'Open a new draft version from the one in force (409 while another version is pending).' })
  @ApiCreatedResponse({ type: AgreementView })
  newVersion(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateAgreementDto): Promise<AgreementView> {
    return this.agreements.newVersion(actor, id, body);
  }

  @Post(':id/propose')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Propose the draft version to both heads.' })
  @ApiOkResponse({ type: AgreementView })
  propose(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<AgreementView> {
    return this.agreements.propose(actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: "Approve the proposal for your department (heads only); in force once both heads approved." })
  @ApiOkResponse({ type: AgreementView })
  approve(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: DecisionDto): Promise<AgreementView> {
    return this.agreements.approve(actor, id, body);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the proposal with a comment (heads only); it returns to draft.' })
  @ApiOkResponse({ type: AgreementView })
  reject(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: RejectionDto): Promise<AgreementView> {
    return this.agreements.reject(actor, id, body);
  }

  @Post(':id/retire')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the agreement out of force; running clocks finish under their version.' })
  @ApiOkResponse({ type: AgreementView })
  retire(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<AgreementView> {
    return this.agreements.retire(actor, id);
  }
}
