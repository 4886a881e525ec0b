import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Response } from 'express';
import { createHmac } from 'node:crypto';
import { sameSecret } from './page-session.guard.js';
import { isAdmin } from '../access/permissions.js';
import { I18nService } from '../i18n/i18n.service.js';
import { direction, LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locales.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { registerFormHelpers } from './form-fields.js';
import { pageLocale } from './page-locale.js';
import type { WebRequest } from './web-request.js';

interface NavLink {
  href: string;
  /** The catalogue key of the link's label (common.nav.*). */
  labelKey: string;
}

const NAV: NavLink[] = [
  { href: '/', labelKey: 'common.nav.dashboard' },
  { href: '/agreements', labelKey: 'common.nav.agreements' },
  { href: '/briefs', labelKey: 'common.nav.briefs' },
  { href: '/meetings', labelKey: 'common.nav.meetings' },
  { href: '/breaches', labelKey: 'common.nav.breaches' },
  { href: '/reports/funnel', labelKey: 'common.nav.funnel' },
  { href: '/funnel', labelKey: 'common.nav.stages' },
];
/** Admins and heads: a head manages their own department's CRM connections. */
const MANAGER_NAV: NavLink[] = [{ href: '/connections', labelKey: 'common.nav.connections' }];
const ADMIN_NAV: NavLink[] = [
  { href: '/admin/calendars', labelKey: 'common.nav.calendars' },
  { href: '/admin/departments', labelKey: 'common.nav.departments' },
  { href: '/admin/people', labelKey: 'common.nav.people' },
];

/** A title given as a catalogue key ("signIn.pageTitle") rather than English text. */
const MESSAGE_KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;

/**
 * What every page template gets as `page`: who is signed in, the CSRF token of its forms, the
 * menu, and the page's language (also at the context's root as `locale`, where the `t` helper
 * and the date helpers read it).
 */
export interface PageFrame {
  title: string;
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** The language switch of signed-out pages: each language, by its own name, linking to `?lang=`. */
  languages: { locale: Locale; name: string; href: string; current: boolean }[];
  person: { id: string; name: string; email: string; timezone: string; locale: string | null; role: string; departmentId: string | null } | null;
  csrf: string;
  nav: (NavLink & { current: boolean })[];
  /** A short confirmation after a form was saved ("Brief submitted."). */
  notice: string | null;
}

/**
 * Renders the pages: templates/pages/<name>.html.hbs inside the page layout partial, with
 * strict Handlebars (escaping on), plus the form helpers. Answers are never cached: they show
 * one person's data.
 */
@Injectable()
export class PageRenderer implements OnModuleInit {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly i18n: I18nService,
  ) {}

  /** The page's language (see pageLocale). */
  localeOf(request: WebRequest): Locale {
    return pageLocale(request, this.i18n);
  }

  /** A message in the request's language, for what a controller puts on a page (an error under a field). */
  t(request: WebRequest, key: string, values?: Record<string, string | number>): string {
    return this.i18n.t(this.localeOf(request), key, values);
  }

  onModuleInit(): void {
    this.templates.addHelpers(registerFormHelpers);
  }

  frame(request: WebRequest, title: string): PageFrame {
    const signedIn = request.signedIn;
    const path = request.path;
    const manager = signedIn ? isAdmin(signedIn.actor) || signedIn.actor.role === 'head' : false;
    const links = signedIn ? [...NAV, ...(manager ? MANAGER_NAV : []), ...(isAdmin(signedIn.actor) ? ADMIN_NAV : [])] : [];
    const locale = this.localeOf(request);
    const notice = typeof request.query?.notice === 'string' && sameSecret(String(request.query.n ?? ''), noticeSignature(request.csrfToken, request.query.notice)) ? request.query.notice : null;
    return {
      title: MESSAGE_KEY.test(title) && this.i18n.translator.has('en', title) ? this.i18n.t(locale, title) : title,
      locale,
      dir: direction(locale),
      languages: LOCALES.map((code) => ({ locale: code, name: LOCALE_NAMES[code], href: `${path}?lang=${code}`, current: code === locale })),
      person: signedIn ? { ...signedIn.person, role: signedIn.actor.role, departmentId: signedIn.actor.departmentId } : null,
      csrf: request.csrfToken ?? '',
      nav: links.map((link) => ({ ...link, current: link.href === '/' ? path === '/' : path === link.href || path.startsWith(`${link.href}/`) })),
      notice,
    };
  }

  html(request: WebRequest, name: string, title: string, context: object): string {
    const page = this.frame(request, title);
    return this.templates.render(`pages/${name}.html`, { ...context, locale: page.locale, page });
  }

  send(response: Response, request: WebRequest, name: string, title: string, context: object, status = 200): void {
    response.status(status).type('html').setHeader('Cache-Control', 'no-store');
    response.send(this.html(request, name, title, context));
  }

  /**
   * After a successful post: back to a page (303, so a reload does not post again), with a
   * confirmation to show there and, optionally, the part of the page to scroll to.
   */
  redirect(response: Response, location: string, notice?: string, fragment?: string): void {
    let target = location;
    if (notice) {
      const signature = noticeSignature((response.req as WebRequest).csrfToken, notice);
      target += `${location.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}&n=${signature}`;
    }
    response.redirect(303, fragment ? `${target}#${fragment}` : target);
  }
}

/**
 * The confirmation travels in the address, so it is signed with the session's CSRF secret: a
 * link crafted elsewhere (`?notice=Your session expired, sign in at evil.example`) shows nothing.
 */
function noticeSignature(key: string | undefined, notice: string): string {
  return createHmac('sha256', key ?? '').update(notice).digest('base64url').slice(0, 22);
}
