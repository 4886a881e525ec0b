import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { BriefsController } from './briefs.controller.js';
import { BriefsService } from './briefs.service.js';

@Module({
  imports: [EventsModule],
  controllers: [BriefsController],
  providers: [BriefsService],
  exports: [BriefsService],
})
export class BriefsModule {}
