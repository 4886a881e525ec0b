import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { hashTokenSecret } from '../auth/token-secret.js';
import { TokensService } from '../auth/tokens.service.js';
import { SignInLink, WebSession } from '../auth/web-session.entity.js';
import { Clock } from '../common/clock.js';
import { UnauthenticatedError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { I18nService } from '../i18n/i18n.service.js';
import { MessageComposer, type Recipient } from '../notifications/message-composer.js';
import type { Notification } from '../notifications/notification.entity.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { Person } from '../org/person.entity.js';

/** How long a browser stays signed in, and how long an emailed link may be used. */
export const SESSION_DAYS = 14;
export const SIGN_IN_LINK_MINUTES = 15;
/** Unused, unexpired links a person may have at once; asking again sends nothing more. */
export const MAX_LIVE_LINKS = 3;
/** Link requests waiting to be served; past this many (a flood from many addresses), more are dropped. */
export const MAX_WAITING_LINK_REQUESTS = 1000;

export interface SignedIn {
  actor: Actor;
  csrfToken: string;
  person: { id: string; name: string; email: string; timezone: string; locale: string | null };
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Browser sign-in: with an API token pasted once, or with a single-use link sent by email through
 * the outbox. Either way the browser gets a session secret in an http-only cookie; the database
 * keeps only its hash. Sessions act with the full rights of the person's role.
 */
@Injectable()
export class SessionsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('SignIn');
  /** The link requests not yet served, one after the other. */
  private linkRequests: Promise<void> = Promise.resolve();
  private waitingLinkRequests = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly outbox: OutboxService,
    private readonly composer: MessageComposer,
    private readonly renderer: TemplateRenderer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('sign-in-link', (manager, notification, recipient) => this.composeLink(manager, notification, recipient));
  }

  /** A session for the holder of a full API token; the session secret for the cookie. */
  async signInWithToken(token: string): Promise<string> {
    const actor = await this.tokens.authenticate(token.trim());
    if (actor.scope !== 'full') throw new UnauthenticatedError('this token is limited to integrations and cannot sign in to the pages');
    return this.dataSource.transaction((manager) => this.open(manager, actor.personId, actor.tokenId));
  }

  /**
   * Queues a sign-in link for an address and returns at once: the form is answered before the
   * address is even looked up, so a known and an unknown address get the same answer in the same
   * time, and the form does not tell who works here. Requests are served one at a time.
   */
  requestLink(email: string): void {
    if (this.waitingLinkRequests >= MAX_WAITING_LINK_REQUESTS) {
      this.logger.warn(`a sign-in link request was dropped: ${MAX_WAITING_LINK_REQUESTS} are already waiting`);
      return;
    }
    this.waitingLinkRequests += 1;
    this.linkRequests = this.linkRequests
      .then(() => this.sendLink(email))
      .catch((error: unknown) => this.logger.error(`a sign-in link could not be prepared: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.waitingLinkRequests -= 1;
      });
  }

  /** Resolves once every link requested so far has been written to the outbox (or dropped). */
  linkRequestsServed(): Promise<void> {
    return this.linkRequests;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.linkRequests;
  }

  /** Writes a sign-in link for a known, active address to the outbox; unknown addresses get nothing. */
  async sendLink(email: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.dataSource.transaction(async (manager) => {
      const person = await manager.createQueryBuilder(Person, 'p').where('LOWER(p.email) = :address', { address }).getOne();
      if (!person || person.deactivatedAt) return;
      const now = this.clock.now();
      // Someone who keeps pressing the button (or a script) gets no more than a few live links.
      const live = await manager.count(SignInLink, { where: { personId: person.id, usedAt: IsNull(), expiresAt: MoreThan(now) } });
      if (live >= MAX_LIVE_LINKS) return;
      const secret = newSecret();
      const link = manager.create(SignInLink, {
        id: newId(),
        secretHash: hashTokenSecret(secret),
        personId: person.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000),
        usedAt: null,
      });
      await manager.insert(SignInLink, link);
      await this.outbox.enqueue(manager, [
        {
          kind: 'sign-in-link',
          dedupeKey: `sign-in-link:${link.id}`,
          referenceId: link.id,
          recipientId: person.id,
          recipientEmail: person.email,
          payload: { url: `${this.config.publicUrl}/sign-in/link?token=${secret}`, expiresAt: link.expiresAt.toISOString() },
        },
      ]);
    });
  }

  /** The person a link would sign in, without using it (the confirmation page). */
  async peekLink(secret: string): Promise<{ name: string; email: string }> {
    const link = await this.usableLink(this.dataSource.manager, secret);
    const person = await this.dataSource.manager.findOneOrFail(Person, { where: { id: link.personId } });
    return { name: person.name, email: person.email };
  }

  /** Uses a link once and opens a session; a second use, or a late one, is refused. */
  async signInWithLink(secret: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const link = await this.usableLink(manager, secret);
      const person = await manager.findOneOrFail(Person, { where: { id: link.personId } });
      if (person.deactivatedAt) throw new UnauthenticatedError('this person no longer has access to Concord');
      const now = this.clock.now();
      const claimed = await manager.update(SignInLink, { id: link.id, usedAt: IsNull() }, { usedAt: now });
      if (!claimed.affected) throw new UnauthenticatedError('this sign-in link has already been used; ask for a new one').withMessageKey('signIn.linkUsed');
      return this.open(manager, link.personId);
    });
  }

  /** Who a session cookie belongs to, or null when it is unknown, ended or expired. */
  async authenticate(secret: string | undefined): Promise<SignedIn | null> {
    if (!secret) return null;
    const session = await this.dataSource.manager.findOne(WebSession, {
      where: { secretHash: hashTokenSecret(secret) },
      relations: { person: true, token: true },
    });
    if (!session || !session.person || session.endedAt || session.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    if (session.token?.revokedAt || session.person.deactivatedAt) return null;
    const person = session.person;
    return {
      actor: { personId: person.id, email: person.email, role: person.role, departmentId: person.departmentId, tokenId: `session:${session.id}`, scope: 'full' },
      csrfToken: session.csrfToken,
      person: { id: person.id, name: person.name, email: person.email, timezone: person.timezone, locale: person.locale ?? null },
    };
  }

  async signOut(secret: string | undefined): Promise<void> {
    if (!secret) return;
    await this.dataSource.manager.update(WebSession, { secretHash: hashTokenSecret(secret), endedAt: IsNull() }, { endedAt: this.clock.now() });
  }

  private async open(manager: EntityManager, personId: string, tokenId: string | null = null): Promise<string> {
    const secret = newSecret();
    const now = this.clock.now();
    await manager.insert(WebSession, {
      id: newId(),
      secretHash: hashTokenSecret(secret),
      personId,
      tokenId,
      csrfToken: newSecret(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
      endedAt: null,
    });
    return secret;
  }

  private async usableLink(manager: EntityManager, secret: string): Promise<SignInLink> {
    const link = await manager.findOne(SignInLink, { where: { secretHash: hashTokenSecret(secret) } });
    if (!link) throw new UnauthenticatedError('this sign-in link is not valid; ask for a new one').withMessageKey('signIn.linkInvalid');
    if (link.usedAt) throw new UnauthenticatedError('this sign-in link has already been used; ask for a new one').withMessageKey('signIn.linkUsed');
    if (link.expiresAt.getTime() <= this.clock.now().getTime()) throw new UnauthenticatedError('this sign-in link has expired; ask for a new one').withMessageKey('signIn.linkExpired');
    return link;
  }

  private async composeLink(manager: EntityManager, notification: Notification, recipient: Recipient) {
    const link = await manager.findOne(SignInLink, { where: { id: notification.referenceId as string } });
    // A link used, or expired before the outbox got to it, is not worth an email.
    if (!link || link.usedAt || link.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    const payload = notification.payload as { url: string; expiresAt: string };
    // One render per recipient, in their language: `locale` at the root is what {{t}} and the date helpers read.
    const locale = recipient.locale;
    const context = { locale, title: this.i18n.t(locale, 'signInEmail.title'), recipient, url: payload.url, expiresAt: payload.expiresAt, minutes: SIGN_IN_LINK_MINUTES };
    return {
      subject: this.i18n.t(locale, 'signInEmail.subject'),
      html: this.renderer.render('emails/sign-in-link.html', context),
      text: this.renderer.render('emails/sign-in-link.text', context),
    };
  }
}
