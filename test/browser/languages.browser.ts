import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk } from './support/browser.js';

/** Issue 15 in a real browser: the sign-in page in Arabic (right to left) and Russian, at phone width. */
describe('the pages in other languages', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start({ strictMessages: true });
    org = await seedOrg(h.t);
  });
  afterAll(async () => h?.close());

  it('signs in in Arabic, right to left, accessible and without sideways scrolling at 375 px', async () => {
    const page = await h.newPage(375, 800);
    await page.goto('/sign-in?lang=ar');
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    expect(await page.evaluate('getComputedStyle(document.querySelector("h1")).direction')).toBe('rtl');
    await expectPageOk(page);
    await page.getByRole('textbox', { name: 'رمز API' }).fill(org.salesHead.token);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    // The person chose no language: the switch of the signed-out pages carries on.
    expect(await page.evaluate('document.documentElement.lang')).toBe('ar');
    expect(await page.getByRole('navigation', { name: 'القائمة الرئيسية' }).getByRole('link', { name: 'لوحة المتابعة' }).count()).toBe(1);
    expect(h.t.missingMessages()).toEqual([]);
  });

  it('switches to Russian from the sign-in page', async () => {
    const page = await h.newPage(375, 800);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL((url) => url.search === '?lang=ru');
    expect(await page.locator('h1').textContent()).toBe('Вход в Concord');
    await expectPageOk(page);
  });
});
