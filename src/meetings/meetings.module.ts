import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AgendaBuilder } from './agenda-builder.js';
import { ActionItemsController, MeetingRoomController } from './meeting-room.controller.js';
import { MeetingRoomService } from './meeting-room.service.js';
import { MinutesService } from './minutes.service.js';
import { MeetingSeriesController } from './meeting-series.controller.js';
import { MeetingSeriesService } from './meeting-series.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  imports: [CalendarsModule, NotificationsModule],
  controllers: [MeetingSeriesController, MeetingsController, MeetingRoomController, ActionItemsController],
  providers: [MeetingSeriesService, MeetingsService, MeetingRoomService, AgendaBuilder, MinutesService],
  exports: [MeetingSeriesService, MeetingsService],
})
export class MeetingsModule {}
