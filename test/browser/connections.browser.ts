import { seedOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

describe('a head connects HubSpot, copies its URL and tests the rules, in the browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await BrowserHarness.start();
  });
  afterAll(async () => h?.close());

  it('creates a connection with rule rows, sees its URL with a copy button, and a test run shows the events', async () => {
    const org = await seedOrg(h.t);
    const page = await h.signIn(org.salesHead.token);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });

    await page.getByRole('link', { name: 'Connections' }).click();
    await page.waitForURL((url) => url.pathname === '/connections');
    await expectPageOk(page);
    await page.getByRole('link', { name: 'New connection' }).click();
    await page.waitForURL((url) => url.pathname === '/connections/new');
    await expectPageOk(page);

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`HubSpot ${HOSTILE}`);
    await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption('hubspot');
    await page.getByLabel('Secret', { exact: true }).fill('hubspot-client-secret-6d1f0c2a');
    await page.getByRole('textbox', { name: 'Subject prefix', exact: true }).fill('hs-');
    await page.getByRole('textbox', { name: 'Object, rule 1', exact: true }).fill('contact');
    await page.getByRole('textbox', { name: 'Property, rule 1', exact: true }).fill('hs_lead_status');
    await page.getByRole('textbox', { name: 'Becomes, rule 1', exact: true }).fill('CONNECTED, IN_PROGRESS');
    await page.getByRole('combobox', { name: 'Emits, rule 1', exact: true }).fill('lead.contacted');
    // A second rule typed wrong first: its error lands under its own field.
    await page.getByRole('textbox', { name: 'Object, rule 2', exact: true }).fill('contact');
    await page.getByRole('textbox', { name: 'Property, rule 2', exact: true }).fill('lifecycle stage');
    await page.getByRole('textbox', { name: 'Becomes, rule 2', exact: true }).fill('marketingqualifiedlead');
    await page.getByRole('combobox', { name: 'Emits, rule 2', exact: true }).fill('lead.mql');
    // The script adds a third blank row on demand.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByRole('textbox', { name: 'Object, rule 3', exact: true }).fill('');
    await page.getByRole('textbox', { name: 'Event attribute, row 1', exact: true }).fill('score');
    await page.getByRole('textbox', { name: 'CRM property, row 1', exact: true }).fill('lead_temperature');
    await page.getByRole('button', { name: 'Create the connection' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#f-rules-1-on-property-error').textContent()).toContain('rules[1].on.property must name a CRM property');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    await expectPageOk(page);
    await screenshot(page, 'connection-form-errors');

    await page.getByLabel('Secret', { exact: true }).fill('hubspot-client-secret-6d1f0c2a');
    await page.getByRole('textbox', { name: 'Property, rule 2', exact: true }).fill('lifecyclestage');
    await page.getByRole('button', { name: 'Create the connection' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#created-notice').textContent()).toContain('Connection created.');
    const stored = (await h.t.as().get('/api/connections')).body.items[0];
    expect(await page.getByRole('textbox', { name: 'Webhook URL' }).inputValue()).toBe(`${h.baseUrl}/hooks/${stored.id}`);
    const copy = page.getByRole('button', { name: 'Copy the URL' });
    await copy.click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${h.baseUrl}/hooks/${stored.id}`);
    expect(await page.locator('ol.rules-in-words li .rule-words').allTextContents()).toEqual([
      "When a HubSpot contact's Lead status (hs_lead_status) becomes CONNECTED or IN_PROGRESS → lead.contacted",
      "When a HubSpot contact's Lifecycle stage (lifecyclestage) becomes marketingqualifiedlead → lead.mql",
    ]);
    await expectPageOk(page);

    // The test: the generated sample, through the rules, storing nothing.
    await page.getByRole('button', { name: 'Run the test' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#test-result').textContent()).toContain('1 event(s) would be produced');
    expect(await page.locator('#test-result td strong').allTextContents()).toEqual(['lead.contacted']);
    expect((await h.t.as().get(`/api/connections/${stored.id}/deliveries`)).body.total).toBe(0);
    await expectPageOk(page);
    await screenshot(page, 'connection-test');

    await page.getByRole('link', { name: 'All connections' }).click();
    await page.waitForURL((url) => url.pathname === '/connections');
    expect(await page.getByRole('button', { name: /Copy the URL of HubSpot/ }).isVisible()).toBe(true);
    await expectPageOk(page);
    await screenshot(page, 'connections-list');

    const phone = await h.signIn(org.salesHead.token, 375);
    await phone.goto(`/connections/${stored.id}`);
    await expectPageOk(phone);
    await screenshot(phone, 'connection-375');
  });
});
