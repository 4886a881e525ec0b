import { Module } from '@nestjs/common';
import { AgreementsModule } from '../../agreements/agreements.module.js';
import { StagesModule } from '../../agreements/stages.module.js';
import { CalendarsModule } from '../../calendars/calendars.module.js';
import { ConnectionsModule } from '../../connections/connections.module.js';
import { OrgModule } from '../../org/org.module.js';
import { TrackingModule } from '../../tracking/tracking.module.js';
import { AgreementPageData } from './agreement-page-data.js';
import { AgreementPagesController } from './agreement-pages.controller.js';
import { Readers } from './readers.js';

/** Agreements: list, detail with the clocks behind the figures, editor with preview, replay, approvals. */
@Module({
  imports: [AgreementsModule, StagesModule, TrackingModule, CalendarsModule, OrgModule, ConnectionsModule],
  controllers: [AgreementPagesController],
  providers: [AgreementPageData, Readers],
})
export class AgreementPagesModule {}
