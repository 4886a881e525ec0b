import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isoLocalDate } from '../common/instant-format.js';
import { I18nService } from '../i18n/i18n.service.js';
import { MessageComposer, type Recipient } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import { FunnelReportService } from './funnel-report.service.js';
import type { ReportPayload } from './subscriptions.service.js';

/** The attribute the emailed funnel is grouped by: where leads came from. */
export const EMAILED_FUNNEL_BY = 'source';

/**
 * Composes the scheduled funnel report of a subscription ("every month on day 1 09:00" sends last
 * month's): the very HTML of GET /api/reports/funnel?by=source and its plain-text twin, for the
 * cohort that entered the funnel between two occurrences of the schedule, in the recipient's zone.
 * The funnel is the organisation's: both heads read the same figures.
 */
@Injectable()
export class FunnelReportMailer implements OnModuleInit {
  constructor(
    private readonly composer: MessageComposer,
    private readonly reports: FunnelReportService,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('funnel-report', (_manager, notification, recipient) => this.compose(notification, recipient));
  }

  private async compose(notification: Notification, recipient: Recipient) {
    const payload = notification.payload as unknown as ReportPayload;
    const model = await this.reports.build({ from: payload.from, to: payload.to, by: EMAILED_FUNNEL_BY });
    const day = (iso: string) => isoLocalDate(iso, recipient.timezone);
    // Each recipient reads it in their own language (one render per recipient); the figures are the same.
    const locale = recipient.locale;
    return {
      subject: this.i18n.t(locale, 'funnelReport.subject', { by: EMAILED_FUNNEL_BY, from: day(payload.from), to: day(payload.to) }),
      html: this.reports.render(model, 'html', recipient.timezone, locale),
      text: this.reports.render(model, 'text', recipient.timezone, locale),
    };
  }
}
