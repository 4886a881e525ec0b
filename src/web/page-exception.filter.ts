import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_OF } from '../common/error-status.js';
import { DomainError } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { I18nService } from '../i18n/i18n.service.js';
import { apiMessageKey } from '../common/api-exception.filter.js';
import { PageRenderer } from './page-renderer.js';
import { cookieOptions } from './page-session.guard.js';
import { SESSION_COOKIE, type WebRequest } from './web-request.js';


/** Only a path of this site, never `//elsewhere` or `https://…`: sign-in sends people back there. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/**
 * Errors on pages become pages: the sign-in page when nobody is signed in, otherwise a plain
 * page saying what went wrong (forms catch their own validation errors and show them in place).
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
    private readonly i18n: I18nService,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    const locale = this.pages.localeOf(request);
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = this.i18n.t(locale, 'common.error.internal');
    if (error instanceof DomainError || error instanceof HttpException) {
      status = error instanceof DomainError ? STATUS_OF[error.code] : error.getStatus();
      message = this.i18n.errorMessage(locale, error, apiMessageKey(status));
    }
    if (status === 401 && !request.signedIn) {
      // The session ended (expired, signed out elsewhere, token revoked): forget the cookie.
      if (request.cookies?.[SESSION_COOKIE]) response.clearCookie(SESSION_COOKIE, cookieOptions(this.config));
      if (request.method === 'GET' || request.path === '/sign-out') {
        response.redirect(303, request.method === 'GET' ? `/sign-in?next=${encodeURIComponent(safeNext(request.originalUrl))}` : '/sign-in');
        return;
      }
    }
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const titles: Record<number, string> = { 400: 'common.error.badRequest', 401: 'common.error.signIn', 403: 'common.error.forbidden', 404: 'common.error.notFound', 409: 'common.error.badRequest' };
    try {
      this.pages.send(response, request, 'error', titles[status] ?? 'common.error.generic', { status, message }, status);
    } catch (renderError) {
      this.logger.error(renderError instanceof Error ? renderError.message : String(renderError));
      response.status(status).type('text').send(message);
    }
  }
}
