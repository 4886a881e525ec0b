import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isHeadOf } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../common/errors.js';
import { longLocalDate } from '../common/instant-format.js';
import { formatDate } from '../i18n/formats.js';
import { direction, FALLBACK_LOCALE, type Locale } from '../i18n/locales.js';
import { newId } from '../common/ids.js';
import { MessageComposer, type Recipient } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { Person } from '../org/person.entity.js';
import { MeetingParticipant } from './meeting-participant.entity.js';
import { MeetingRoomService } from './meeting-room.service.js';
import type { MeetingView } from './meeting-room.dto.js';
import { MinutesRevision } from './meeting-records.entity.js';
import { MeetingSeries } from './meeting-series.entity.js';
import { mayKeepRecord } from './domain/meeting-roles.js';
import { Meeting } from './meeting.entity.js';
import { buildMinutes, type MinutesModel } from './minutes.model.js';
import { registerMeetingHelpers } from './meeting-helpers.js';
import { isHeading, minutesPdf } from './minutes-pdf.js';

export type MinutesFormat = 'html' | 'text' | 'pdf';

/** The section headings of the plain-text minutes (and so of the PDF), by catalogue key. */
const TEXT_HEADINGS = [
  'meetings.minutesText.withoutQuorum',
  'meetings.minutesText.attendance',
  'meetings.minutesText.reviewedHeading',
  'meetings.minutesText.agenda',
  'meetings.minutesText.otherNotes',
  'meetings.minutesText.decisions',
  'meetings.minutesText.actions',
  'meetings.minutesText.nextMeeting',
];

/** Who reads a rendering of the minutes: their zone and language, and (in their email) their own actions. */
interface MinutesReader {
  zone: string;
  locale: Locale;
  recipient: Recipient | null;
  yourActions: MinutesModel['actions'] | null;
}

/**
 * Minutes: a draft while the meeting runs; `final` freezes them as a revision; the heads of the
 * series' departments approve (sign off); approved minutes are emailed to participants and
 * informed-only people, each with their own actions. A correction opens a new revision and the
 * old one stays readable.
 */
