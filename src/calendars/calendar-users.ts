import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Calendar } from './calendar.entity.js';

/** A department keeping a calendar as its own, named in messages by its slug. */
export interface CalendarKeeper {
  id: string;
  slug: string;
}

/** Answers which departments keep a calendar as their own. */
export interface CalendarKeepers {
  keepersOf(manager: EntityManager, calendarId: string): Promise<CalendarKeeper[]>;
}

/** Answers why a calendar no department keeps still cannot be deleted (something is measured on it), or null. */
export interface CalendarDeletionGuard {
  deletionRefusal(manager: EntityManager, calendar: Calendar): Promise<string | null>;
}

/**
 * Who uses a calendar. Departments and agreements lie downstream of calendars, so org and
 * agreements register here when the app starts (DepartmentCalendars, AgreementCalendars)
 * instead of calendars importing them. Changes to a calendar's rules go the other way, through
 * CalendarsService.changes.
 */
@Injectable()
export class CalendarUsers {
  private keepers?: CalendarKeepers;
  private readonly guards: CalendarDeletionGuard[] = [];

  registerKeepers(keepers: CalendarKeepers): void {
    if (this.keepers && this.keepers !== keepers) throw new Error('the departments keeping calendars are already answered by another service');
    this.keepers = keepers;
  }

  registerDeletionGuard(guard: CalendarDeletionGuard): void {
    if (!this.guards.includes(guard)) this.guards.push(guard);
  }

  /** The departments whose own calendar this is: a head may change only one their department alone keeps. */
  keepersOf(manager: EntityManager, calendarId: string): Promise<CalendarKeeper[]> {
    // Without an answer every head could change every calendar: refuse rather than guess.
    if (!this.keepers) throw new Error('no service answers which departments keep a calendar (is OrgModule imported and the app initialised?)');
    return this.keepers.keepersOf(manager, calendarId);
  }

  /** The first guard's reason to keep the calendar, in the order they registered, or null. */
  async deletionRefusal(manager: EntityManager, calendar: Calendar): Promise<string | null> {
    for (const guard of this.guards) {
      const refusal = await guard.deletionRefusal(manager, calendar);
      if (refusal) return refusal;
    }
    return null;
  }
}
