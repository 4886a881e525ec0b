import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TrackingModule } from '../tracking/tracking.module.js';
import { AttendanceReportService } from './attendance-report.service.js';
import { BreachReportMailer } from './breach-report.mailer.js';
import { BreachReportService } from './breach-report.service.js';
import { ReportsController } from './reports.controller.js';

/** Reports heads of department read over HTTP and receive by email (scheduled by their subscriptions). */
@Module({
  imports: [TrackingModule, NotificationsModule],
  controllers: [ReportsController],
  providers: [BreachReportService, BreachReportMailer, AttendanceReportService],
  exports: [BreachReportService, AttendanceReportService],
})
export class ReportsModule {}
