import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import rrule from 'rrule';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { I18nService } from '../../i18n/i18n.service.js';
import { direction, FALLBACK_LOCALE, type Locale } from '../../i18n/locales.js';
import { type ComposedMessage, MessageComposer, type Recipient } from '../../notifications/message-composer.js';
import { Notification, type NotificationKind } from '../../notifications/notification.entity.js';
import { type OutboxEntry, OutboxService } from '../../notifications/outbox.service.js';
import type { MeetingSeries } from '../meeting-series.entity.js';
import { attendeeOf, MeetingCalendarService, type SeriesState } from './meeting-calendar.service.js';

const { RRule } = rrule;

const KINDS: NotificationKind[] = ['invitation', 'cancellation'];
const LISTED = 5;

/** What an invitation or cancellation row carries: the SEQUENCE it was written for, and why. */
interface InvitationPayload {
  sequence: number;
  /** cancellation: the whole series is off, or this person no longer invited. */
  reason?: 'series-cancelled' | 'removed';
}

/**
 * Invitations to a meeting series, through the outbox. Every change that raises the series'
 * SEQUENCE (planned, changed, an occurrence cancelled or moved, cancelled) calls `seriesChanged`
 * inside its transaction: each required and optional participant gets the series as iCalendar
 * (METHOD:REQUEST, same UID, the new SEQUENCE), so calendars update rather than duplicate; when the
 * series is cancelled they get METHOD:CANCEL, and so does anyone who held an invitation and is no
 * longer invited (removed, or now informed only). Messages are composed when dispatched from the
 * series as it then is; one that a later message for the same person supersedes is not sent, nor
 * is a cancellation to someone whose invitation never left.
 */
