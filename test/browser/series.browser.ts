import type { Page } from 'playwright-core';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

/** After a form post: the page it lands on, with its confirmation. */
async function submitted(page: Page, click: () => Promise<void>): Promise<string> {
  await Promise.all([page.waitForURL((url) => url.searchParams.has('notice')), click()]);
  return (await page.getByRole('status').textContent()) ?? '';
}

interface Series {
  title: string;
  rrule: string;
  meetings: { id: string; status: string; localStart: string; moved: boolean }[];
}

describe('a head plans a series, then moves and cancels single meetings', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    h.t.clock.set('2026-12-01T09:00:00Z');
  });
  afterAll(async () => h?.close());

  it('the marketing head plans a monthly series, moves one meeting and cancels another', async () => {
    const head = await h.signIn(org.marketingHead.token);
    await head.goto('/meetings');
    await expectPageOk(head);
    await head.getByRole('link', { name: 'Plan a new series' }).click();
    await head.waitForURL((url) => url.pathname === '/meetings/series/new');
    await expectPageOk(head);

    // On a phone, the form fits the screen.
    const phone = await h.signIn(org.marketingHead.token, 375);
    await phone.goto('/meetings/series/new');
    await expectPageOk(phone);
    await screenshot(phone, 'series-form-phone');

    // One mistake first: a meeting of no time.
    await head.getByRole('textbox', { name: 'Title', exact: true }).fill(HOSTILE);
    await head.getByLabel('First meeting').fill('2027-01-05T10:00');
    await head.getByRole('textbox', { name: 'Time zone', exact: true }).fill('Europe/Paris');
    await head.getByLabel('Duration in minutes').fill('0');
    await head.getByLabel('How often').selectOption('monthly');
    await head.getByLabel('Number of meetings').fill('4');
    await head.getByLabel('Place or link').fill('Room Jupiter');
    await head.getByLabel('Sofia Member (Sales)').selectOption('optional');
    await head.getByRole('button', { name: 'Plan the series' }).click();
    await head.waitForLoadState();
    const duration = head.getByLabel('Duration in minutes');
    expect(await duration.getAttribute('aria-invalid')).toBe('true');
    const durationError = (await duration.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(await head.locator(`#${durationError}`).textContent()).toBe('durationMinutes must not be less than 5');
    expect(await head.getByRole('textbox', { name: 'Title', exact: true }).inputValue()).toBe(HOSTILE);
    expect(await head.getByLabel('First meeting').inputValue()).toBe('2027-01-05T10:00');
    expect(await head.getByLabel('Place or link').inputValue()).toBe('Room Jupiter');
    expect(await head.getByLabel('Sofia Member (Sales)').inputValue()).toBe('optional');
    expect(await head.getByLabel('Samir Head (Sales, head)').inputValue()).toBe('required');
    await expectPageOk(head);
    await screenshot(head, 'series-form-error');

    await duration.fill('60');
    expect(await submitted(head, () => head.getByRole('button', { name: 'Plan the series' }).click())).toContain('planned: 4 meetings.');
    expect(new URL(head.url()).pathname).toBe('/meetings');
    const upcoming = head.getByRole('region', { name: 'Upcoming' });
    expect(await upcoming.getByRole('row').count()).toBe(5);
    expect(await upcoming.textContent()).toContain(HOSTILE);
    await expectPageOk(head);

    const series = ((await h.t.as().get('/api/meeting-series')).body.items as Series[]).find((s) => s.title === HOSTILE) as Series;
    expect(series.rrule).toBe('FREQ=MONTHLY;BYDAY=1TU;COUNT=4');
    const [, second, third] = series.meetings;

    // Move the February meeting to the Wednesday afternoon, in Paris time.
    await head.getByRole('link', { name: /Tue 2 Feb 2027, 10:00/ }).click();
    await head.waitForURL((url) => url.pathname === `/meetings/${second.id}`);
    expect(await head.getByRole('heading', { level: 1 }).textContent()).toBe(HOSTILE);
    await expectPageOk(head);
    await head.getByLabel('New start').fill('2027-02-03T14:00');
    expect(await submitted(head, () => head.getByRole('button', { name: 'Move this meeting' }).click())).toContain('Meeting moved.');
    expect(await head.locator('dl.facts').textContent()).toContain('Wed 3 Feb 2027, 14:00');
    expect(await head.locator('dl.facts').textContent()).toContain('moved');
    await expectPageOk(head);

    // Cancel the March meeting (the confirmation is accepted).
    await head.goto(`/meetings/${third.id}`);
    expect(await submitted(head, () => head.getByRole('button', { name: 'Cancel this meeting' }).click())).toContain('Meeting cancelled.');
    expect(await head.locator('dl.facts').textContent()).toContain('cancelled');
    expect(await head.getByRole('button', { name: 'Cancel this meeting' }).count()).toBe(0);
    await expectPageOk(head);
    await screenshot(head, 'meeting-room-cancelled');

    const after = (await h.t.as().get(`/api/meetings/${second.id}`)).body;
    expect(after).toMatchObject({ localStart: '2027-02-03T14:00', moved: true, status: 'scheduled' });
    expect((await h.t.as().get(`/api/meetings/${third.id}`)).body.status).toBe('cancelled');
  });
});
