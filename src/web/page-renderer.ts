import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Response } from 'express';
import { createHmac } from 'node:crypto';
import { sameSecret } from './page-session.guard.js';
import { isAdmin } from '../access/permissions.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { registerFormHelpers } from './form-fields.js';
import type { WebRequest } from './web-request.js';

interface NavLink {
  href: string;
  label: string;
}

const NAV: NavLink[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/agreements', label: 'Agreements' },
  { href: '/briefs', label: 'Briefs' },
  { href: '/meetings', label: 'Meetings' },
  { href: '/breaches', label: 'Breaches' },
  { href: '/reports/funnel', label: 'Funnel' },
  { href: '/funnel', label: 'Stages' },
];
/** Admins and heads: a head manages their own department's CRM connections. */
const MANAGER_NAV: NavLink[] = [{ href: '/connections', label: 'Connections' }];
const ADMIN_NAV: NavLink[] = [
  { href: '/admin/calendars', label: 'Calendars' },
  { href: '/admin/departments', label: 'Departments' },
  { href: '/admin/people', label: 'People' },
];

/** What every page template gets as `page`: who is signed in, the CSRF token of its forms, the menu. */
export interface PageFrame {
  title: string;
  person: { id: string; name: string; email: string; timezone: string; role: string; departmentId: string | null } | null;
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
  constructor(private readonly templates: TemplateRenderer) {}

  onModuleInit(): void {
    this.templates.addHelpers(registerFormHelpers);
  }

  frame(request: WebRequest, title: string): PageFrame {
    const signedIn = request.signedIn;
    const path = request.path;
    const manager = signedIn ? isAdmin(signedIn.actor) || signedIn.actor.role === 'head' : false;
    const links = signedIn ? [...NAV, ...(manager ? MANAGER_NAV : []), ...(isAdmin(signedIn.actor) ? ADMIN_NAV : [])] : [];
    const notice = typeof request.query?.notice === 'string' && sameSecret(String(request.query.n ?? ''), noticeSignature(request.csrfToken, request.query.notice)) ? request.query.notice : null;
    return {
      title,
      person: signedIn ? { ...signedIn.person, role: signedIn.actor.role, departmentId: signedIn.actor.departmentId } : null,
      csrf: request.csrfToken ?? '',
      nav: links.map((link) => ({ ...link, current: link.href === '/' ? path === '/' : path === link.href || path.startsWith(`${link.href}/`) })),
      notice,
    };
  }

  html(request: WebRequest, name: string, title: string, context: object): string {
    return this.templates.render(`pages/${name}.html`, { ...context, page: this.frame(request, title) });
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