@Injectable()
export class MeetingInvitations implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly composer: MessageComposer,
    private readonly calendars: MeetingCalendarService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('invitation', (manager, notification, recipient) => this.compose(manager, notification, recipient));
    this.composer.register('cancellation', (manager, notification, recipient) => this.compose(manager, notification, recipient));
  }

  /** Queues this version of the series for everyone whose calendar must hear of it. */
  async seriesChanged(manager: EntityManager, series: MeetingSeries): Promise<void> {
    const invitees = await this.calendars.invitees(manager, series.id);
    const holders = await this.holders(manager, series.id);
    const entry = (kind: NotificationKind, personId: string, email: string, payload: InvitationPayload): OutboxEntry => ({
      kind,
      dedupeKey: `${kind}:${series.id}:${series.sequence}:${personId}`,
      referenceId: series.id,
      recipientId: personId,
      recipientEmail: email,
      payload: { ...payload },
    });
    const entries = invitees.map(({ person }) =>
      series.status === 'cancelled'
        ? entry('cancellation', person.id, person.email, { sequence: series.sequence, reason: 'series-cancelled' })
        : entry('invitation', person.id, person.email, { sequence: series.sequence }),
    );
    const invited = new Set(invitees.map(({ person }) => person.id));
    for (const [personId, email] of holders) {
      if (!invited.has(personId)) entries.push(entry('cancellation', personId, email, { sequence: series.sequence, reason: 'removed' }));
    }
    await this.outbox.enqueue(manager, entries);
  }

  /** People whose latest message about the series invited them: their calendars hold it. */
  private async holders(manager: EntityManager, seriesId: string): Promise<Map<string, string>> {
    const sent = await manager.find(Notification, {
      select: { recipientId: true, recipientEmail: true, kind: true, payload: true },
      where: { referenceId: seriesId, kind: In(KINDS) },
    });
    const latest = new Map<string, Notification>();
    for (const message of sent) {
      const known = message.recipientId ? latest.get(message.recipientId) : undefined;
      if (message.recipientId && (!known || sequenceOf(message) > sequenceOf(known))) latest.set(message.recipientId, message);
    }
    return new Map([...latest].filter(([, message]) => message.kind === 'invitation').map(([personId, message]) => [personId, message.recipientEmail]));
  }

  private async compose(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const state = await this.calendars.load(manager, notification.referenceId as string);
    if (!state) return null;
    const others = await manager.find(Notification, {
      select: { id: true, kind: true, status: true, subject: true, payload: true },
      where: { referenceId: state.series.id, recipientId: notification.recipientId as string, kind: In(KINDS) },
    });
    // A later invitation or cancellation to the same person replaces this one.
    if (others.some((other) => other.id !== notification.id && sequenceOf(other) > sequenceOf(notification))) return null;
    // Invited already: an invitation left, or is leaving (composed, so not superseded).
    const invited = others.some((other) => other.kind === 'invitation' && (other.status === 'sent' || (other.status === 'sending' && other.subject !== null)));
    const invitee = state.invitees.find(({ person }) => person.id === notification.recipientId);
    const title = state.series.title;
    const t = (key: string) => this.i18n.t(recipient.locale, key, { title });
    if (notification.kind === 'invitation') {
      if (state.series.status === 'cancelled' || !invitee) return null;
      return this.message(state, recipient, t(invited ? 'meetings.invitation.subjectUpdated' : 'meetings.invitation.subject'), 'REQUEST', { updated: invited, role: invitee.role });
    }
    // Nothing to take out of a calendar that never got the series.
    if (!invited) return null;
    const removed = (notification.payload as unknown as InvitationPayload).reason === 'removed';
    if (!removed && state.series.status !== 'cancelled') return null;
    return this.message(state, recipient, t(removed ? 'meetings.invitation.subjectRemoved' : 'meetings.invitation.subjectCancelled'), 'CANCEL', { cancelled: !removed, removed });
  }

  /** "every month, 10:00 Europe/Paris, 60 min" in the reader's language (rrule's own text is English only). */
  private describeIn(locale: Locale, series: MeetingSeries): string {
    return this.i18n.t(locale, 'meetings.invitation.schedule', {
      frequency: this.i18n.t(locale, 'meetings.invitation.frequency', frequencyOf(series.rrule)),
      time: series.startsOn.slice(11),
      zone: series.timezone,
      duration: this.i18n.duration(locale, series.durationMinutes * 60, { style: 'long' }),
    });
  }

  private message(
    state: SeriesState,
    recipient: Recipient,
    heading: string,
    method: 'REQUEST' | 'CANCEL',
    flags: { updated?: boolean; cancelled?: boolean; removed?: boolean; role?: string },
  ): ComposedMessage {
    const { series } = state;
    const now = this.clock.now().getTime();
    // Removed from the series: the CANCEL names only them, so the others' invitations stand.
    const attendees = flags.removed ? [{ name: recipient.name, email: recipient.email, role: 'required' as const }] : state.invitees.map(attendeeOf);
    const calledOff = state.meetings
      .filter((meeting) => meeting.status === 'cancelled' && meeting.occurrenceStart.getTime() >= now)
      .slice(0, LISTED)
      .map((meeting) => meeting.occurrenceStart.toISOString());
    const context = {
      locale: recipient.locale,
      dir: direction(recipient.locale),
      title: heading,
      recipient,
      seriesTitle: series.title,
      organizer: state.organizer?.name ?? 'Concord',
      role: flags.role ?? null,
      updated: flags.updated ?? false,
      cancelled: flags.cancelled ?? false,
      removed: flags.removed ?? false,
      schedule: recipient.locale === FALLBACK_LOCALE ? describeRule(series) : this.describeIn(recipient.locale, series),
      seriesZone: series.timezone,
      location: series.location,
      upcoming: state.meetings
        .filter((meeting) => meeting.status === 'scheduled' && meeting.startsAt.getTime() >= now)
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
        .slice(0, LISTED)
        .map((meeting) => ({ startsAt: meeting.startsAt.toISOString(), moved: meeting.startsAt.getTime() !== meeting.occurrenceStart.getTime() })),
      calledOff,
      hasCalledOff: calledOff.length > 0,
      calendarUrl: `${this.config.publicUrl}/api/meeting-series/${series.id}/calendar.ics`,
    };
    return {
      subject: heading,
      ...this.composer.renderPair('invitation', context),
      attachments: [
        {
          filename: method === 'REQUEST' ? 'invite.ics' : 'cancel.ics',
          contentType: `text/calendar; method=${method}; charset=utf-8`,
          content: this.calendars.render(state, method, attendees, recipient.locale),
        },
      ],
    };
  }
}

function sequenceOf(notification: Pick<Notification, 'payload'>): number {
  return Number((notification.payload as Partial<InvitationPayload> | null)?.sequence ?? -1);
}

/** The frequency and interval of a rule, for the catalogue's `meetings.invitation.frequency` ("every two weeks"). */
export function frequencyOf(rule: string): { freq: string; interval: number } {
  const parts = new Map(rule.split(';').map((part) => part.split('=') as [string, string]));
  const interval = Number(parts.get('INTERVAL') ?? 1);
  return { freq: (parts.get('FREQ') ?? 'other').toLowerCase(), interval: Number.isInteger(interval) && interval > 0 ? interval : 1 };
}

/** "every month on the 1st Tuesday for 4 times, 10:00 Europe/Paris, 60 min". */
function describeRule(series: MeetingSeries): string {
  let rule = series.rrule;
  try {
    rule = RRule.fromString(`RRULE:${series.rrule}`).toText();
  } catch {
    // The rule as written is still a description.
  }
  return `${rule}, ${series.startsOn.slice(11)} ${series.timezone}, ${series.durationMinutes} min`;
}
