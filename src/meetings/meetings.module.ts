import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { DueWorkModule } from '../common/due-work.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TrackingModule } from '../tracking/tracking.module.js';
import { ActionRemindersService } from './action-reminders.service.js';
import { AgendaBuilder } from './agenda-builder.js';
import { MeetingCalendarController } from './calendar/meeting-calendar.controller.js';
import { MeetingCalendarService } from './calendar/meeting-calendar.service.js';
import { MeetingInvitations } from './calendar/meeting-invitations.js';
import { ActionItemsController, MeetingRoomController } from './meeting-room.controller.js';
import { MeetingRoomService } from './meeting-room.service.js';
import { MinutesService } from './minutes.service.js';
import { MeetingSeriesController } from './meeting-series.controller.js';
import { MeetingSeriesService } from './meeting-series.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';
import { SeriesCalendars } from './series-calendars.js';
import { SeriesPlanner } from './series-planner.js';

@Module({
  imports: [CalendarsModule, NotificationsModule, DueWorkModule, TrackingModule],
  controllers: [MeetingSeriesController, MeetingsController, MeetingRoomController, ActionItemsController, MeetingCalendarController],
  providers: [MeetingSeriesService, MeetingsService, MeetingRoomService, AgendaBuilder, MinutesService, MeetingCalendarService, MeetingInvitations, ActionRemindersService, SeriesPlanner, SeriesCalendars],
  exports: [MeetingSeriesService, MeetingsService, MeetingRoomService, MinutesService, AgendaBuilder],
})
export class MeetingsModule {}
