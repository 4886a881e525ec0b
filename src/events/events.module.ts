import { Module } from '@nestjs/common';
import { EventImporter } from './event-importer.js';
import { EventMeasurer } from './event-measurer.js';
import { EventRepository } from './event.repository.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { TrackingQueueRepository } from './tracking-queue.repository.js';

@Module({
  controllers: [EventsController],
  providers: [EventsService, EventRepository, EventImporter, EventMeasurer, TrackingQueueRepository],
  exports: [EventsService, EventImporter, EventMeasurer, EventRepository, TrackingQueueRepository],
})
export class EventsModule {}
