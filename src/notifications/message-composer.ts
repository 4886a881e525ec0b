import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Recipient, RecipientDirectory } from '../common/recipient.js';
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
  ) {}

  register(kind: NotificationKind, composer: Composer): void {
    this.composers.set(kind, composer);
  }

  async compose(manager: EntityManager, notification: Notification): Promise<ComposedMessage | null> {
    const composer = this.composers.get(notification.kind);
    if (!composer) throw new Error(`no composer for ${notification.kind} messages`);
    const person = notification.recipientId ? await this.recipients.find(manager, notification.recipientId) : null;
    const recipient: Recipient = person ?? { name: notification.recipientEmail, email: notification.recipientEmail, timezone: 'UTC', locale: this.recipients.defaultLocale };
    return composer(manager, notification, recipient);
  }

  /** Renders templates/emails/<name>.html and .text with one context. */
  renderPair(name: string, context: object): { html: string; text: string } {
    return { html: this.renderer.render(`emails/${name}.html`, context), text: this.renderer.render(`emails/${name}.text`, context) };
  }
}
