import { Module } from '@nestjs/common';
import { AgreementsModule } from '../../agreements/agreements.module.js';
import { OrgModule } from '../../org/org.module.js';
import { TrackingModule } from '../../tracking/tracking.module.js';
import { BreachPagesController } from './breach-pages.controller.js';

/** Breaches: list with filters and the owner's explanation form. */
@Module({
  imports: [TrackingModule, AgreementsModule, OrgModule],
  controllers: [BreachPagesController],
})
export class BreachPagesModule {}
