import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { DueWorkModule } from '../common/due-work.module.js';
import { AppConfig } from '../config/app-config.js';
import { EventsModule } from '../events/events.module.js';
import { ConnectionSecrets } from './connection-secrets.js';
import { ConnectionsController, EventTypesController } from './connections.controller.js';
import { ConnectionsService } from './connections.service.js';
import { crmFetch, CRM_FETCH } from './crm-fetch.js';
import { DeliveriesService } from './deliveries.service.js';
import { EventTypesService } from './event-types.service.js';
import { HooksController } from './hooks.controller.js';

@Module({
  imports: [AgreementsModule, AuditModule, DueWorkModule, EventsModule],
  controllers: [ConnectionsController, EventTypesController, HooksController],
  providers: [
    ConnectionsService,
    ConnectionSecrets,
    DeliveriesService,
    EventTypesService,
    {
      provide: CRM_FETCH,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => crmFetch({ allowPrivateHosts: config.CRM_ALLOW_PRIVATE_HOSTS }),
    },
  ],
  // The pages (src/web/connections) call the same services as the API.
  exports: [ConnectionsService, DeliveriesService, EventTypesService],
})
export class ConnectionsModule {}
