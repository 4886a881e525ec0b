import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  type ICalEventData,
  ICalEventStatus,
  type ICalLuxonDateTimeStub,
} from 'ical-generator';
import { DateTime } from 'luxon';
import { occurrences } from '../domain/recurrence.js';
import type { MeetingSeries } from '../meeting-series.entity.js';
import type { Meeting } from '../meeting.entity.js';
import { vtimezone } from './vtimezone.js';

/**
 * A meeting series as one iCalendar object (RFC 5545, with the iTIP methods of RFC 5546): a
 * master VEVENT whose UID is the series' for ever (`<series id>@concord`), DTSTART in the series'
 * zone with its VTIMEZONE, the series' RRULE, its SEQUENCE, an EXDATE per cancelled occurrence,
 * and a VEVENT with the same UID and a RECURRENCE-ID per moved one. Sent again with a higher
 * SEQUENCE after any change, it replaces what a calendar holds instead of adding to it.
 * Pure: the caller says what the series, its people and its meetings are.
 */

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarAttendee extends CalendarPerson {
  role: 'required' | 'optional';
}

export interface SeriesCalendarInput {
  series: Pick<MeetingSeries, 'id' | 'title' | 'timezone' | 'startsOn' | 'rrule' | 'durationMinutes' | 'location' | 'sequence'>;
  meetings: Pick<Meeting, 'occurrenceStart' | 'startsAt' | 'endsAt' | 'status'>[];
  organizer: CalendarPerson;
  /** Who sends on the organizer's behalf (the service's own address), if any. */
  sentBy?: string | null;
  attendees: CalendarAttendee[];
  /** REQUEST: here is the series as it now is; CANCEL: the whole series is off (for these attendees). */
  method: CalendarMethod;
  /** DTSTAMP: when this version of the object was written. */
  stamp: Date;
  /**
   * DESCRIPTION of every event, in the invitee's language (the summary is the series' title, as
   * people typed it), and that language for PRODID's language field; none in a download.
   */
  description?: { text: string; language: string } | null;
}

export function seriesUid(seriesId: string): string {
  return `${seriesId}@concord`;
}

const LOCAL_FORMAT = "yyyyLLdd'T'HHmmss";

/** The iCalendar text of a series, CRLF line ends, lines folded at 75 octets. */
export function seriesCalendar(input: SeriesCalendarInput): string {
  const { series, method } = input;
  const zone = series.timezone;
  const ruleStarts = new Set(occurrences({ rule: series.rrule, startsOn: series.startsOn, timezone: zone }));
  const inRule = input.meetings.filter((meeting) => ruleStarts.has(meeting.occurrenceStart.getTime()));
  const cancelled = inRule.filter((meeting) => meeting.status === 'cancelled');
  const moved = inRule.filter((meeting) => meeting.status !== 'cancelled' && meeting.startsAt.getTime() !== meeting.occurrenceStart.getTime());

  const firstStart = DateTime.fromISO(series.startsOn, { zone });
  const instants = [...ruleStarts, ...input.meetings.flatMap((m) => [m.occurrenceStart.getTime(), m.endsAt.getTime()])];
  const years = [firstStart, ...instants.map((at) => DateTime.fromMillis(at, { zone }))].map((at) => at.year);
  const calendar = ical({
    prodId: { company: 'Concord', product: 'Meetings', language: (input.description?.language ?? 'en').toUpperCase() },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator: (tzid) => vtimezone(tzid, Math.min(...years), Math.max(...years)) },
  });

  const common: Omit<ICalEventData, 'start'> = {
    id: seriesUid(series.id),
    sequence: series.sequence,
    stamp: input.stamp,
    timezone: zone,
    summary: series.title,
    ...(input.description ? { description: input.description.text } : {}),
    location: series.location ?? undefined,
    organizer: { name: paramText(input.organizer.name), email: input.organizer.email, sentBy: input.sentBy ?? undefined },
    attendees: input.attendees.map((attendee) => ({
      name: paramText(attendee.name),
      email: attendee.email,
      role: attendee.role === 'required' ? ICalAttendeeRole.REQ : ICalAttendeeRole.OPT,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: method === 'REQUEST',
    })),
  };

  // The rule's first occurrence as written, even a local time a clock change skips (RFC 5545
  // reads such a time with the offset before the gap, as Concord does).
  const lines = [`RRULE:${untilInUtc(series.rrule, zone)}`];
  if (method === 'REQUEST') {
    for (const meeting of cancelled) lines.push(`EXDATE;TZID=${zone}:${local(meeting.occurrenceStart, zone)}`);
  }
  calendar.createEvent({
    ...common,
    start: new WallClock(series.startsOn, firstStart.toJSDate()),
    end: firstStart.plus({ minutes: series.durationMinutes }).setZone(zone),
    repeating: lines.join('\n'),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  if (method === 'REQUEST') {
    for (const meeting of moved) {
      calendar.createEvent({
        ...common,
        recurrenceId: DateTime.fromJSDate(meeting.occurrenceStart, { zone }),
        start: DateTime.fromJSDate(meeting.startsAt, { zone }),
        end: DateTime.fromJSDate(meeting.endsAt, { zone }),
        status: ICalEventStatus.CONFIRMED,
      });
    }
  }
  return calendar.toString();
}

/** An instant as the local wall-clock time of a zone, iCalendar form: "20270105T100000". */
function local(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat(LOCAL_FORMAT);
}

/**
 * Concord reads a rule's UNTIL as a local time of the series' zone (the rule runs on wall-clock
 * times); RFC 5545 wants it in UTC when DTSTART has a TZID. Same instant, written as the RFC asks.
 */
export function untilInUtc(rule: string, zone: string): string {
  return rule.replace(/UNTIL=(\d{8})(?:T(\d{6}))?Z?/i, (_match, date: string, time: string | undefined) => {
    const until = DateTime.fromFormat(`${date}T${time ?? '000000'}`, LOCAL_FORMAT, { zone });
    return `UNTIL=${until.toUTC().toFormat(`${LOCAL_FORMAT}'Z'`)}`;
  });
}

/** A parameter value (CN) may not hold a double quote or a control character. */
function paramText(text: string): string {
  return text.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/**
 * A local wall-clock time that ical-generator writes as it is, beside the event's TZID, through
 * its luxon interface: unlike a luxon DateTime it never normalises a time a clock change skips.
 */
class WallClock implements ICalLuxonDateTimeStub {
  private readonly fields: DateTime;

  constructor(
    localTime: string,
    private readonly instant: Date,
  ) {
    this.fields = DateTime.fromISO(localTime, { zone: 'utc' });
  }

  get isValid(): boolean {
    return this.fields.isValid;
  }

  get zone(): { type: string } {
    return { type: 'iana' };
  }

  setZone(): ICalLuxonDateTimeStub {
    return this;
  }

  toFormat(format: string): string {
    return this.fields.toFormat(format);
  }

  toJSDate(): Date {
    return this.instant;
  }

  toJSON(): string {
    return this.instant.toISOString();
  }
}
