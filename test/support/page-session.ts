import request from 'supertest';
import type { TestApp } from './test-app.js';

/** The value of the hidden `_csrf` field of a page's forms. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on this page');
  return match[1];
}

/**
 * A form body as a browser posts it: nested fields and lists as `a[b][0][c]` with indexes
 * (superagent would drop list indexes, which no browser does).
 */
export function formBody(form: Record<string, unknown>): string {
  const pairs = new URLSearchParams();
  const add = (name: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) add(`${name}[${key}]`, inner);
    } else pairs.append(name, String(value));
  };
  for (const [key, value] of Object.entries(form)) add(key, value);
  return pairs.toString();
}

/**
 * A browser-like client for the pages over supertest: signed in with an API token through the
 * sign-in form, keeping its cookies, and posting forms with the session's CSRF token.
 */
export async function pageSession(t: TestApp, token: string) {
  const agent = request.agent(t.server);
  const signInPage = await agent.get('/sign-in');
  const signedIn = await agent.post('/sign-in/token').type('form').send({ _csrf: csrfOf(signInPage.text), token, next: '/' });
  if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status} ${signedIn.text.slice(0, 300)}`);
  const home = await agent.get('/');
  const csrf = csrfOf(home.text);
  return {
    agent,
    csrf,
    get: (path: string) => agent.get(path),
    /** Posts a form (urlencoded, nested names as `a[b][0]`) with the CSRF token. */
    post: (path: string, form: Record<string, unknown> = {}) => agent.post(path).type('form').send(formBody({ _csrf: csrf, ...form })),
    /** Posts without the CSRF token, as a forged cross-site form would. */
    forge: (path: string, form: Record<string, unknown> = {}) => agent.post(path).type('form').send(formBody(form)),
  };
}
