import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthLimits, TooManyRequestsError } from '../auth/auth-limits.js';
import { AppConfig } from '../config/app-config.js';
import { I18nService } from '../i18n/i18n.service.js';
import { STATUS_OF } from '../common/error-status.js';
import { DomainError, type FieldErrors } from '../common/errors.js';
import { text } from './forms.js';
import { safeNext } from './page-exception.filter.js';
import { PageRenderer } from './page-renderer.js';
import { cookieOptions } from './page-session.guard.js';
import { AnonymousPage, Pages } from './pages.decorator.js';
import { inEnglish } from './say.js';
import { SESSION_DAYS, SessionsService } from './sessions.service.js';
import { SESSION_COOKIE, type WebRequest } from './web-request.js';

/**
 * Sign-in by emailed link or by API token, and sign-out. A wrong token or link counts against the
 * client's address, and so does every link asked for (AuthLimits): past the limit, 429.
 */
@Pages()
@Controller()
export class SignInController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
    private readonly limits: AuthLimits,
    private readonly i18n: I18nService,
  ) {}

  @AnonymousPage()
  @Get('sign-in')
  form(@Req() request: WebRequest, @Res() response: Response, @Query('next') next?: string): void {
    if (request.signedIn) return this.pages.redirect(response, safeNext(next));
    this.show(request, response, { next: safeNext(next), values: {}, errors: null, linkSent: false });
  }

  @AnonymousPage()
  @Post('sign-in/email')
  async email(@Req() request: WebRequest, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const email = text(body.email);
    const next = safeNext(body.next);
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      return this.show(request, response, { next, values: { email: body.email }, errors: { email: [inEnglish('validation.signInEmail')] }, linkSent: false }, 400);
    }
    try {
      await this.limits.linkRequested(request, response);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      return this.show(request, response, { next, values: { email }, errors: { email: [this.tooMany(request, error)] }, linkSent: false }, 429);
    }
    this.sessions.requestLink(email);
    this.show(request, response, { next, values: { email }, errors: null, linkSent: true });
  }

  @AnonymousPage()
  @Post('sign-in/token')
  async token(@Req() request: WebRequest, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const next = safeNext(body.next);
    const token = text(body.token);
    if (!token) return this.show(request, response, { next, values: {}, errors: { token: [inEnglish('validation.signInToken')] }, linkSent: false }, 400);
    try {
      await this.startSession(request, response, await this.sessions.signInWithToken(token));
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'unauthenticated')) throw error;
      const refused = await this.refusal(request, response, error);
      return this.show(request, response, { next, values: {}, errors: { token: [refused.message] }, linkSent: false }, refused.status);
    }
    this.pages.redirect(response, next);
  }

  /** The link from the email shows a button rather than signing in at once: mail scanners that open links must not use them up. */
  @AnonymousPage()
  @Get('sign-in/link')
  async link(@Req() request: WebRequest, @Res() response: Response, @Query('token') token = ''): Promise<void> {
    try {
      const person = await this.sessions.peekLink(token);
      this.pages.send(response, request, 'sign-in-link', 'signIn.pageTitle', { token, person, problem: null });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const refused = await this.refusal(request, response, error);
      this.pages.send(response, request, 'sign-in-link', 'signIn.pageTitle', { token: '', person: null, problem: refused.message }, refused.status);
    }
  }

  @AnonymousPage()
  @Post('sign-in/link')
  async useLink(@Req() request: WebRequest, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    try {
      await this.startSession(request, response, await this.sessions.signInWithLink(String(body.token ?? '')));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const refused = await this.refusal(request, response, error);
      return this.pages.send(response, request, 'sign-in-link', 'signIn.pageTitle', { token: '', person: null, problem: refused.message }, refused.status);
    }
    this.pages.redirect(response, '/');
  }

  @Post('sign-out')
  async signOut(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.sessions.signOut(request.cookies?.[SESSION_COOKIE]);
    response.clearCookie(SESSION_COOKIE, cookieOptions(this.config));
    this.pages.redirect(response, '/sign-in');
  }

  /** A failed sign-in counts against the address: its own message and 401, or 429 once the address has failed too often. */
  private async refusal(request: WebRequest, response: Response, failure: DomainError): Promise<{ message: string; status: number }> {
    try {
      await this.limits.failed(request, response, failure);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return { message: this.tooMany(request, error), status: 429 };
    }
    return { message: this.i18n.errorMessage(this.pages.localeOf(request), failure, 'signIn.refused'), status: STATUS_OF[failure.code] };
  }

  /** In English the limiter's own words (they name the address); elsewhere how long to wait. */
  private tooMany(request: WebRequest, error: TooManyRequestsError): string {
    return this.i18n.errorMessage(this.pages.localeOf(request), error, 'signIn.tooMany', { seconds: error.retryAfterSeconds });
  }

  /** A new session replaces the browser's previous one, which ends rather than lingering. */
  private async startSession(request: WebRequest, response: Response, secret: string): Promise<void> {
    await this.sessions.signOut(request.cookies?.[SESSION_COOKIE]);
    response.cookie(SESSION_COOKIE, secret, cookieOptions(this.config, SESSION_DAYS * 86_400_000));
  }

  private show(request: WebRequest, response: Response, context: { next: string; values: object; errors: FieldErrors | null; linkSent: boolean }, status = 200): void {
    this.pages.send(response, request, 'sign-in', 'signIn.pageTitle', context, status);
  }
}
