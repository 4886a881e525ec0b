import { readsCookies } from './app.setup.js';

describe('readsCookies: which requests have their cookies parsed', () => {
  it("parses them for the pages, whose sessions, language and CSRF tokens live in cookies", () => {
    for (const path of ['/', '/sign-in', '/agreements/123', '/admin/people', '/funnel', '/apiary', '/api-docs', '/hooksmith']) {
      expect(readsCookies(path)).toBe(true);
    }
  });

  it('skips them for the API and the CRM hooks, which authenticate by header', () => {
    for (const path of ['/api', '/api/events', '/api/agreements/123/approve', '/hooks/abc']) expect(readsCookies(path)).toBe(false);
  });
});
