import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { CalendarsModule } from '../../calendars/calendars.module.js';
import { OrgModule } from '../../org/org.module.js';
import { CalendarPagesController } from './calendar-pages.controller.js';
import { DepartmentPagesController } from './department-pages.controller.js';
import { PeoplePagesController } from './people-pages.controller.js';

/** Admin pages: business calendars, departments, people and their API tokens. */
@Module({
  imports: [CalendarsModule, OrgModule, AuthModule],
  controllers: [CalendarPagesController, DepartmentPagesController, PeoplePagesController],
  providers: [],
})
export class AdminPagesModule {}
