import { Module } from '@nestjs/common';
import { ReportsModule } from '../../reports/reports.module.js';
import { CalendarsModule } from '../../calendars/calendars.module.js';
import { AgreementsModule } from '../../agreements/agreements.module.js';
import { MeetingsModule } from '../../meetings/meetings.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { TrackingModule } from '../../tracking/tracking.module.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardService } from './dashboard.service.js';

/** The dashboard: a person's agreements, breaches, actions and next meeting. */
@Module({
  imports: [AgreementsModule, CalendarsModule, ReportsModule, TrackingModule, MeetingsModule, NotificationsModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
