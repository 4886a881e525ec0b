import type { Request } from 'express';
import type { RequestWithActor } from '../access/actor.js';
import type { Locale } from '../i18n/locales.js';
import type { SignedIn } from './sessions.service.js';

export const SESSION_COOKIE = 'concord_session';
/** Before sign-in there is no session to keep a CSRF token in: a cookie holds it (double submit). */
export const ANONYMOUS_CSRF_COOKIE = 'concord_csrf';

export type WebRequest = Request &
  RequestWithActor & {
    cookies: Record<string, string | undefined>;
    signedIn?: SignedIn;
    /** The CSRF token this request's forms carry. */
    csrfToken?: string;
    /** The language of this request's page (set by PageSessionGuard; see PageRenderer.localeOf). */
    locale?: Locale;
  };
