import { Module } from '@nestjs/common';
import { ActivationHandoff } from './activation-handoff.js';
import { AgreementViews } from './agreement-views.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsService } from './agreements.service.js';

@Module({
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementViews, ActivationHandoff],
  exports: [AgreementsService, ActivationHandoff],
})
export class AgreementsModule {}
