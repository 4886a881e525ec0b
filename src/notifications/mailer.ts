import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import type { NotificationAttachment } from './notification.entity.js';

/** Messages one pooled connection carries before it is closed and replaced (servers cap a session). */
const MESSAGES_PER_CONNECTION = 500;
/** A pooled connection unused this long is closed. */
const IDLE_MS = 1000;

/** A composed message, ready for any transport. */
export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: NotificationAttachment[];
}

/**
 * The one thin mailer. With SMTP_URL it sends through nodemailer's pooled SMTP transport
 * (SMTP_MAX_CONNECTIONS connections, each reused for many messages); without, it
 * writes each message as an .eml file under OUTBOX_DIR, so a fresh `npm start` does the whole job
 * and a person can open what would have been sent. Message-IDs derive from the outbox row, so a
 * message retried after an uncertain failure is recognisably the same message.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: AppConfig) {
    this.toFiles = !config.SMTP_URL;
    this.transport = config.SMTP_URL
      ? nodemailer.createTransport({
          url: config.SMTP_URL,
          // Connections kept open and reused: one new connection (greeting, EHLO, AUTH) per
          // message held a single sender near ten messages a second.
          pool: true,
          maxConnections: config.SMTP_MAX_CONNECTIONS,
          maxMessages: MESSAGES_PER_CONNECTION,
          // Closed once a pass is over rather than held open until the next one (5 s later, or
          // much later): a server's sessions are not kept busy, nor its restart held up, by idle ones.
          idleTimeout: IDLE_MS,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        } as object)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  describe(): string {
    return this.toFiles ? `.eml files in ${this.config.OUTBOX_DIR}` : `SMTP at ${new URL(this.config.SMTP_URL as string).host}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const host = this.toFiles ? 'concord.local' : new URL(this.config.SMTP_URL as string).hostname;
    const calendar = mail.attachments?.find((attachment) => attachment.contentType.startsWith('text/calendar'));
    const others = (mail.attachments ?? []).filter((attachment) => attachment !== calendar);
    const info = await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: `<${mail.id}@${host}>`,
      // A calendar invitation travels as the message's text/calendar alternative, which is what
      // makes Outlook and Gmail offer to accept it; other attachments are plain attachments.
      icalEvent: calendar ? { filename: calendar.filename, method: /method=([A-Z]+)/i.exec(calendar.contentType)?.[1] ?? 'PUBLISH', content: calendar.content } : undefined,
      attachments: others.map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: attachment.content,
        ...(attachment.encoding ? { encoding: attachment.encoding } : {}),
      })),
    });
    if (this.toFiles) await this.writeEml(mail.id, (info as { message: Buffer }).message);
  }

  /** Written to a temporary name and renamed: a reader never sees half a message. */
  private async writeEml(id: string, message: Buffer): Promise<void> {
    await mkdir(this.config.OUTBOX_DIR, { recursive: true });
    const file = join(this.config.OUTBOX_DIR, `${id}.eml`);
    await writeFile(`${file}.tmp`, message);
    await rename(`${file}.tmp`, file);
  }

  onModuleDestroy(): void {
    this.transport.close();
    this.logger.debug('transport closed');
  }
}
