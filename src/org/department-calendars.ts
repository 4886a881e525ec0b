import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarUsers, type CalendarKeepers } from '../calendars/calendar-users.js';
import { Department } from './department.entity.js';

/** Tells calendars which departments keep a calendar as their own (calendars cannot import org). */
@Injectable()
export class DepartmentCalendars implements CalendarKeepers, OnModuleInit {
  constructor(private readonly calendarUsers: CalendarUsers) {}

  onModuleInit(): void {
    this.calendarUsers.registerKeepers(this);
  }

  keepersOf(manager: EntityManager, calendarId: string): Promise<Department[]> {
    return manager.find(Department, { where: { calendarId } });
  }
}
