import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import { CreateSubscriptionDto, SubscriptionPage, SubscriptionView, UpdateSubscriptionDto } from './subscriptions.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiCreatedResponse({ type: SubscriptionView, description: 'A report by email on a schedule in the recipient\'s time zone.' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateSubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: SubscriptionPage, description: 'Your subscriptions (an admin sees all).' })
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<SubscriptionPage> {
    return this.subscriptions.list(actor, query);
  }

  @Patch(':id')
  @ApiOkResponse({ type: SubscriptionView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateSubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.subscriptions.remove(actor, id);
  }
}
