import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isoLocalDate } from '../common/instant-format.js';
import { MeetingOutcome } from '../meetings/meeting-records.entity.js';
import { MessageComposer, type Recipient } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { ReportPayload } from './subscriptions.service.js';
import { BreachReportService } from './breach-report.service.js';
import { ReportWords } from './breach-report.view.js';
import { I18nService } from '../i18n/i18n.service.js';

/**
 * Composes the scheduled breach report of a subscription: the very HTML of
 * GET /api/reports/breaches and its plain-text twin, for the period between two occurrences of
 * the schedule, in the recipient's time zone. A subscription naming several departments gets
 * their reports one after the other in one email.
 */
@Injectable()
export class BreachReportMailer implements OnModuleInit {
  constructor(
    private readonly composer: MessageComposer,
    private readonly reports: BreachReportService,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('breach-report', (manager, notification, recipient) => this.compose(manager, notification, recipient));
  }

  private async compose(manager: EntityManager, notification: Notification, recipient: Recipient) {
    const payload = notification.payload as unknown as ReportPayload;
    // The owner's action items from the joint meetings are listed in their report.
    const today = isoLocalDate(payload.to, recipient.timezone);
    const actions = notification.recipientId
      ? (await manager.find(MeetingOutcome, { where: { type: 'action', status: 'open', ownerId: notification.recipientId }, order: { dueOn: 'ASC' } })).map((action) => ({
          text: action.text,
          dueOn: action.dueOn,
          overdue: action.dueOn !== null && action.dueOn < today,
        }))
      : [];
    const departments = payload.departmentIds.length > 0 ? payload.departmentIds : [undefined];
    const parts: { html: string; text: string }[] = [];
    for (const departmentId of departments) {
      const model = await this.reports.build({ from: payload.from, to: payload.to, departmentId, timezone: recipient.timezone });
      const mine: typeof actions | null = parts.length === 0 ? actions : null;
      parts.push({ html: this.reports.render(model, 'html', mine, recipient.locale), text: this.reports.render(model, 'text', mine, recipient.locale) });
    }
    const words = new ReportWords(recipient.locale, this.i18n.translator);
    const day = (iso: string) => words.day(iso, recipient.timezone);
    return {
      subject: words.t('subject', { from: day(payload.from), to: day(payload.to) }),
      html: parts.map((part) => part.html).join('\n<hr>\n'),
      text: parts.map((part) => part.text).join('\n\n'),
    };
  }
}
