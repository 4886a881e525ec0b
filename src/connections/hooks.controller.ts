import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorators.js';
import { DeliveriesService, type HookRequest } from './deliveries.service.js';

function hookRequest(request: Request, pathSecret?: string): HookRequest {
  const question = request.originalUrl.indexOf('?');
  return {
    method: request.method,
    query: question >= 0 ? request.originalUrl.slice(question) : '',
    pathSecret,
    headers: request.headers,
    // app.setup.ts reads /hooks bodies raw; an empty request leaves no buffer.
    rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  };
}

/**
 * Where CRMs post: no token (the CRM cannot send one), verified instead by the connection's
 * adapter the way that CRM signs. 404 unknown connection, 401 refused (nothing stored), 400 a
 * verified delivery that cannot be read (kept in the delivery log), 500 one stored but not turned
 * into events (kept as `failed`, for replay), 501 a kind without an adapter (none today).
 */
@ApiTags('connections')
@Controller('hooks')
export class HooksController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Post(':id')
  @Public()
  @ApiOperation({ summary: "A CRM's delivery to a connection, verified the way that CRM signs (HubSpot signature v3, X-Concord-Signature, …)." })
  @ApiBody({ description: 'The CRM\'s own payload, read raw.', schema: { type: 'string', format: 'binary' } })
  async receive(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(response, id, hookRequest(request));
  }

  @Post(':id/:secret')
  @Public()
  @ApiExcludeEndpoint()
  async receiveWithSecret(@Param('id') id: string, @Param('secret') secret: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(response, id, hookRequest(request, secret));
  }

  private async answer(response: Response, id: string, request: HookRequest): Promise<void> {
    const answer = await this.deliveries.receive(id, request);
    response.status(answer.status).type(answer.contentType).send(answer.body);
  }
}
