import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { EventTypeNamesList, EventTypeNamesView } from './event-type-names.dto.js';
import { EventTypeNamesService } from './event-type-names.service.js';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/event-types')
export class EventTypeNamesController {
  constructor(private readonly names: EventTypeNamesService) {}

  @Get('names')
  @ApiOperation({ summary: 'The readable name of each conventional or named event type, in every language.' })
  @ApiOkResponse({ type: EventTypeNamesList })
  list(): Promise<EventTypeNamesList> {
    return this.names.list();
  }

  @Get(':type/names')
  @ApiOkResponse({ type: EventTypeNamesView })
  get(@Param('type') type: string): Promise<EventTypeNamesView> {
    return this.names.get(type);
  }

  @Put(':type/names')
  @ApiOperation({ summary: "Name an event type in some languages (admins and heads); null returns a language to the default name." })
  @ApiBody({ schema: { type: 'object', additionalProperties: { type: 'string', nullable: true }, example: { ru: 'Лид передан в продажи', fr: 'Lead transmis aux ventes' } } })
  @ApiOkResponse({ type: EventTypeNamesView })
  set(@CurrentActor() actor: Actor, @Param('type') type: string, @Body() body: Record<string, unknown>): Promise<EventTypeNamesView> {
    return this.names.set(actor, type, body);
  }
}
