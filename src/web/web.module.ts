import { Module } from '@nestjs/common';
import { AdminPagesModule } from './admin/admin-pages.module.js';
import { AgreementPagesModule } from './agreements/agreement-pages.module.js';
import { BreachPagesModule } from './breaches/breach-pages.module.js';
import { BriefPagesModule } from './briefs/brief-pages.module.js';
import { ConnectionPagesModule } from './connections/connection-pages.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { FunnelPagesModule } from './funnel/funnel-pages.module.js';
import { MeetingPagesModule } from './meetings/meeting-pages.module.js';
import { OutboxPagesModule } from './outbox/outbox-pages.module.js';
import { ReportPagesModule } from './reports/report-pages.module.js';
import { WebCoreModule } from './web-core.module.js';

/** The pages heads of department use, one module per area, on the shared core (sessions, rendering). */
@Module({
  imports: [WebCoreModule, DashboardModule, AgreementPagesModule, BriefPagesModule, MeetingPagesModule, BreachPagesModule, AdminPagesModule, OutboxPagesModule, ConnectionPagesModule, FunnelPagesModule, ReportPagesModule],
})
export class WebModule {}
