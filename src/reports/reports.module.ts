import { Module } from '@nestjs/common';
import { DueWorkModule } from '../common/due-work.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TrackingModule } from '../tracking/tracking.module.js';
import { AttendanceReportService } from './attendance-report.service.js';
import { BreachReportMailer } from './breach-report.mailer.js';
import { BreachReportService } from './breach-report.service.js';
import { FunnelReportMailer } from './funnel-report.mailer.js';
import { FunnelReportRepository } from './funnel-report.repository.js';
import { FunnelReportService } from './funnel-report.service.js';
import { ReportsController } from './reports.controller.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Reports heads of department read over HTTP and receive by email (scheduled by their subscriptions). */
@Module({
  imports: [TrackingModule, NotificationsModule, DueWorkModule],
  controllers: [ReportsController, SubscriptionsController],
  providers: [BreachReportService, BreachReportMailer, AttendanceReportService, SubscriptionsService, FunnelReportService, FunnelReportRepository, FunnelReportMailer],
  exports: [BreachReportService, AttendanceReportService, FunnelReportService],
})
export class ReportsModule {}
