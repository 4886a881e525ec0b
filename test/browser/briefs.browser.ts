import type { Page } from 'playwright-core';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

/**
 * The done-when: a requester fills in a brief field by field, saves a draft, is told
 * what is missing at submission without losing a keystroke, submits; the receiving head returns
 * it with comments, the requester resubmits, the head accepts. Hostile text typed along the way
 * must come back as text on every page.
 */
describe('briefs in the browser', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let briefId: string;
  const title = `Spring launch ${HOSTILE}`;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
  });
  afterAll(async () => h?.close());

  const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
  const badge = (page: Page) => page.locator('main h1 + p .badge').textContent();

  async function apiBrief() {
    const response = await h.t.as().get(`/api/briefs/${briefId}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  it('is readable at 375 px, and offers more rows on request', async () => {
    const page = await h.signIn(org.marketingMember.token, 375);
    await page.goto('/briefs/new');
    await expectPageOk(page);
    expect(await page.getByRole('textbox', { name: 'Goal 4', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add a goal' }).click();
    await textbox(page, 'Goal 4').fill('Typed into a fourth row');
    expect(await textbox(page, 'Target of goal 4').inputValue()).toBe('');
    await expectPageOk(page);
  });

  it('guides the requester field by field, saves the draft, and names the one field missing at submission', async () => {
    const page = await h.signIn(org.marketingMember.token);
    await page.goto('/briefs');
    await expectPageOk(page);
    await page.getByRole('link', { name: 'New brief' }).click();
    await page.waitForURL('**/briefs/new');
    await expectPageOk(page);

    await textbox(page, 'Title').fill(title);
    await page.getByRole('combobox', { name: 'Department asked' }).selectOption({ label: 'Sales' });
    await textbox(page, 'Background and problem').fill(`Half the webinar leads are never called. ${HOSTILE}`);
    await textbox(page, 'Goal 1').fill('Fill the pipeline for the launch');
    await textbox(page, 'Target of goal 1').fill('120 SQLs by 31 March');
    // The vision is left out: the one field the submission will miss.
    await textbox(page, 'Key message').fill('Downtime costs more than our licence.');
    await textbox(page, 'Primary audience').fill('IT directors of mid-sized manufacturers');
    await textbox(page, 'Deliverables').fill('Call script\nFollow-up email sequence');
    await textbox(page, 'Deadline').fill('2026-12-15');
    await textbox(page, 'Milestone 1').fill('First draft');
    await textbox(page, 'Date of milestone 1').fill('2026-11-20');
    await page.getByRole('spinbutton', { name: 'Budget amount' }).fill('15000');
    await textbox(page, 'Currency').fill('EUR');
    await page.getByRole('checkbox', { name: 'Budget approved' }).check();
    await textbox(page, 'Success metric 1').fill('Meetings booked');
    await textbox(page, 'Target of metric 1').fill('at least 40');
    await page.getByRole('combobox', { name: 'Approver' }).selectOption({ label: 'Maëlle Head (Marketing)' });
    await textbox(page, 'Links').fill('https://wiki.example.com/spring-launch');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/briefs\/[0-9a-f-]{36}\/edit/);
    briefId = /\/briefs\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    expect(await page.getByRole('status').textContent()).toBe('Draft saved.');
    expect(await page.getByRole('region', { name: 'Still missing before you can submit' }).textContent()).toMatch(/Vision: content.vision is required/);
    expect(await textbox(page, 'Title').inputValue()).toBe(title);
    await expectPageOk(page);
    expect(await apiBrief()).toMatchObject({ status: 'draft', title, content: { goals: [{ goal: 'Fill the pipeline for the launch', target: '120 SQLs by 31 March' }] } });

    // Typed after the save, then submitted straight away: it must survive the refusal.
    await textbox(page, 'Secondary audience').fill(`Procurement ${HOSTILE}`);
    await page.getByRole('button', { name: 'Submit brief' }).click();
    await page.waitForURL(`**/briefs/${briefId}/submit`);
    expect(await page.locator('#f-content-vision-error').textContent()).toMatch(/content.vision is required to submit/);
    expect(await textbox(page, 'Vision').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(await textbox(page, 'Secondary audience').inputValue()).toBe(`Procurement ${HOSTILE}`);
    expect(await textbox(page, 'Background and problem').inputValue()).toBe(`Half the webinar leads are never called. ${HOSTILE}`);
    expect(await textbox(page, 'Title').inputValue()).toBe(title);
    expect(await page.getByRole('checkbox', { name: 'Budget approved' }).isChecked()).toBe(true);
    await expectPageOk(page);
    const refused = await apiBrief();
    expect(refused.status).toBe('draft');
    expect(refused.content.audience).toEqual({ primary: 'IT directors of mid-sized manufacturers', secondary: `Procurement ${HOSTILE}` });

    await textbox(page, 'Vision').fill('Sales calls every interested IT director within a week.');
    await page.getByRole('button', { name: 'Submit brief' }).click();
    await page.waitForURL(`**/briefs/${briefId}?notice=*`);
    expect(await badge(page)).toBe('Submitted');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    // Milestones are listed with their dates.
    expect(await page.getByRole('row').filter({ hasText: 'First draft' }).getByRole('cell').allTextContents()).toEqual(['First draft', '2026-11-20']);
    // Nothing left for the requester to decide while the recipient looks at it.
    expect(await page.getByRole('button', { name: 'Accept brief' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit the brief' }).count()).toBe(0);
    await expectPageOk(page);
    expect((await apiBrief()).status).toBe('submitted');
  });

  it('lets the receiving head return it with comments, named when missing', async () => {
    const page = await h.signIn(org.salesHead.token);
    await page.goto('/briefs');
    expect(await page.getByRole('region', { name: 'Received by Sales' }).getByRole('row').nth(1).textContent()).toContain('Submitted');
    await expectPageOk(page);
    await page.getByRole('link', { name: title }).click();
    await page.waitForURL(`**/briefs/${briefId}`);
    expect(await page.getByRole('link', { name: 'Edit the brief' }).count()).toBe(0);
    await expectPageOk(page);

    await page.getByRole('button', { name: 'Return with comments' }).click();
    expect(await page.locator('#f-comment-error').textContent()).toMatch(/comment must be longer/);
    expect((await apiBrief()).status).toBe('submitted');
    await expectPageOk(page);

    await textbox(page, 'Comments for the requester').fill(`Which segment comes first? ${HOSTILE}`);
    await page.getByRole('button', { name: 'Return with comments' }).click();
    await page.waitForURL(`**/briefs/${briefId}?notice=*`);
    expect(await badge(page)).toBe('Returned');
    expect(await page.getByRole('region', { name: 'Thread' }).textContent()).toContain(`Which segment comes first? ${HOSTILE}`);
    await expectPageOk(page);
    expect((await apiBrief()).status).toBe('returned');
  });

  it('lets the requester answer in the thread, correct and resubmit', async () => {
    const page = await h.signIn(org.marketingMember.token);
    await page.goto(`/briefs/${briefId}`);
    expect(await badge(page)).toBe('Returned');
    await textbox(page, 'Your comment').fill(`Manufacturing first. ${HOSTILE}`);
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.waitForURL(`**/briefs/${briefId}?notice=*`);
    expect(await page.getByRole('region', { name: 'Thread' }).textContent()).toContain(`Manufacturing first. ${HOSTILE}`);
    await expectPageOk(page);

    await page.getByRole('link', { name: 'Edit the brief' }).click();
    await page.waitForURL(`**/briefs/${briefId}/edit`);
    expect(await page.getByRole('region', { name: 'Returned with comments' }).textContent()).toContain(`Which segment comes first? ${HOSTILE}`);
    await expectPageOk(page);
    await textbox(page, 'Primary audience').fill('IT directors in manufacturing');
    await page.getByRole('button', { name: 'Submit brief' }).click();
    await page.waitForURL(`**/briefs/${briefId}?notice=*`);
    expect(await badge(page)).toBe('Submitted');
    await expectPageOk(page);
    const resubmitted = await apiBrief();
    expect(resubmitted.status).toBe('submitted');
    expect(resubmitted.content.audience.primary).toBe('IT directors in manufacturing');
  });

  it('lets the receiving head accept it, and shows the status everywhere', async () => {
    const page = await h.signIn(org.salesHead.token);
    await page.goto(`/briefs/${briefId}`);
    await page.getByRole('button', { name: 'Accept brief' }).click();
    await page.waitForURL(`**/briefs/${briefId}?notice=*`);
    expect(await badge(page)).toBe('Accepted');
    expect(await page.getByRole('button', { name: 'Start work' }).count()).toBe(1);
    await expectPageOk(page);
    const accepted = await apiBrief();
    expect(accepted.status).toBe('accepted');
    expect(accepted.thread.map((entry: { kind: string; toStatus: string | null }) => entry.toStatus ?? entry.kind)).toEqual([
      'draft',
      'submitted',
      'returned',
      'comment',
      'submitted',
      'accepted',
    ]);

    const requester = await h.signIn(org.marketingHead.token);
    await requester.goto('/briefs?status=accepted');
    const filed = requester.getByRole('region', { name: 'Filed by Marketing' });
    expect(await filed.getByRole('link', { name: title }).count()).toBe(1);
    expect(await filed.getByRole('row').nth(1).textContent()).toContain('Accepted');
    await expectPageOk(requester);
    await requester.goto(`/briefs/${briefId}`);
    expect(await requester.getByRole('button', { name: 'Start work' }).count()).toBe(0);
    expect(await requester.getByRole('button', { name: 'Cancel brief' }).count()).toBe(1);
    await expectPageOk(requester);

    // The full brief, its tables and its thread, on a phone.
    const phone = await h.signIn(org.marketingHead.token, 375);
    await phone.goto(`/briefs/${briefId}`);
    expect(await phone.getByRole('table').count()).toBe(3);
    await expectPageOk(phone);
    await phone.goto('/briefs');
    await expectPageOk(phone);
  });

  it('shows a draft with what it still misses (README screenshot)', async () => {
    const page = await h.signIn(org.marketingMember.token);
    await page.goto('/briefs/new');
    await textbox(page, 'Title').fill('Webinar follow-up calls');
    await page.getByRole('combobox', { name: 'Department asked' }).selectOption({ label: 'Sales' });
    await textbox(page, 'Background and problem').fill('Half the webinar leads are never called back.');
    await textbox(page, 'Goal 1').fill('Call every webinar attendee');
    await textbox(page, 'Target of goal 1').fill('90 % called within 2 working days');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/briefs\/[0-9a-f-]{36}\/edit/);
    expect(await page.getByRole('region', { name: 'Still missing before you can submit' }).textContent()).toMatch(/Vision/);
    await expectPageOk(page);
    await screenshot(page, 'brief-form');
  });
});
