import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { DepartmentCalendars } from './department-calendars.js';
import { Department } from './department.entity.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { PeopleController } from './people.controller.js';
import { PeopleDirectoryModule } from './people-directory.js';
import { PeopleService } from './people.service.js';
import { PersonDeactivation } from './person-deactivation.js';
import { Person } from './person.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Department, Person]), CalendarsModule, PeopleDirectoryModule],
  controllers: [DepartmentsController, PeopleController],
  providers: [DepartmentsService, PeopleService, DepartmentCalendars, PersonDeactivation],
  exports: [DepartmentsService, PeopleService, PersonDeactivation],
})
export class OrgModule {}
