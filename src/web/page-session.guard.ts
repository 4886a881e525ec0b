import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import type { Role } from '../access/roles.js';
import { AppConfig } from '../config/app-config.js';
import { REQUIRED_ROLES } from '../access/access.decorators.js';
import { I18nService, LANG_COOKIE } from '../i18n/i18n.service.js';
import { localeOf } from '../i18n/locales.js';
import { pageLocale } from './page-locale.js';
import { SessionsService } from './sessions.service.js';
import { ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE, type WebRequest } from './web-request.js';

export const ANONYMOUS_PAGE = 'concord:anonymous-page';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Cookie settings: http-only, SameSite=Lax, and Secure whenever the service is reached over https. */
export function cookieOptions(config: AppConfig, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: config.publicUrl.startsWith('https:'), path: '/', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}

/**
 * The pages' counterpart of the API's bearer guard: the session cookie says who is signed in
 * (or the visitor is sent to sign in), and every form post must carry the CSRF token of the
 * session — or, on the sign-in pages, the one of the anonymous CSRF cookie.
 */
@Injectable()
export class PageSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
    private readonly i18n: I18nService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const signedIn = await this.sessions.authenticate(request.cookies?.[SESSION_COOKIE]);
    if (signedIn) {
      request.signedIn = signedIn;
      request.actor = signedIn.actor;
      request.csrfToken = signedIn.csrfToken;
    }
    // The language switch of signed-out pages: `?lang=fr` is remembered for the visitor's next pages.
    const switched = localeOf(request.query?.lang);
    if (switched && request.cookies?.[LANG_COOKIE] !== switched) response.cookie(LANG_COOKIE, switched, cookieOptions(this.config, 365 * 86_400_000));
    pageLocale(request, this.i18n);
    if (this.reflector.getAllAndOverride<boolean>(ANONYMOUS_PAGE, targets)) {
      if (!signedIn) request.csrfToken = this.anonymousCsrf(request, response);
    } else {
      if (!signedIn) throw new UnauthenticatedError('please sign in');
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
      if (roles && !roles.includes(signedIn.actor.role)) throw new ForbiddenError(`only ${roles.join(' or ')} may open this page`);
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
      if (!sameSecret(typeof sent === 'string' ? sent : undefined, request.csrfToken)) {
        throw new ForbiddenError('this form has expired or did not come from Concord; reload the page and send it again');
      }
      if (request.body && typeof request.body === 'object') delete (request.body as Record<string, unknown>)._csrf;
    }
    return true;
  }

  private anonymousCsrf(request: WebRequest, response: Response): string {
    const existing = request.cookies?.[ANONYMOUS_CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    response.cookie(ANONYMOUS_CSRF_COOKIE, token, cookieOptions(this.config));
    return token;
  }
}
