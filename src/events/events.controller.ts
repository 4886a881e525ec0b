import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowScopes } from '../auth/access.decorators.js';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { InvalidInputError } from '../common/errors.js';
import { BatchResultView, EventInputDto, EventResultView } from './events.dto.js';
import { EventsService, MAX_BATCH } from './events.service.js';

@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(EventInputDto)
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @AllowScopes('events:write')
  @ApiOperation({
    summary: 'Send one event, or an array of up to 1,000.',
    description:
      'One event: 201 accepted, 200 duplicate, 400 rejected (nothing stored). An array: 200 with a verdict per item; ' +
      'rejected items change nothing, the others are kept.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(EventInputDto) },
        { type: 'array', items: { $ref: getSchemaPath(EventInputDto) }, maxItems: MAX_BATCH },
      ],
    },
  })
  @ApiOkResponse({ type: BatchResultView, description: 'For an array.' })
  async send(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResultView | BatchResultView> {
    if (!Array.isArray(body)) {
      const [result] = await this.events.ingest(actor, [body]);
      if (result.status === 'rejected') throw new InvalidInputError(result.errors ?? {});
      response.status(result.status === 'accepted' ? HttpStatus.CREATED : HttpStatus.OK);
      return result;
    }
    if (body.length === 0 || body.length > MAX_BATCH) {
      throw InvalidInputError.of('body', `send 1 to ${MAX_BATCH.toLocaleString('en')} events per request (got ${body.length})`);
    }
    const results = await this.events.ingest(actor, body);
    response.status(HttpStatus.OK);
    return {
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      results,
    };
  }
}
