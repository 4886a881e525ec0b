import { createFunnel, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

describe('a head reads the funnel and changes the event entering their stage, in the browser', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let stages: FunnelIds;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    h.t.clock.set('2026-12-15T08:00:00Z');
    stages = await createFunnel(h.t, org);
    await sendClosedLoop(h.t, org);
    const owned = await h.t.as().patch(`/api/stages/${stages.MQL}`).send({ departmentId: org.marketing.id, ownerId: org.marketingHead.id, doneDefinition: `Qualified ${HOSTILE}` });
    if (owned.status !== 200) throw new Error(`MQL to marketing: ${owned.status}`);
  });
  afterAll(async () => h?.close());

  it('shows the stages with their entries, names a bad type beside its field, and counts again after a condition is added', async () => {
    const page = await h.signIn(org.marketingHead.token);

    await page.getByRole('link', { name: 'Stages', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/funnel');
    await expectPageOk(page);
    const mql = page.locator(`#stage-${stages.MQL}`);
    expect(await mql.getByRole('cell').last().textContent()).toBe('20 subjects');
    expect(await mql.textContent()).toContain(`Qualified ${HOSTILE}`);
    await screenshot(page, 'funnel');

    await page.getByRole('link', { name: 'Edit stage MQL' }).click();
    await page.waitForURL((url) => url.pathname === `/funnel/${stages.MQL}/edit`);
    await expectPageOk(page);
    await page.getByRole('combobox', { name: 'Event type', exact: true }).fill('lead mql');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#f-enteredOn-type-error').textContent()).toBe('enteredOn.type must be an event type such as "lead.handed_over"');
    expect(await page.getByRole('combobox', { name: 'Event type', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('combobox', { name: 'Event type', exact: true }).inputValue()).toBe('lead mql');
    await expectPageOk(page);

    await page.getByRole('combobox', { name: 'Event type', exact: true }).fill('lead.mql');
    // The script adds a third condition row on demand; the first two stay blank and are dropped.
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await page.getByRole('textbox', { name: 'Attribute, condition 3', exact: true }).fill('source');
    await page.getByRole('textbox', { name: 'Is one of, condition 3', exact: true }).fill('trade-show');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL((url) => url.pathname === '/funnel' && url.searchParams.get('notice') === 'Stage MQL saved.');
    expect(await mql.getByRole('cell').last().textContent()).toBe('10 subjects');
    expect(await mql.textContent()).toContain('entered when “Lead qualified by marketing (MQL)” (lead.mql) arrives where source is trade-show');
    await expectPageOk(page);
  });

  it('reads at 375 px without scrolling sideways, each stage a block of labelled lines', async () => {
    const page = await h.signIn(org.salesMember.token, 375);
    await page.goto('/funnel');
    await expectPageOk(page);
    // The column headers are hidden on a phone: each cell says what it is.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('tbody td[data-label="Entered"]'), '::before').content`)).toBe('"Entered: "');
    expect(await page.locator(`#stage-${stages.MQL}`).textContent()).toContain(`Qualified ${HOSTILE}`);
    await screenshot(page, 'funnel-phone');
  });
});
