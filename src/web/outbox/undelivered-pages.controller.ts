import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { ForbiddenError } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { OutboxService } from '../../notifications/outbox.service.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { undeliveredScope } from './undelivered-scope.js';
import { presentUndelivered } from './undelivered.view.js';

/**
 * Emails that exhausted their attempts, with the last SMTP error: admins see all and send one
 * again; a head sees those addressed to the people of their department (the dashboard links here).
 */
@Pages()
@Roles('admin', 'head')
@Controller('undelivered-emails')
export class UndeliveredPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly outbox: OutboxService,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    const scope = undeliveredScope(actor);
    if (!scope) throw new ForbiddenError('only admins and the heads of departments see undelivered emails');
    const failed = await this.outbox.list({ status: 'failed', ...scope, limit: MAX_PAGE_SIZE, offset: 0 });
    this.pages.send(response, request, 'undelivered', 'outbox.pageTitle', presentUndelivered(actor, failed, request.signedIn!.person.timezone));
  }

  @Post(':id/retry')
  @Roles('admin')
  async retry(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const queued = await this.outbox.retry(id);
    this.pages.redirect(response, '/undelivered-emails', this.pages.t(request, 'outbox.queuedAgain', { email: queued.recipientEmail }));
  }
}