@Injectable()
export class MinutesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly room: MeetingRoomService,
    private readonly renderer: TemplateRenderer,
    private readonly composer: MessageComposer,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.renderer.addHelpers(registerMeetingHelpers);
    this.composer.register('minutes', (manager, notification, recipient) => this.composeEmail(manager, notification, recipient));
  }

  async finalize(actor: Actor, id: string): Promise<MeetingView> {
    return this.dataSource.transaction(async (manager) => {
      const { meeting, series } = await this.load(manager, id);
      if (!mayKeepRecord(actor, series)) {
        throw new ForbiddenError('only the chair, the minute-taker or an organiser may finalize the minutes');
      }
      if (meeting.minutesStatus !== 'draft') throw new ConflictError(`the minutes are ${meeting.minutesStatus}; only draft minutes are finalized`);
      if (meeting.status !== 'held') throw new ConflictError('record the attendance first: minutes are of a meeting that was held');
      const revision = manager.create(MinutesRevision, {
        id: newId(),
        meetingId: id,
        revision: meeting.minutesRevision,
        status: 'final',
        snapshot: null,
        approvals: [],
        finalizedAt: this.clock.now(),
        approvedAt: null,
      });
      meeting.minutesStatus = 'final';
      await manager.save(Meeting, meeting);
      revision.snapshot = await this.model(manager, series, meeting, revision);
      await manager.insert(MinutesRevision, revision);
      await this.audit.record(manager, actor, 'finalize', 'meeting', id, null, { revision: revision.revision });
      return this.room.view(manager, id);
    });
  }

  /** A head signs off for their department; with every department signed, the minutes are approved and sent. */
  async approve(actor: Actor, id: string): Promise<MeetingView> {
    return this.dataSource.transaction(async (manager) => {
      const { meeting, series } = await this.load(manager, id);
      const department = series.departmentIds.find((d) => isHeadOf(actor, d));
      if (!department) throw new ForbiddenError('only the heads of the departments of the series approve its minutes');
      if (meeting.minutesStatus !== 'final') throw new ConflictError(`the minutes are ${meeting.minutesStatus}; only final minutes are approved`);
      const revision = await manager.findOneOrFail(MinutesRevision, { where: { meetingId: id, revision: meeting.minutesRevision } });
      if (revision.approvals.some((a) => a.departmentId === department)) throw new ConflictError('your department has already approved these minutes');
      revision.approvals = [...revision.approvals, { personId: actor.personId, departmentId: department, at: this.clock.now().toISOString() }];
      const complete = series.departmentIds.every((d) => revision.approvals.some((a) => a.departmentId === d));
      if (complete) {
        revision.status = 'approved';
        revision.approvedAt = this.clock.now();
        meeting.minutesStatus = 'approved';
        await manager.save(Meeting, meeting);
      }
      revision.snapshot = await this.model(manager, series, meeting, revision);
      await manager.save(MinutesRevision, revision);
      if (complete) await this.sendMinutes(manager, series, meeting, revision);
      await this.audit.record(manager, actor, 'approve', 'meeting', id, null, { revision: revision.revision, department });
      return this.room.view(manager, id);
    });
  }

  /** Opens a new revision of final or approved minutes; the earlier revision stays readable. */
  async correct(actor: Actor, id: string): Promise<MeetingView> {
    return this.dataSource.transaction(async (manager) => {
      const { meeting, series } = await this.load(manager, id);
      if (!mayKeepRecord(actor, series)) {
        throw new ForbiddenError('only the chair, the minute-taker or an organiser may correct the minutes');
      }
      if (meeting.minutesStatus !== 'final' && meeting.minutesStatus !== 'approved') throw new ConflictError('only final or approved minutes are corrected');
      meeting.minutesStatus = 'draft';
      meeting.minutesRevision += 1;
      await manager.save(Meeting, meeting);
      await this.audit.record(manager, actor, 'update', 'meeting', id, null, { correction: meeting.minutesRevision });
      return this.room.view(manager, id);
    });
  }

  /**
   * The minutes as HTML, text or PDF: a stored revision, or the live draft, with every time in
   * the reader's zone (the series' own when nobody in particular reads them), in `locale` (the
   * reader's page language; English for the API). What people typed stays as typed.
   */
  async render(id: string, format: MinutesFormat, revisionNumber?: number, readerId?: string, locale: Locale = FALLBACK_LOCALE): Promise<Buffer | string> {
    const manager = this.dataSource.manager;
    const { meeting, series } = await this.load(manager, id);
    const reader = readerId ? await manager.findOne(Person, { where: { id: readerId } }) : null;
    const zone = reader?.timezone ?? series.timezone;
    let model: MinutesModel;
    if (revisionNumber !== undefined) {
      const revision = await manager.findOne(MinutesRevision, { where: { meetingId: id, revision: revisionNumber } });
      if (!revision) throw new NotFoundError('minutes revision', String(revisionNumber), 'revision');
      model = revision.snapshot as unknown as MinutesModel;
    } else {
      const frozen = meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved'
        ? await manager.findOne(MinutesRevision, { where: { meetingId: id, revision: meeting.minutesRevision } })
        : null;
      model = (frozen?.snapshot as unknown as MinutesModel | undefined) ?? (await this.model(manager, series, meeting, null));
    }
    const read: MinutesReader = { zone, locale, recipient: null, yourActions: null };
    return format === 'pdf' ? this.pdfOf(model, read) : this.renderer.render(`minutes/minutes.${format}`, this.contextOf(model, read));
  }

  /** One stored record in one reader's language, zone and direction: what every rendering of the minutes is given. */
  private contextOf(minutes: MinutesModel, reader: MinutesReader) {
    return { minutes, yourActions: reader.yourActions, recipient: reader.recipient, zone: reader.zone, locale: reader.locale, dir: direction(reader.locale) };
  }

  /**
   * The plain-text minutes set as a PDF in the reader's language and direction. Its headings are
   * the translated heading lines (Arabic has no capitals to tell them by), the reader's own
   * "YOUR ACTIONS" line among them.
   */
  private pdfOf(minutes: MinutesModel, reader: MinutesReader): Promise<Buffer> {
    const t = (key: string, values?: Record<string, string>) => this.renderer.translator.t(reader.locale, key, values);
    const headings = new Set(TEXT_HEADINGS.map((key) => t(key).trim()));
    if (reader.recipient && reader.yourActions) headings.add(t('meetings.minutesText.yourActions', { name: reader.recipient.name }).trim());
    const text = this.renderer.render('minutes/minutes.text', this.contextOf(minutes, reader));
    return minutesPdf(text, { locale: reader.locale, direction: direction(reader.locale), headings: (line) => headings.has(line.trim()) || isHeading(line) });
  }

  private async sendMinutes(manager: EntityManager, series: MeetingSeries, meeting: Meeting, revision: MinutesRevision): Promise<void> {
    const participants = await manager.find(MeetingParticipant, { where: { seriesId: series.id } });
    const people = await manager.find(Person, { where: { id: In([...participants.map((p) => p.personId), '']) } });
    await this.outbox.enqueue(
      manager,
      people.map((person) => ({
        kind: 'minutes' as const,
        dedupeKey: `minutes:${meeting.id}:${revision.revision}:${person.id}`,
        referenceId: meeting.id,
        recipientId: person.id,
        recipientEmail: person.email,
        payload: { revision: revision.revision },
      })),
    );
  }

  /**
   * The minutes email of one recipient: the one stored record, written in their language, their
   * zone and their direction, HTML, text and the PDF alike, with their own actions first.
   */
  private async composeEmail(manager: EntityManager, notification: Notification, recipient: Recipient) {
    const revision = await manager.findOne(MinutesRevision, {
      where: { meetingId: notification.referenceId as string, revision: (notification.payload as { revision: number }).revision },
    });
    if (!revision) return null;
    const minutes = revision.snapshot as unknown as MinutesModel;
    const yourActions = minutes.actions.filter((action) => action.owner?.id === notification.recipientId);
    const locale = recipient.locale;
    const reader: MinutesReader = { zone: recipient.timezone, locale, recipient, yourActions: yourActions.length > 0 ? yourActions : null };
    const context = this.contextOf(minutes, reader);
    const date = locale === FALLBACK_LOCALE ? longLocalDate(minutes.meeting.startsAt, recipient.timezone) : formatDate(minutes.meeting.startsAt, recipient.timezone, locale, 'long');
    const title = minutes.series.title;
    const t = this.renderer.translator;
    const pdf = await this.pdfOf(minutes, reader);
    return {
      subject: yourActions.length ? t.t(locale, 'meetings.minutes.subjectWithActions', { title, date, count: yourActions.length }) : t.t(locale, 'meetings.minutes.subject', { title, date }),
      html: this.renderer.render('minutes/minutes.html', context),
      text: this.renderer.render('minutes/minutes.text', context),
      attachments: [{ filename: `minutes-${minutes.meeting.startsAt.slice(0, 10)}.pdf`, contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' as const }],
    };
  }

  private model(manager: EntityManager, series: MeetingSeries, meeting: Meeting, revision: MinutesRevision | null): Promise<MinutesModel> {
    return buildMinutes(manager, series, meeting, (outcomes) => this.room.outcomeViews(manager, outcomes), revision);
  }

  private async load(manager: EntityManager, id: string): Promise<{ meeting: Meeting; series: MeetingSeries }> {
    const meeting = await manager.findOne(Meeting, { where: { id } });
    if (!meeting) throw new NotFoundError('meeting', id);
    return { meeting, series: await manager.findOneOrFail(MeetingSeries, { where: { id: meeting.seriesId } }) };
  }
}
