import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import { AppConfig } from '../../config/app-config.js';
import { I18nService } from '../../i18n/i18n.service.js';
import type { Locale } from '../../i18n/locales.js';
import { Person } from '../../org/person.entity.js';
import { MeetingParticipant } from '../meeting-participant.entity.js';
import { MeetingSeries } from '../meeting-series.entity.js';
import { Meeting } from '../meeting.entity.js';
import { type CalendarAttendee, type CalendarMethod, type CalendarPerson, seriesCalendar } from './ics.js';

/** Someone a series invites to attend: its required and optional participants (informed ones only get minutes). */
export interface Invitee {
  person: Person;
  role: 'required' | 'optional';
}

/** A series as calendars see it, read in one go. */
export interface SeriesState {
  series: MeetingSeries;
  meetings: Meeting[];
  invitees: Invitee[];
  /** The chair, else whoever planned the series. */
  organizer: Person | null;
}

/** The iCalendar form of meeting series, from their current state: for download and for invitations. */
@Injectable()
export class MeetingCalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  async load(manager: EntityManager, seriesId: string): Promise<SeriesState | null> {
    const series = await manager.findOne(MeetingSeries, { where: { id: seriesId } });
    if (!series) return null;
    const meetings = await manager.find(Meeting, { where: { seriesId }, order: { occurrenceStart: 'ASC' } });
    return { series, meetings, invitees: await this.invitees(manager, seriesId), organizer: await this.organizer(manager, series) };
  }

  /** Required and optional participants, in a stable order. */
  async invitees(manager: EntityManager, seriesId: string): Promise<Invitee[]> {
    const participants = await manager.find(MeetingParticipant, { where: { seriesId, role: In(['required', 'optional']) } });
    const people = new Map((await manager.find(Person, { where: { id: In([...participants.map((p) => p.personId), '']) } })).map((p) => [p.id, p]));
    return participants
      .filter((participant) => people.has(participant.personId))
      .map((participant) => ({ person: people.get(participant.personId) as Person, role: participant.role as Invitee['role'] }))
      .sort((a, b) => (a.role === b.role ? a.person.email.localeCompare(b.person.email) : a.role === 'required' ? -1 : 1));
  }

  /**
   * The iCalendar text of a series. REQUEST carries the series as it now is; CANCEL takes it out of
   * the calendars of `attendees` (all invitees when the series is cancelled, one person removed from it).
   */
  render(state: SeriesState, method: CalendarMethod, attendees: CalendarAttendee[] = state.invitees.map(attendeeOf), locale?: Locale): string {
    const service = this.serviceAddress();
    const organizer: CalendarPerson = state.organizer ? { name: state.organizer.name, email: state.organizer.email } : { name: 'Concord', email: service };
    return seriesCalendar({
      series: state.series,
      meetings: state.meetings,
      organizer,
      sentBy: organizer.email === service ? null : service,
      attendees,
      method,
      stamp: this.clock.now(),
      description: locale ? { text: this.describe(state, locale), language: locale } : null,
    });
  }

  /** What an invitee's calendar says of the series, in their language: who planned it, where its meetings and minutes are. */
  private describe(state: SeriesState, locale: Locale): string {
    const values = { organizer: state.organizer?.name ?? 'Concord', url: `${this.config.publicUrl}/meetings` };
    return this.i18n.t(locale, state.series.status === 'cancelled' ? 'meetings.ics.descriptionCancelled' : 'meetings.ics.description', values);
  }

  /** GET /api/meeting-series/:id/calendar.ics: REQUEST, or CANCEL once the series is cancelled. */
  async download(seriesId: string): Promise<{ filename: string; text: string }> {
    const state = await this.load(this.dataSource.manager, seriesId);
    if (!state) throw new NotFoundError('meeting series', seriesId);
    return { filename: `${fileNameOf(state.series.title)}.ics`, text: this.render(state, state.series.status === 'cancelled' ? 'CANCEL' : 'REQUEST') };
  }

  /** The address messages come from: "Concord <concord@example.com>" → "concord@example.com". */
  private serviceAddress(): string {
    const from = this.config.MAIL_FROM;
    return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
  }

  private async organizer(manager: EntityManager, series: MeetingSeries): Promise<Person | null> {
    for (const id of [series.chairId, series.createdBy]) {
      const person = id ? await manager.findOne(Person, { where: { id } }) : null;
      if (person) return person;
    }
    return null;
  }
}

export function attendeeOf(invitee: Invitee): CalendarAttendee {
  return { name: invitee.person.name, email: invitee.person.email, role: invitee.role };
}

/** "Marketing & Sales — monthly" → "marketing-sales-monthly". */
function fileNameOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'meeting-series';
}
