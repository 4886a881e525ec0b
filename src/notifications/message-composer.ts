import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type KnownRecipient, type Recipient, RecipientDirectory } from '../common/recipient.js';
import { I18nService } from '../i18n/i18n.service.js';
import { FALLBACK_LOCALE, type Locale } from '../i18n/locales.js';
import type { MessageValues } from '../i18n/translator.js';
import type { Notification, NotificationAttachment, NotificationKind } from './notification.entity.js';
import { TemplateRenderer } from './template-renderer.js';

export type { Recipient } from '../common/recipient.js';

/** What a message says, composed for its recipient. */
export interface ComposedMessage {
  subject: string;
  html: string;
  text: string;
  attachments?: NotificationAttachment[];
}

/** Composes one kind of message, or answers null when its fact no longer warrants it. */
export type Composer = (manager: EntityManager, notification: Notification, recipient: Recipient) => Promise<ComposedMessage | null>;

/**
 * Turns an outbox row into a message when it is first dispatched, from the current facts and the
 * templates. It knows no kind itself: each feature registers the composers of its own kinds
 * (tracking its alerts, reports the scheduled report, meetings minutes, invitations and action
 * reminders, web the sign-in link), and a composer answers null when its fact no longer warrants
 * the message (a breach withdrawn or explained before its alert leaves).
 */
@Injectable()
export class MessageComposer {
  private readonly composers = new Map<NotificationKind, Composer>();

  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly recipients: RecipientDirectory,
    @Optional() private readonly i18n?: I18nService,
  ) {}

  register(kind: NotificationKind, composer: Composer): void {
    this.composers.set(kind, composer);
  }

  async compose(manager: EntityManager, notification: Notification): Promise<ComposedMessage | null> {
    const composer = this.composers.get(notification.kind);
    if (!composer) throw new Error(`no composer for ${notification.kind} messages`);
    const person = notification.recipientId ? await this.recipients.find(manager, notification.recipientId) : null;
    const found: KnownRecipient = person ?? { name: notification.recipientEmail, email: notification.recipientEmail, timezone: 'UTC' };
    // Each recipient reads their own language: their choice, else the organisation's.
    const recipient: Recipient = { ...found, locale: found.locale ?? this.i18n?.defaultLocale ?? FALLBACK_LOCALE };
    return composer(manager, notification, recipient);
  }

  /**
   * Renders templates/emails/<name>.html and .text with one context; with a locale (the
   * recipient's), it sits at the context's root, where `{{t}}` and the date helpers read it.
   */
  renderPair(name: string, context: object, locale?: Locale | null): { html: string; text: string } {
    const rooted = locale ? { ...context, locale } : context;
    return { html: this.renderer.render(`emails/${name}.html`, rooted), text: this.renderer.render(`emails/${name}.text`, rooted) };
  }

  /** A message in the recipient's language, for a subject line: `composer.t(recipient, 'breaches.alertSubject', { … })`. */
  t(recipient: Recipient, key: string, values?: MessageValues): string {
    return this.renderer.translator.t(recipient.locale ?? FALLBACK_LOCALE, key, values);
  }
}
