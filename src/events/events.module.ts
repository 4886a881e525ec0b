import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module.js';
import { EventImporter } from './event-importer.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

@Module({
  imports: [TrackingModule],
  controllers: [EventsController],
  providers: [EventsService, EventImporter],
  exports: [EventsService, EventImporter],
})
export class EventsModule {}
