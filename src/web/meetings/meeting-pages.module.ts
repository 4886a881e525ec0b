import { Module } from '@nestjs/common';
import { CalendarsModule } from '../../calendars/calendars.module.js';
import { MeetingsModule } from '../../meetings/meetings.module.js';
import { OrgModule } from '../../org/org.module.js';
import { MeetingPagesController } from './meeting-pages.controller.js';
import { SeriesPagesController } from './series-pages.controller.js';

/** The meetings list, planning a series, the meeting room and the minutes, on the meetings' own services. */
@Module({
  imports: [MeetingsModule, OrgModule, CalendarsModule],
  // Series first: Nest registers routes in this order, and `meetings/:id` would take `meetings/series/new`.
  controllers: [SeriesPagesController, MeetingPagesController],
  providers: [],
})
export class MeetingPagesModule {}
