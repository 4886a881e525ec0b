import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { ActivationHandoff } from './activation-handoff.js';
import { AgreementCalendars } from './agreement-calendars.js';
import { AgreementViews } from './agreement-views.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsService } from './agreements.service.js';
import { EventTypeSightings } from './event-type-sightings.js';

@Module({
  imports: [CalendarsModule],
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementViews, ActivationHandoff, AgreementCalendars, EventTypeSightings],
  exports: [AgreementsService, ActivationHandoff, EventTypeSightings],
})
export class AgreementsModule {}
