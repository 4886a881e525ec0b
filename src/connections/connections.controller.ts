import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import {
  ConnectionPage,
  ConnectionSavedView,
  ConnectionTestView,
  ConnectionView,
  CreateConnectionDto,
  DeliveriesQuery,
  DeliveryPage,
  DeliveryView,
  EventTypesView,
  TestConnectionDto,
  UpdateConnectionDto,
} from './connections.dto.js';
import { ConnectionsService } from './connections.service.js';
import { DeliveriesService } from './deliveries.service.js';
import { EventTypesService } from './event-types.service.js';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('api/connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly deliveries: DeliveriesService,
    private readonly eventTypes: EventTypesService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Connect a CRM: admins, or a head for their own department.',
    description: 'Answers the URL to paste into the CRM, a generated secret (this once), and warnings for rules emitting event types no agreement or funnel stage uses.',
  })
  @ApiCreatedResponse({ type: ConnectionSavedView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateConnectionDto): Promise<ConnectionSavedView> {
    return this.connections.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: ConnectionPage })
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<ConnectionPage> {
    return this.connections.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ConnectionView })
  async get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<ConnectionView> {
    const connection = await this.connections.get(actor, id);
    return { ...connection, unseenTypes: await this.eventTypes.unseen(connection.rules.map((rule) => rule.emit)) };
  }

  @Patch(':id')
  @ApiOkResponse({ type: ConnectionSavedView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateConnectionDto): Promise<ConnectionSavedView> {
    return this.connections.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its delivery log; the events it produced stay.' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.connections.remove(actor, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A dry run: a sample payload read by the kind and mapped through the current rules, storing nothing.',
    description:
      'Answers the events the sample would produce. The signature is not checked and nothing is stored or ingested; ' +
      'the objects\' last known properties are read but not changed. Bitrix24 deliveries carry only ids: the call to the portal is skipped (`resolveSkipped`).',
  })
  @ApiOkResponse({ type: ConnectionTestView })
  test(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: TestConnectionDto): Promise<ConnectionTestView> {
    return this.deliveries.preview(actor, id, body);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first: outcome, reason, events produced, raw payload.' })
  @ApiOkResponse({ type: DeliveryPage })
  listDeliveries(@CurrentActor() actor: Actor, @IdParam() id: string, @Query() query: DeliveriesQuery): Promise<DeliveryPage> {
    return this.deliveries.list(actor, id, query);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a stored delivery again through the current rules; produces only the events still missing.' })
  @ApiOkResponse({ type: DeliveryView })
  replay(@CurrentActor() actor: Actor, @IdParam() id: string, @IdParam('deliveryId') deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.replay(actor, id, deliveryId);
  }
}

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/event-types')
export class EventTypesController {
  constructor(private readonly eventTypes: EventTypesService) {}

  @Get()
  @ApiOperation({ summary: 'Every event type seen, named by an agreement or emitted by a connection rule: counts, first and last seen, who uses it.' })
  @ApiOkResponse({ type: EventTypesView })
  list(): Promise<EventTypesView> {
    return this.eventTypes.list();
  }
}
