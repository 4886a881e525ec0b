import { Module } from '@nestjs/common';
import { MeetingSeriesController } from './meeting-series.controller.js';
import { MeetingSeriesService } from './meeting-series.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  controllers: [MeetingSeriesController, MeetingsController],
  providers: [MeetingSeriesService, MeetingsService],
  exports: [MeetingSeriesService, MeetingsService],
})
export class MeetingsModule {}
