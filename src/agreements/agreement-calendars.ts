import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarUsers, type CalendarDeletionGuard } from '../calendars/calendar-users.js';
import type { Calendar } from '../calendars/calendar.entity.js';
import { AgreementVersion } from './agreement-version.entity.js';

/** Keeps a calendar that agreements are measured on from being deleted (calendars cannot import agreements). */
@Injectable()
export class AgreementCalendars implements CalendarDeletionGuard, OnModuleInit {
  constructor(private readonly calendarUsers: CalendarUsers) {}

  onModuleInit(): void {
    this.calendarUsers.registerDeletionGuard(this);
  }

  async deletionRefusal(manager: EntityManager, calendar: Calendar): Promise<string | null> {
    // Agreement versions keep their calendar for ever: history is measured on it.
    if (!(await manager.existsBy(AgreementVersion, { calendarId: calendar.id }))) return null;
    return `calendar ${calendar.name} measures agreements; it cannot be deleted`;
  }
}
