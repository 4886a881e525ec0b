import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { CalendarsModule } from '../../calendars/calendars.module.js';
import { OrgModule } from '../../org/org.module.js';
import { CalendarPagesController } from './calendar-pages.controller.js';
import { CalendarUploadMiddleware } from './calendar-upload.middleware.js';
import { DepartmentPagesController } from './department-pages.controller.js';
import { PeoplePagesController } from './people-pages.controller.js';

/** Admin pages: business calendars, departments, people and their API tokens. */
@Module({
  imports: [CalendarsModule, OrgModule, AuthModule],
  controllers: [CalendarPagesController, DepartmentPagesController, PeoplePagesController],
  providers: [],
})
export class AdminPagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The calendar page's upload of dated hours is multipart: read before the page guard checks its CSRF token.
    consumer.apply(CalendarUploadMiddleware).forRoutes({ path: 'admin/calendars/:id/dates/import', method: RequestMethod.POST });
  }
}
