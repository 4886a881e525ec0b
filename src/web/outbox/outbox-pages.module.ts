import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { UndeliveredPagesController } from './undelivered-pages.controller.js';

/** The emails the outbox could not deliver, for admins and heads. */
@Module({
  imports: [NotificationsModule],
  controllers: [UndeliveredPagesController],
})
export class OutboxPagesModule {}
