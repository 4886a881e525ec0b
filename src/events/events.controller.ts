import { Controller, createParamDecorator, type ExecutionContext, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowScopes } from '../access/access.decorators.js';
import { type Actor, CurrentActor } from '../access/actor.js';
import { InvalidInputError } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { EventImporter } from './event-importer.js';
import { BatchResultView, EventInputDto, EventPage, EventResultView, EventsQuery } from './events.dto.js';
import { EventsService, MAX_BATCH } from './events.service.js';
import { importFormatOfRequest } from './import-format.js';
import { ImportQuery, ImportSummaryView } from './import.dto.js';

/**
 * The parsed JSON body, read by a decorator of its own so the global pipe leaves it to
 * readEvent: a batch is judged item by item, and an item with a NUL or a `__proto__` key is
 * rejected alone while the others are kept.
 */
const Delivery = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest<Request>().body);

@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(EventInputDto)
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly importer: EventImporter,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'What was received, oldest first: ?subject= for one lead, ?type=, ?from=&to= (when it occurred), ?connectionId= (through one CRM connection).',
    description: 'Anyone who may read the tracking (a full token) may read the events.',
  })
  @ApiOkResponse({ type: EventPage })
  list(@Query() query: EventsQuery): Promise<EventPage> {
    return this.events.list(query);
  }

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
    @Delivery() body: unknown,
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
      unmatched: results.filter((r) => r.matched === false).length,
      results,
    };
  }

  @Post('import')
  @HttpCode(HttpStatus.OK)
  @AllowScopes('events:write')
  @ApiOperation({
    summary: 'Import a file of events of any size: NDJSON or CSV, streamed.',
    description:
      'NDJSON: one event per line, as POST /api/events takes it. CSV: a header row with type, subject, occurredAt and ' +
      'optionally key; every other column is an attribute (an empty cell is left out). A line that cannot be read or an ' +
      'event that is refused is skipped and reported with its line number; the rest is stored. A CSV header without a ' +
      'required column refuses the whole file (400) before anything is stored.',
  })
  @ApiConsumes('application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/csv')
  @ApiBody({ description: 'The file itself, sent as the raw body.', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportSummaryView })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither the Content-Type nor ?format names NDJSON or CSV.' })
  import(@CurrentActor() actor: Actor, @Req() request: Request, @Query() query: ImportQuery): Promise<ImportSummaryView> {
    const declared = Number(request.headers['content-length']);
    return this.importer.import(request, importFormatOfRequest(request, query.format), actor, undefined, {
      maxBytes: this.config.IMPORT_MAX_BYTES,
      declaredBytes: Number.isSafeInteger(declared) ? declared : undefined,
    });
  }
}
