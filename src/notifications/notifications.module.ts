import { Module } from '@nestjs/common';
import { DueWorkModule } from '../common/due-work.module.js';
import { Mailer } from './mailer.js';
import { MessageComposer } from './message-composer.js';
import { NotificationsController } from './notifications.controller.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxScheduler } from './outbox.scheduler.js';
import { OutboxService } from './outbox.service.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { TemplateRenderer } from './template-renderer.js';

@Module({
  imports: [DueWorkModule],
  controllers: [NotificationsController, SubscriptionsController],
  providers: [TemplateRenderer, Mailer, MessageComposer, OutboxService, OutboxDispatcher, OutboxScheduler, SubscriptionsService],
  exports: [TemplateRenderer, MessageComposer, OutboxService, OutboxDispatcher, SubscriptionsService],
})
export class NotificationsModule {}
