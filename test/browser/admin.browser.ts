import { fileURLToPath } from 'node:url';
import { TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

describe('an admin sets up a calendar, a department and its head, in the browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await BrowserHarness.start();
  });
  afterAll(async () => h?.close());

  it('creates a split-hours calendar, a department on it, its head and a token the head signs in with', async () => {
    const page = await h.signIn(TEST_ADMIN_TOKEN);

    // A calendar with a lunch break and a holiday; the afternoon typed wrong first.
    await page.getByRole('link', { name: 'Calendars' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/calendars');
    await expectPageOk(page);
    await page.getByRole('link', { name: 'New calendar' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/calendars/new');
    await expectPageOk(page);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Lyon office');
    await page.getByRole('textbox', { name: 'Time zone', exact: true }).fill('Europe/Paris');
    await page.getByRole('textbox', { name: 'Monday 1: until', exact: true }).fill('12:30');
    await page.getByRole('textbox', { name: 'Monday 2: from', exact: true }).fill('13:30');
    await page.getByRole('textbox', { name: 'Monday 2: until', exact: true }).fill('08:00');
    await page.getByRole('textbox', { name: 'Closed dates', exact: true }).fill('2026-12-25');
    await page.getByRole('textbox', { name: 'Public holidays of', exact: true }).fill('FR');
    await page.getByRole('button', { name: 'Create the calendar' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#f-hours-mon-1-until-error').textContent()).toBe('Monday 2: ends (08:00) before or when it starts (13:30)');
    expect(await page.getByRole('textbox', { name: 'Monday 2: until', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('textbox', { name: 'Monday 2: until', exact: true }).inputValue()).toBe('08:00');
    expect(await page.getByRole('textbox', { name: 'Monday 2: from', exact: true }).inputValue()).toBe('13:30');
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Lyon office');
    expect(await page.getByRole('textbox', { name: 'Closed dates', exact: true }).inputValue()).toBe('2026-12-25');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    await expectPageOk(page);

    await page.getByRole('textbox', { name: 'Monday 2: until', exact: true }).fill('18:00');
    await page.getByRole('button', { name: 'Create the calendar' }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'Calendar created.');
    // The test clock says Monday 2 November 2026, 09:00 in Paris: one working hour later is 10:00
    // there, shown in the admin's own zone (UTC) with the calendar's beside.
    expect(await page.locator('#due-preview').textContent()).toContain(
      'would be due after one working hour at Mon 2 Nov 2026, 09:00 UTC (2026-11-02T09:00Z) · 10:00 in Europe/Paris',
    );
    await expectPageOk(page);
    const calendars = (await h.t.as().get('/api/calendars')).body.items;
    expect(calendars).toEqual([
      expect.objectContaining({ name: 'Lyon office', hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] }, holidays: ['2026-12-25'], holidayPreset: 'FR' }),
    ]);

    // A department working on it.
    await page.getByRole('link', { name: 'Departments' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/departments');
    await page.getByRole('link', { name: 'New department' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/departments/new');
    await expectPageOk(page);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Field sales');
    await page.getByRole('combobox', { name: 'Business calendar' }).selectOption({ label: 'Lyon office (Europe/Paris)' });
    await page.getByRole('button', { name: 'Create the department' }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'Department created.');
    await expectPageOk(page);

    // Its head, whose name is hostile text.
    await page.getByRole('link', { name: 'Add a person' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/people/new');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(HOSTILE);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('hector@example.com');
    await page.getByRole('combobox', { name: 'Role' }).selectOption('head');
    expect(await page.getByRole('combobox', { name: 'Department' }).locator('option:checked').textContent()).toBe('Field sales');
    await expectPageOk(page);
    await page.getByRole('button', { name: 'Add the person' }).click();
    await page.waitForURL((url) => /^\/admin\/people\/[0-9a-f-]{36}$/.test(url.pathname) && url.searchParams.has('notice'));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(HOSTILE);
    await expectPageOk(page);
    const personUrl = new URL(page.url()).pathname;

    // A token, shown once.
    await page.getByRole('textbox', { name: 'Token name', exact: true }).fill('Laptop');
    await page.getByRole('button', { name: 'Issue the token' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#issued-token-section').textContent()).toContain('It is shown only this once');
    const secret = await page.getByRole('textbox', { name: 'New API token “Laptop”' }).inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await page.locator('#tokens tbody').textContent()).toContain('Laptop');
    await expectPageOk(page);
    await screenshot(page, 'admin-person-token');
    await page.goto(personUrl);
    expect(await page.locator('#issued-token').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // On a phone: the list and the longest form.
    const phone = await h.signIn(TEST_ADMIN_TOKEN, 375);
    await phone.goto('/admin/people');
    expect(await phone.getByRole('table').textContent()).toContain(HOSTILE);
    await expectPageOk(phone);
    await phone.getByRole('link', { name: HOSTILE }).click();
    await phone.waitForURL((url) => url.pathname === personUrl);
    expect(await phone.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe(HOSTILE);
    await expectPageOk(phone);
    await phone.goto(`/admin/calendars/${calendars[0].id}`);
    await expectPageOk(phone);
    await screenshot(phone, 'admin-calendar-375');

    // The head signs in with the token, elsewhere, and is no admin.
    const head = await h.signIn(secret);
    expect(await head.locator('.who').textContent()).toBe(HOSTILE);
    expect(await head.getByRole('link', { name: 'People' }).count()).toBe(0);
    const refused = await head.goto('/admin/people');
    expect(refused?.status()).toBe(403);
    expect(await head.locator('main').textContent()).toContain('only admin may open this page');
    await expectPageOk(head);
  });

  it('gives a Moscow calendar its own hours on dates, and imports a year from a file', async () => {
    const weekday = [['09:00', '18:00']];
    const created = await h.t.as().post('/api/calendars').send({
      name: 'Moscow office',
      timezone: 'Europe/Moscow',
      hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      holidayPreset: 'RU',
    });
    expect(created.status).toBe(201);
    const page = await h.signIn(TEST_ADMIN_TOKEN);
    await page.goto(`/admin/calendars/${created.body.id}`);
    expect(await page.locator('#official-years').textContent()).toMatch(/^For 2024, 2025 and 2026, RU is the official production calendar/);
    await expectPageOk(page);

    // A Saturday open in the morning, and a closed Tuesday: a date without times.
    await page.getByLabel('Own hours 1: date', { exact: true }).fill('2026-12-26');
    await page.getByRole('textbox', { name: 'Own hours 1: from', exact: true }).fill('10:00');
    await page.getByRole('textbox', { name: 'Own hours 1: until', exact: true }).fill('14:00');
    await page.getByLabel('Own hours 2: date', { exact: true }).fill('2026-12-29');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'Calendar saved.');
    expect((await h.t.as().get(`/api/calendars/${created.body.id}`)).body.dates).toEqual({ '2026-12-26': [['10:00', '14:00']], '2026-12-29': [] });
    expect(await page.getByLabel('Own hours 2: date', { exact: true }).inputValue()).toBe('2026-12-29');

    // A file with a mistake is refused under the file field; the right one is imported.
    await page.getByLabel('File (.xml or .csv)').setInputFiles({ name: 'dates.csv', mimeType: 'text/csv', buffer: Buffer.from('2027-05-15,9-18\n') });
    await page.getByRole('button', { name: 'Import the file' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#f-file-error').textContent()).toBe('Nothing was imported: line 1 (2027-05-15): "9-18" is not an interval HH:MM-HH:MM');
    await expectPageOk(page);
    await page.getByLabel('File (.xml or .csv)').setInputFiles(fileURLToPath(new URL('../fixtures/ru-2027.xml', import.meta.url)));
    await page.getByRole('combobox', { name: 'A weekend date made a working day has the hours of' }).selectOption('tue');
    await page.getByRole('button', { name: 'Import the file' }).click();
    await page.waitForURL((url) => url.searchParams.has('notice'));
    expect(await page.locator('.notice').textContent()).toBe('Imported 2027: 19 days closed, 5 shortened, 1 working day.');
    expect(Object.keys((await h.t.as().get(`/api/calendars/${created.body.id}`)).body.dates)).toHaveLength(27);
    await expectPageOk(page);
    await screenshot(page, 'admin-calendar-dates');
  });
});
