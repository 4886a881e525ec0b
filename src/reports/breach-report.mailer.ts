import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { MessageComposer, type Recipient } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { ReportPayload } from '../notifications/subscriptions.service.js';
import { BreachReportService } from './breach-report.service.js';

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
  ) {}

  onModuleInit(): void {
    this.composer.register('breach-report', (_manager, notification, recipient) => this.compose(notification, recipient));
  }

  private async compose(notification: Notification, recipient: Recipient) {
    const payload = notification.payload as unknown as ReportPayload;
    const departments = payload.departmentIds.length > 0 ? payload.departmentIds : [undefined];
    const parts = [];
    for (const departmentId of departments) {
      const model = await this.reports.build({ from: payload.from, to: payload.to, departmentId, timezone: recipient.timezone });
      parts.push({ html: this.reports.render(model, 'html'), text: this.reports.render(model, 'text') });
    }
    const day = (iso: string) => DateTime.fromISO(iso).setZone(recipient.timezone).toISODate();
    return {
      subject: `Breach report ${day(payload.from)} – ${day(payload.to)}`,
      html: parts.map((part) => part.html).join('\n<hr>\n'),
      text: parts.map((part) => part.text).join('\n\n'),
    };
  }
}
