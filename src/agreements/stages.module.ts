import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventTypeNamesController } from './event-type-names.controller.js';
import { EventTypeNamesService } from './event-type-names.service.js';
import { FunnelStage } from './funnel-stage.entity.js';
import { StageEntryHandoff } from './stage-entry-handoff.js';
import { StagesController } from './stages.controller.js';
import { StagesService } from './stages.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FunnelStage])],
  controllers: [StagesController, EventTypeNamesController],
  providers: [StagesService, StageEntryHandoff, EventTypeNamesService],
  exports: [StagesService, StageEntryHandoff, EventTypeNamesService],
})
export class StagesModule {}
