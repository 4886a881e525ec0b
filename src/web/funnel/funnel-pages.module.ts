import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StagesModule } from '../../agreements/stages.module.js';
import { ConnectionsModule } from '../../connections/connections.module.js';
import { OrgModule } from '../../org/org.module.js';
import { StageEntry } from '../../tracking/stage-entry.entity.js';
import { FunnelPagesController } from './funnel-pages.controller.js';
import { StageEntryCounts } from './stage-entry-counts.js';
import { Readers } from '../agreements/readers.js';

/** The funnel: its stages in order with the event entering each and how many entered; their form. */
@Module({
  imports: [StagesModule, ConnectionsModule, OrgModule, TypeOrmModule.forFeature([StageEntry])],
  controllers: [FunnelPagesController],
  providers: [StageEntryCounts, Readers],
})
export class FunnelPagesModule {}
