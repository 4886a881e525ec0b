import { Module } from '@nestjs/common';
import { Mailer } from './mailer.js';
import { MessageComposer } from './message-composer.js';
import { NotificationsController } from './notifications.controller.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxScheduler } from './outbox.scheduler.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';
import { TemplateRenderer } from './template-renderer.js';

/**
 * Delivery, knowing no feature: the outbox, its dispatcher and mailer, the templates, and the
 * composer each feature registers its own kinds of message with.
 */
@Module({
  controllers: [NotificationsController],
  providers: [TemplateRenderer, Mailer, MessageComposer, OutboxRepository, OutboxService, OutboxDispatcher, OutboxScheduler],
  exports: [TemplateRenderer, MessageComposer, OutboxService, OutboxDispatcher],
})
export class NotificationsModule {}
