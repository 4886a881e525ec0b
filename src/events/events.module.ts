import { Module } from '@nestjs/common';
import { EventImporter } from './event-importer.js';
import { EventMeasurer } from './event-measurer.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

@Module({
  controllers: [EventsController],
  providers: [EventsService, EventImporter, EventMeasurer],
  exports: [EventsService, EventImporter, EventMeasurer],
})
export class EventsModule {}
