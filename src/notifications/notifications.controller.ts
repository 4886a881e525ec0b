import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { DispatchView, NotificationPage, NotificationsQuery, NotificationView } from './notifications.dto.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxService } from './outbox.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly outbox: OutboxService,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The outbox: pending, sent, failed (with the SMTP error) and skipped messages, newest first; `departmentId` keeps those addressed to its people.' })
  @ApiOkResponse({ type: NotificationPage })
  list(@Query() query: NotificationsQuery): Promise<NotificationPage> {
    return this.outbox.list(query);
  }

  @Post('dispatch')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send what is due now, without waiting for the next pass.' })
  @ApiOkResponse({ type: DispatchView })
  dispatch(): Promise<DispatchView> {
    return this.dispatcher.dispatch();
  }

  @Post(':id/retry')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue a failed or skipped message again.' })
  @ApiOkResponse({ type: NotificationView })
  retry(@IdParam() id: string): Promise<NotificationView> {
    return this.outbox.retry(id);
  }
}
