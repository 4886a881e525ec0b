import { seedBreach } from '../support/breach-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE } from './support/browser.js';

describe('an owner explains a breach, in the browser', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let breachId: string;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    ({ breachId } = await seedBreach(h.t, org));
  });
  afterAll(async () => h?.close());

  it('finds the breach in the list, is told what is missing, and explains it', async () => {
    const page = await h.signIn(org.salesMember.token, 375);
    await page.getByRole('link', { name: 'Breaches' }).click();
    await page.waitForURL((url) => url.pathname === '/breaches');
    await expectPageOk(page);
    await page.getByRole('combobox', { name: 'Explanation' }).selectOption('unexplained');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('link', { name: 'Hot leads are called fast' }).click();
    await page.waitForURL((url) => url.pathname === `/breaches/${breachId}`);
    await expectPageOk(page);
    expect(await page.locator('#explanation').textContent()).toContain('Not explained yet.');

    await page.getByRole('textbox', { name: 'Cause' }).fill(HOSTILE);
    await page.getByRole('button', { name: 'Save the explanation' }).click();
    // Refused: the missing field is named next to it, the cause typed is still there, and focus goes to the summary.
    expect(await page.locator('#f-correctiveAction-error').textContent()).toMatch(/correctiveAction/);
    expect(await page.getByRole('textbox', { name: 'Cause' }).inputValue()).toBe(HOSTILE);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    // The summary names the field by its label, and leads to it.
    expect(await page.locator('#error-summary a').allTextContents()).toEqual(['What changes']);
    await page.locator('#error-summary a').click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-correctiveAction');
    await expectPageOk(page);

    await page.getByRole('textbox', { name: 'What changes' }).fill('A named backup watches the queue during team events.');
    await page.getByRole('button', { name: 'Save the explanation' }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'Explanation saved.');
    const explanation = await page.locator('#explanation dl').textContent();
    expect(explanation).toContain(HOSTILE);
    expect(explanation).toContain('Sofia Member');
    await expectPageOk(page);

    const stored = await h.t.as().get(`/api/breaches/${breachId}`);
    expect(stored.body).toMatchObject({ explained: true, cause: HOSTILE, explainedBy: org.salesMember.id });

    // The list shows it explained, the hostile text escaped wherever it appears.
    await page.goto('/breaches?explained=explained');
    expect(await page.locator('tbody').textContent()).toContain('explained');
    await expectPageOk(page);
  });

  it('does not offer the form to someone outside the owning department', async () => {
    const page = await h.signIn(org.marketingMember.token);
    await page.goto(`/breaches/${breachId}`);
    expect(await page.getByRole('button', { name: /explanation/ }).count()).toBe(0);
    await expectPageOk(page);
  });
});
