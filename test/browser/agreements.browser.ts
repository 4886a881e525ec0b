import type { Page } from 'playwright-core';
import { createCalendar, crmEvent } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

/** Last quarter as the replay panel picks it by default: the test clock stands at 2 November 2026, Paris. */
const Q3 = { from: '2026-07-01T00:00:00+02:00', to: '2026-10-01T00:00:00+02:00' };

describe('agreements: drafted in the editor, replayed, proposed and approved by both heads', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let agreementId: string;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    await createCalendar(h.t);
    // Leads of September, stored before anyone thought of an agreement about them.
    const events = [
      crmEvent('lead.handed_over', 'L-1', '2026-09-07T09:00:00+02:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'L-1', '2026-09-07T09:30:00+02:00'), // 30 min: met
      crmEvent('lead.handed_over', 'L-2', '2026-09-08T09:00:00+02:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'L-2', '2026-09-08T11:00:00+02:00'), // 2 h of 1: breached
      crmEvent('lead.handed_over', 'L-3', '2026-09-09T09:00:00+02:00', { score: 'warm' }),
      crmEvent('lead.contacted', 'L-3', '2026-09-09T12:00:00+02:00'), // 3 h of 4: met
      crmEvent('lead.handed_over', 'L-4', '2026-09-10T10:00:00+02:00', { score: 'cold' }),
      crmEvent('lead.contacted', 'L-4', '2026-09-11T10:00:00+02:00'), // 9 working hours of two days: met
    ];
    const sent = await h.t.as(org.marketingMember.token).post('/api/events').send(events);
    expect(sent.body.accepted).toBe(events.length);
  });
  afterAll(async () => h?.close());

  const textOf = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

  it('lets the marketing head define a response agreement, see when a lead would be due, replay it and propose it', async () => {
    const page = await h.signIn(org.marketingHead.token);
    await page.goto('/agreements');
    await expectPageOk(page);
    await page.getByRole('link', { name: 'New agreement' }).click();
    await page.waitForURL((url) => url.pathname === '/agreements/new');
    await expectPageOk(page);

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(HOSTILE);
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('response');
    await page.getByRole('combobox', { name: 'Provider department (makes the promise)' }).selectOption({ label: 'Sales' });
    await page.getByRole('combobox', { name: 'Consumer department (receives the promise)' }).selectOption({ label: 'Marketing' });
    await page.getByRole('combobox', { name: 'Business calendar' }).selectOption({ label: 'Paris office (Europe/Paris)' });
    await page.getByRole('combobox', { name: 'Start event', exact: true }).fill('lead.handed_over');
    // The stop event is forgotten: the first save is refused.
    await page.getByRole('textbox', { name: 'Target 1: applies when' }).fill('score=hot');
    // Durations are a number and a unit of business time; the page sends the API's ISO form.
    await page.getByRole('spinbutton', { name: 'Target 1: due within' }).fill('1');
    await page.getByRole('combobox', { name: 'Target 1: unit' }).selectOption('hours');
    // The preview follows the typing (waited for by locator: the page's CSP forbids evaluated strings): Monday 2 November, 09:00 in Paris, plus one working hour.
    await page.locator('#due-preview-0').filter({ hasText: '10:00' }).waitFor();
    expect(await textOf(page, '#due-preview-0')).toBe('If a lead arrives now, it is due at Mon 2 Nov 2026, 10:00 Europe/Paris.');
    // An integrator's ISO form: the field turns to text, and a form the calendars refuse is named.
    await page.getByRole('combobox', { name: 'Target 1: unit' }).selectOption('iso');
    await page.getByRole('textbox', { name: 'Target 1: due within' }).fill('PT1Y');
    await page.locator('#due-preview-0').filter({ hasText: /^No preview: .*PT1Y/ }).waitFor();
    await page.getByRole('textbox', { name: 'Target 1: due within' }).fill('PT1H');
    await page.getByRole('textbox', { name: 'Target 2: applies when' }).fill('score=warm');
    await page.getByRole('spinbutton', { name: 'Target 2: due within' }).fill('4');
    await page.getByRole('spinbutton', { name: 'Target 3: due within' }).fill('2');
    await page.getByRole('combobox', { name: 'Target 3: unit' }).selectOption('days');
    await page.locator('#due-preview-2').filter({ hasText: 'Wed 4 Nov 2026, 09:00' }).waitFor();
    await expectPageOk(page);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForLoadState();

    const stop = page.getByRole('combobox', { name: 'Stop event', exact: true });
    expect(await stop.getAttribute('aria-invalid')).toBe('true');
    expect(await textOf(page, '#f-response-stopOn-type-error')).toMatch(/must be an event type/);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe(HOSTILE);
    expect(await page.getByRole('textbox', { name: 'Target 2: applies when' }).inputValue()).toBe('score=warm');
    expect(await page.getByRole('spinbutton', { name: 'Target 3: due within' }).inputValue()).toBe('2');
    expect(await page.getByRole('combobox', { name: 'Target 3: unit' }).inputValue()).toBe('days');
    expect(await page.getByRole('combobox', { name: 'Provider department (makes the promise)' }).inputValue()).toBe(org.sales.id);
    // Without the script the server says the same: the preview of what was typed.
    expect(await textOf(page, '#due-preview-1')).toBe('If a lead arrives now, it is due at Mon 2 Nov 2026, 13:00 Europe/Paris.');
    await expectPageOk(page);

    await stop.fill('lead.contacted');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((url) => /^\/agreements\/[0-9a-f-]{36}$/.test(url.pathname));
    agreementId = new URL(page.url()).pathname.split('/')[2];
    expect(await page.getByRole('status').textContent()).toContain('Draft saved');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(HOSTILE);
    await expectPageOk(page);

    // The replay panel measured these targets over last quarter's stored leads, as the API does.
    const replay = await h.t.as(org.marketingHead.token).post(`/api/agreements/${agreementId}/replay`).query(Q3);
    expect(replay.body).toMatchObject({ replay: true, version: 1, met: 3, breached: 1 });
    expect(await textOf(page, '#replay-result bdi')).toBe(`${Math.round(replay.body.metPercent * 10) / 10} %`);
    expect(await textOf(page, '#replay-result')).toContain('Q3 2026 under version 1');

    // Replaying September alone through the form gives the same, since every lead was then.
    await page.getByLabel('From (first day)').fill('2026-09-01');
    await page.getByLabel('To (last day)').fill('2026-09-30');
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === '2026-09-01');
    expect(await textOf(page, '#replay-result')).toContain(`1 Sep 2026 – 30 Sep 2026 under version 1's terms: ${Math.round(replay.body.metPercent * 10) / 10} % met`);
    await expectPageOk(page);

    await page.getByRole('button', { name: 'Propose version 1 to both heads' }).click();
    await page.waitForURL((url) => url.searchParams.has('notice'));
    expect(await page.getByRole('status').textContent()).toContain('Proposed');
    await expectPageOk(page);
    await page.getByRole('textbox', { name: 'Comment' }).fill('Marketing agrees.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'Approved for your department.');
    const pending = page.getByRole('region', { name: 'Pending: version 1 (Proposed)' });
    expect(await pending.getByText('Awaiting the approval of the head of Sales.').count()).toBe(1);
    expect(await pending.getByText('“Marketing agrees.”').count()).toBe(1);
    await expectPageOk(page);
  });

  it('lets the sales head approve it on a phone, and it is then in force', async () => {
    const page = await h.signIn(org.salesHead.token, 375);
    await page.goto('/agreements');
    await expectPageOk(page);
    const link = page.getByRole('link', { name: HOSTILE });
    expect(await link.count()).toBe(1);
    await link.click();
    await page.waitForURL((url) => url.pathname === `/agreements/${agreementId}`);
    await expectPageOk(page);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(1);

    await page.getByRole('textbox', { name: 'Comment' }).fill('Agreed at the November meeting.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.searchParams.has('notice'));
    expect(await page.getByRole('status').textContent()).toBe('Approved: the agreement is in force.');
    const inForce = page.getByRole('region', { name: 'In force: version 1' });
    expect(await inForce.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await inForce.getByText('“Agreed at the November meeting.”').count()).toBe(1);
    await expectPageOk(page);

    await page.goto('/agreements');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: HOSTILE }) });
    expect(await row.getByRole('cell').allTextContents()).toEqual([HOSTILE, 'Response time', 'In force', 'Sales → Marketing', 'Yes, since 2026-11-02']);
    expect((await h.t.as().get(`/api/agreements/${agreementId}`)).body).toMatchObject({ status: 'active', name: HOSTILE });
    await expectPageOk(page);

    // Changing it now would open version 2 beside the one in force; the editor says so.
    await page.goto(`/agreements/${agreementId}`);
    await page.getByRole('link', { name: 'Change it (opens a new version)' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/edit'));
    expect(await page.getByText('Version 1 is in force and stays so').count()).toBe(1);
    expect(await page.getByRole('spinbutton', { name: 'Target 2: due within' }).inputValue()).toBe('4');
    expect(await page.getByRole('combobox', { name: 'Target 2: unit' }).inputValue()).toBe('hours');
    await expectPageOk(page);
  });

  it('counts the clocks of the agreement in force, and lists them under the figures', async () => {
    h.t.clock.set('2026-11-02T09:00:00Z');
    await h.t.as(org.marketingMember.token).post('/api/events').send([crmEvent('lead.handed_over', 'L-9', '2026-11-02T10:00:00+01:00', { score: 'hot' })]);
    const page = await h.signIn(org.marketingMember.token);
    await page.goto(`/agreements/${agreementId}`);
    expect(await page.getByRole('heading', { name: 'The clocks behind these figures' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'L-9' }).count()).toBe(1);
    // A member sees the figures, not the buttons of the heads.
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Change it/ }).count()).toBe(0);
    await expectPageOk(page);
  });

  it('shows a quota agreement in the editor with the replay of the one in force (README screenshots)', async () => {
    const page = await h.signIn(org.salesHead.token);
    await page.goto('/agreements/new');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Warm leads are called the same day');
    await page.getByRole('combobox', { name: 'Provider department (makes the promise)' }).selectOption({ label: 'Sales' });
    await page.getByRole('combobox', { name: 'Consumer department (receives the promise)' }).selectOption({ label: 'Marketing' });
    await page.getByRole('combobox', { name: 'Business calendar' }).selectOption({ label: 'Paris office (Europe/Paris)' });
    await page.getByRole('combobox', { name: 'Start event', exact: true }).fill('lead.handed_over');
    await page.getByRole('combobox', { name: 'Stop event', exact: true }).fill('lead.contacted');
    await page.getByRole('textbox', { name: 'Target 1: applies when' }).fill('score=warm');
    await page.getByRole('spinbutton', { name: 'Target 1: due within' }).fill('4');
    await page.getByRole('spinbutton', { name: 'Target 2: due within' }).fill('1');
    await page.getByRole('combobox', { name: 'Target 2: unit' }).selectOption('days');
    await page.locator('#due-preview-1').filter({ hasText: 'Tue 3 Nov 2026' }).waitFor();
    await expectPageOk(page);
    await screenshot(page, 'agreement-editor');
    await page.goto(`/agreements/${agreementId}`);
    await expectPageOk(page);
    await screenshot(page, 'agreement-detail');
  });
});
