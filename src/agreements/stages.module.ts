import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FunnelStage } from './funnel-stage.entity.js';
import { StageEntryHandoff } from './stage-entry-handoff.js';
import { StagesController } from './stages.controller.js';
import { StagesService } from './stages.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FunnelStage])],
  controllers: [StagesController],
  providers: [StagesService, StageEntryHandoff],
  exports: [StagesService, StageEntryHandoff],
})
export class StagesModule {}
