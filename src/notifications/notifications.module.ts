import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { AlertsService } from './alerts.service.js';
import { Mailer } from './mailer.js';
import { MessageComposer } from './message-composer.js';
import { NotificationsController } from './notifications.controller.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxScheduler } from './outbox.scheduler.js';
import { OutboxService } from './outbox.service.js';
import { TemplateRenderer } from './template-renderer.js';

@Module({
  imports: [CalendarsModule],
  controllers: [NotificationsController],
  providers: [TemplateRenderer, Mailer, MessageComposer, OutboxService, OutboxDispatcher, OutboxScheduler, AlertsService],
  exports: [TemplateRenderer, MessageComposer, OutboxService, OutboxDispatcher, AlertsService],
})
export class NotificationsModule {}
