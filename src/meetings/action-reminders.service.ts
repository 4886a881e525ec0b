import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, In } from 'typeorm';
import { DueWork } from '../common/due-work.js';
import type { Recipient } from '../common/recipient.js';
import { AppConfig } from '../config/app-config.js';
import { type ComposedMessage, MessageComposer } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import { OutboxService, type OutboxEntry } from '../notifications/outbox.service.js';
import { Person } from '../org/person.entity.js';
import { I18nService } from '../i18n/i18n.service.js';
import { direction } from '../i18n/locales.js';
import { localToday } from './domain/action-dates.js';
import { dayIn } from './meeting-helpers.js';
import { MeetingOutcome } from './meeting-records.entity.js';
import { MeetingSeries } from './meeting-series.entity.js';

/**
 * Action items between meetings: a reminder to the owner ACTION_REMINDER_DAYS before the due
 * date, and an overdue alert the day after it, each once per due date (a new date, a new
 * reminder). Days are the owner's own. Queued in every round of due work, after the reports.
 */
@Injectable()
export class ActionRemindersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly composer: MessageComposer,
    private readonly dueWork: DueWork,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('action-reminder', (m, n, r) => this.compose(m, n, r, false));
    this.composer.register('action-overdue', (m, n, r) => this.compose(m, n, r, true));
    this.dueWork.register({ name: 'action reminders', phase: 'reminders', counts: ['actionReminders'], run: async (now) => ({ actionReminders: await this.enqueueDue(now) }) });
  }

  async enqueueDue(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const open = await manager.find(MeetingOutcome, { where: { type: 'action', status: 'open' } });
      const owners = new Map(
        (await manager.find(Person, { where: { id: In([...new Set(open.map((a) => a.ownerId).filter((id): id is string => !!id)), '']) } })).map((p) => [p.id, p]),
      );
      const entries: OutboxEntry[] = [];
      for (const action of open) {
        const owner = action.ownerId ? owners.get(action.ownerId) : undefined;
        if (!owner || !action.dueOn) continue;
        const today = localToday(now, owner.timezone);
        const remindFrom = DateTime.fromISO(action.dueOn).minus({ days: this.config.ACTION_REMINDER_DAYS }).toISODate() as string;
        const kind = today > action.dueOn ? 'action-overdue' : today >= remindFrom ? 'action-reminder' : null;
        if (!kind) continue;
        entries.push({
          kind,
          dedupeKey: `${kind}:${action.id}:${action.dueOn}`,
          referenceId: action.id,
          recipientId: owner.id,
          recipientEmail: owner.email,
          payload: { dueOn: action.dueOn },
        });
      }
      await this.outbox.enqueue(manager, entries);
      return entries.length;
    });
  }

  private async compose(manager: EntityManager, notification: Notification, recipient: Recipient, overdue: boolean): Promise<ComposedMessage | null> {
    const action = await manager.findOne(MeetingOutcome, { where: { id: notification.referenceId as string } });
    const dueOn = (notification.payload as { dueOn: string }).dueOn;
    // Done, dropped, handed on or rescheduled since: nothing to remind.
    if (!action || action.status !== 'open' || action.dueOn !== dueOn || action.ownerId !== notification.recipientId) return null;
    const series = await manager.findOne(MeetingSeries, { where: { id: action.seriesId } });
    const t = (key: string, values?: Record<string, string>) => this.i18n.t(recipient.locale, key, values);
    const day = dayIn(recipient.locale, dueOn);
    const context = {
      locale: recipient.locale,
      dir: direction(recipient.locale),
      title: t(overdue ? 'meetings.action.titleOverdue' : 'meetings.action.titleDue'),
      recipient,
      overdue,
      text: action.text,
      dueOn,
      series: series?.title ?? '',
    };
    return {
      subject: t(overdue ? 'meetings.action.subjectOverdue' : 'meetings.action.subjectDue', { dueOn: day, text: action.text }),
      ...this.composer.renderPair('action-item', context),
    };
  }
}
