import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarUsers } from './calendar-users.js';
import { Calendar } from './calendar.entity.js';
import { CalendarsController } from './calendars.controller.js';
import { CalendarsService } from './calendars.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Calendar])],
  controllers: [CalendarsController],
  providers: [CalendarsService, CalendarUsers],
  exports: [CalendarsService, CalendarUsers],
})
export class CalendarsModule {}
