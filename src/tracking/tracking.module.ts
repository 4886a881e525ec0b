import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { StagesModule } from '../agreements/stages.module.js';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { DueWorkModule } from '../common/due-work.module.js';
import { EventsModule } from '../events/events.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AgreementCatalogue } from './agreement-catalogue.js';
import { AlertMessages } from './alerts/alert-messages.js';
import { AlertsService } from './alerts/alerts.service.js';
import { BreachesService } from './breaches.service.js';
import { ClockRepository } from './clock.repository.js';
import { ClocksService } from './clocks.service.js';
import { ComplianceService } from './compliance.service.js';
import { ConversionBreaches } from './conversion-breaches.js';
import { ConversionCompliance } from './conversion-compliance.js';
import { ConversionTracker } from './conversion-tracker.js';
import { EventScanner } from './event-scan.js';
import { QuotaTracker } from './quota-tracker.js';
import { ResponseCompliance } from './response-compliance.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupsService } from './rollups.service.js';
import { StageEntriesService } from './stage-entries.service.js';
import { SweepScheduler } from './sweep.scheduler.js';
import { FunnelRollupRepository } from './funnel-rollup.repository.js';
import { FunnelRollupsService } from './funnel-rollups.service.js';
import { SweepService } from './sweep.service.js';
import { AdminController, BreachesController, ClocksController, ComplianceController } from './tracking.controllers.js';
import { TrackingService } from './tracking.service.js';
import { TrackingQueueWorker } from './tracking-queue.worker.js';
import { VersionActivation } from './version-activation.js';

@Module({
  imports: [AgreementsModule, StagesModule, CalendarsModule, EventsModule, NotificationsModule, DueWorkModule],
  controllers: [ClocksController, BreachesController, ComplianceController, AdminController],
  providers: [
    AgreementCatalogue,
    ClockRepository,
    RollupRepository,
    RollupsService,
    ResponseCompliance,
    QuotaTracker,
    TrackingService,
    TrackingQueueWorker,
    SweepService,
    SweepScheduler,
    ClocksService,
    BreachesService,
    ComplianceService,
    EventScanner,
    VersionActivation,
    AlertsService,
    AlertMessages,
    StageEntriesService,
    ConversionTracker,
    ConversionBreaches,
    ConversionCompliance,
    FunnelRollupRepository,
    FunnelRollupsService,
  ],
  exports: [TrackingQueueWorker, StageEntriesService, AgreementCatalogue, QuotaTracker, TrackingService, SweepService, ComplianceService, BreachesService, ClocksService, ConversionCompliance, RollupsService, FunnelRollupRepository, FunnelRollupsService],
})
export class TrackingModule {}
