import { Module } from '@nestjs/common';
import { MeetingsModule } from '../../meetings/meetings.module.js';
import { OrgModule } from '../../org/org.module.js';
import { MeetingPagesController } from './meeting-pages.controller.js';

/** The meetings list, the meeting room and the minutes, on the meetings' own services. */
@Module({
  imports: [MeetingsModule, OrgModule],
  controllers: [MeetingPagesController],
  providers: [],
})
export class MeetingPagesModule {}
