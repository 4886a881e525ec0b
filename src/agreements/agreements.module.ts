import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module.js';
import { AgreementViews } from './agreement-views.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsService } from './agreements.service.js';

@Module({
  imports: [TrackingModule],
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementViews],
  exports: [AgreementsService],
})
export class AgreementsModule {}
