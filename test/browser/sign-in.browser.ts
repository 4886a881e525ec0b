import type { ParsedMail } from 'mailparser';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk } from './support/browser.js';

describe('signing in to the pages', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
  });
  afterAll(async () => h?.close());

  it('sends a visitor to sign in, and back to the page they asked for', async () => {
    const page = await h.newPage();
    await page.goto('/breaches?explained=all');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectPageOk(page);
    await page.getByRole('textbox', { name: 'API token' }).fill(org.salesHead.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/breaches' && url.search === '?explained=all');
  });

  it('shows a wrong token next to its field, on a page readable at 375 px', async () => {
    const page = await h.newPage(375, 800);
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'API token' }).fill('cnc_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('#f-token-error').textContent()).toMatch(/unknown/);
    expect(await page.getByRole('textbox', { name: 'API token' }).getAttribute('aria-invalid')).toBe('true');
    await expectPageOk(page);
  });

  it('signs in with a link sent by email, once', async () => {
    const page = await h.newPage();
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Work email' }).fill(org.marketingHead.email.toUpperCase());
    await page.getByRole('button', { name: 'Email me a link' }).click();
    expect(await page.getByRole('status').textContent()).toContain('sign-in link is on its way');
    await h.dispatchOutbox();
    const mail = h.smtp.messages.find((message: ParsedMail) => message.subject === 'Your Concord sign-in link');
    const link = /http:\/\/127\.0\.0\.1:\d+\/sign-in\/link\?token=[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();
    await page.goto(link as string);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.locator('.sign-out .who').textContent()).toBe('Maëlle Head');

    const other = await h.newPage();
    await other.goto(link as string);
    expect(await other.getByRole('alert').textContent()).toContain('already been used');
  });

  it('refuses a form posted from another site (no CSRF token) and signs out for good', async () => {
    const page = await h.signIn(org.salesHead.token);
    const forged = await page.request.post('/sign-out', { form: { _csrf: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
