import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AgreementsModule } from './agreements/agreements.module.js';
import { StagesModule } from './agreements/stages.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BriefsModule } from './briefs/briefs.module.js';
import { CalendarsModule } from './calendars/calendars.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { createValidationPipe } from './common/validation.js';
import { ConfigModule } from './config/config.module.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { I18nModule } from './i18n/i18n.module.js';
import { MeetingsModule } from './meetings/meetings.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OrgModule } from './org/org.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { TrackingModule } from './tracking/tracking.module.js';
import { WebModule } from './web/web.module.js';

@Module({
  imports: [
    ConfigModule,
    I18nModule,
    DatabaseModule,
    AuditModule,
    AuthModule,
    OrgModule,
    CalendarsModule,
    StagesModule,
    AgreementsModule,
    EventsModule,
    ConnectionsModule,
    TrackingModule,
    BriefsModule,
    ReportsModule,
    NotificationsModule,
    MeetingsModule,
    HealthModule,
    WebModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}
