import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Department } from './department.entity.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { PeopleController } from './people.controller.js';
import { PeopleDirectoryModule } from './people-directory.js';
import { PeopleService } from './people.service.js';
import { Person } from './person.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Department, Person]), PeopleDirectoryModule],
  controllers: [DepartmentsController, PeopleController],
  providers: [DepartmentsService, PeopleService],
  exports: [DepartmentsService, PeopleService],
})
export class OrgModule {}
