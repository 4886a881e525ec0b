import { readFileSync } from 'node:fs';
import { fieldId } from '../../src/web/form-fields.js';
import { createCalendar } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { decode, errorAt, fieldsInError, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

/** A plausible 2027 production calendar (not the official one): 19 days off, 5 short days, 1 working Saturday. */
const RU_2027 = readFileSync(new URL('../fixtures/ru-2027.xml', import.meta.url), 'utf8');

const MOSCOW = {
  name: 'Moscow office',
  timezone: 'Europe/Moscow',
  hours: { mon: [['09:00', '18:00']], tue: [['10:00', '19:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
  holidayPreset: 'RU',
};

/** The calendar form as a browser posts it, with dated hours: a short Saturday, a closed Tuesday, a blank row. */
function calendarForm(dates: { date: string; from: string; until: string }[]) {
  return {
    name: 'Moscow office',
    timezone: 'Europe/Moscow',
    hours: Object.fromEntries(Object.entries(MOSCOW.hours).map(([day, [[from, until]]]) => [day, [{ from, until }, { from: '', until: '' }]])),
    holidays: '2026-12-31',
    holidayPreset: 'RU',
    breaks: [{ date: '', from: '', until: '' }],
    dates,
  };
}

/** The text of the confirmation shown after a redirect. */
function notice(html: string): string | null {
  const match = /<p class="notice"[^>]*>([^<]*)<\/p>/.exec(html);
  return match ? decode(match[1]).trim() : null;
}

describe('the admin calendar page: dated hours and their yearly import', () => {
  let t: TestApp;
  let org: SeededOrg;
  let admin: Session;
  let head: Session;
  let calendarId: string;

  async function stored(id = calendarId) {
    const response = await t.as().get(`/api/calendars/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Posts the upload form as a browser does: multipart, the file and the weekday, the CSRF token unless left out. */
  function upload(session: Session, id: string, content: string | Buffer, fileName = 'ru-2027.xml', fields: Record<string, string> = { workdayAs: 'mon' }, csrf = true) {
    let post = session.agent.post(`/admin/calendars/${id}/dates/import`);
    if (csrf) post = post.field('_csrf', session.csrf);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    return post.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), fileName);
  }

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t, MOSCOW);
    admin = await pageSession(t, TEST_ADMIN_TOKEN);
    head = await pageSession(t, org.salesHead.token);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows for which years the preset is the official production calendar, and blank rows for dated hours', async () => {
    const page = await admin.get(`/admin/calendars/${calendarId}`);
    expect(page.status).toBe(200);
    expect(decode(/<p class="hint" id="official-years">([^<]*)<\/p>/.exec(page.text)?.[1] ?? '')).toMatch(/^For 2024, 2025 and 2026, RU is the official production calendar/);
    expect(shownValue(page.text, 'dates[0].date')).toBe('');
    expect(shownValue(page.text, 'dates[1].until')).toBe('');
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(shownValue(page.text, 'workdayAs')).toBe('mon');
    const paris = await admin.get(`/admin/calendars/${await createCalendar(t, { ...MOSCOW, name: 'Paris', timezone: 'Europe/Paris', holidayPreset: 'FR' })}`);
    expect(paris.text).not.toContain('id="official-years"');
  });

  it('saves dated hours typed in rows: intervals of a date grouped, a date without times closed', async () => {
    const page = await admin.post(`/admin/calendars/${calendarId}`, calendarForm([
      { date: '2026-12-26', from: '10:00', until: '12:00' },
      { date: '2026-12-29', from: '', until: '' },
      { date: '', from: '', until: '' },
      { date: '2026-12-26', from: '13:00', until: '14:00' },
    ]));
    expect(page.status).toBe(303);
    expect((await stored()).dates).toEqual({ '2026-12-26': [['10:00', '12:00'], ['13:00', '14:00']], '2026-12-29': [] });
    const edit = await admin.get(page.headers.location);
    expect(shownValue(edit.text, 'dates[0].date')).toBe('2026-12-26');
    expect(shownValue(edit.text, 'dates[1].from')).toBe('13:00');
    expect(shownValue(edit.text, 'dates[2].date')).toBe('2026-12-29');
    expect(shownValue(edit.text, 'dates[2].from')).toBe('');
    expect(shownValue(edit.text, 'dates[3].date')).toBe('');
    // Saved again unchanged, the page keeps them as they are.
    expect((await admin.post(`/admin/calendars/${calendarId}`, calendarForm([
      { date: '2026-12-26', from: '10:00', until: '12:00' },
      { date: '2026-12-26', from: '13:00', until: '14:00' },
      { date: '2026-12-29', from: '', until: '' },
    ]))).status).toBe(303);
    expect((await stored()).dates).toEqual({ '2026-12-26': [['10:00', '12:00'], ['13:00', '14:00']], '2026-12-29': [] });
  });

  it('names each faulty dated row next to itself, keeps what was typed, and changes nothing', async () => {
    const before = await stored();
    const page = await admin.post(`/admin/calendars/${calendarId}`, calendarForm([
      { date: '2026-02-30', from: '10:00', until: '12:00' },
      { date: '2026-12-26', from: '10:00', until: '12:00' },
      { date: '2026-12-26', from: '11:00', until: '13:00' },
      { date: '2026-12-31', from: '', until: '' },
      { date: '2026-12-30', from: '09:00', until: '08:00' },
    ]));
    expect(page.status).toBe(400);
    expect(errorAt(page.text, 'dates[0].date')).toMatch(/dates.2026-02-30 is not a date/);
    expect(errorAt(page.text, 'dates[2].from')).toBe('Own hours 3: overlaps dates.2026-12-26[0]');
    expect(errorAt(page.text, 'dates[3].date')).toMatch(/is also in holidays/);
    expect(errorAt(page.text, 'dates[4].until')).toBe('Own hours 5: ends (08:00) before or when it starts (09:00)');
    expect(fieldsInError(page.text).sort()).toEqual(['dates[0].date', 'dates[2].from', 'dates[3].date', 'dates[4].until'].map(fieldId).sort());
    expect(shownValue(page.text, 'dates[0].date')).toBe('2026-02-30');
    expect(shownValue(page.text, 'dates[4].until')).toBe('08:00');
    expect(await stored()).toEqual(before);
  });

  it('imports an xmlcalendar year from the upload and says what it did', async () => {
    const page = await upload(admin, calendarId, RU_2027, 'ru-2027.xml', { workdayAs: 'tue' });
    expect(page.status).toBe(303);
    const shown = await admin.get(page.headers.location);
    expect(notice(shown.text)).toBe('Imported 2027: 19 days closed, 5 shortened, 1 working day.');
    const calendar = await stored();
    expect(calendar.dates).toMatchObject({ '2026-12-26': [['10:00', '12:00'], ['13:00', '14:00']], '2027-01-04': [], '2027-11-13': [['10:00', '19:00']], '2027-02-22': [['09:00', '17:00']] });
    expect(shownValue(shown.text, 'dates[3].date')).toBe('2027-01-01');
    const audit = await t.as().get(`/api/audit?entityType=calendar&entityId=${calendarId}`);
    expect(audit.body.items.filter((entry: { action: string }) => entry.action === 'update')).toHaveLength(3);
  });

  it('imports CSV rows, and names dates it keeps as holidays', async () => {
    const page = await upload(admin, calendarId, 'date,hours\n2026-12-31,10:00-14:00\n2027-05-15,09:00-18:00\n', 'dates.csv');
    expect(page.status).toBe(303);
    // Rows of two years have no one year to name; the row kept as a holiday is not counted as imported.
    expect(notice((await admin.get(page.headers.location)).text)).toBe(
      'Imported dated hours: 0 days closed, 0 shortened, 1 working day. Kept as holidays (they are in Closed dates): 2026-12-31.',
    );
    const calendar = await stored();
    expect(calendar.dates['2027-05-15']).toEqual([['09:00', '18:00']]);
    expect(calendar.dates['2026-12-31']).toBeUndefined();
  });

  it('refuses a malformed file under the file field, naming the line, and changes nothing', async () => {
    const before = await stored();
    const page = await upload(admin, calendarId, RU_2027.replace('<day d="02.22" t="2"/>', '<day d="02.22" t="4"/>'), 'ru-2027.xml', { workdayAs: 'fri' });
    expect(page.status).toBe(400);
    expect(errorAt(page.text, 'file')).toMatch(/^Nothing was imported: line 29 \(2027-02-22\): /);
    expect(fieldsInError(page.text)).toEqual([fieldId('file')]);
    expect(page.text).toContain(`<a href="#${fieldId('file')}">file</a>`);
    expect(shownValue(page.text, 'workdayAs')).toBe('fri');
    expect(await stored()).toEqual(before);

    const csv = await upload(admin, calendarId, '2027-05-15,9-18\n', 'dates.csv');
    expect(csv.status).toBe(400);
    expect(errorAt(csv.text, 'file')).toBe('Nothing was imported: line 1 (2027-05-15): "9-18" is not an interval HH:MM-HH:MM');
    expect(await stored()).toEqual(before);
  });

  it('refuses no file, an unknown weekday, a file too large, and a file that is not UTF-8, each under its field', async () => {
    const before = await stored();
    const none = await admin.agent.post(`/admin/calendars/${calendarId}/dates/import`).field('_csrf', admin.csrf).field('workdayAs', 'mon');
    expect(none.status).toBe(400);
    expect(errorAt(none.text, 'file')).toMatch(/choose a file to import/);
    const form = await admin.post(`/admin/calendars/${calendarId}/dates/import`, { workdayAs: 'mon' });
    expect(form.status).toBe(400);
    expect(errorAt(form.text, 'file')).toMatch(/choose a file to import/);
    const weekday = await upload(admin, calendarId, RU_2027, 'ru-2027.xml', { workdayAs: 'funday' });
    expect(weekday.status).toBe(400);
    expect(errorAt(weekday.text, 'workdayAs')).toMatch(/workdayAs must be a weekday/);
    const huge = await upload(admin, calendarId, '2027-05-15,09:00-18:00\n'.repeat(50_000), 'dates.csv');
    expect(huge.status).toBe(413);
    expect(errorAt(huge.text, 'file')).toMatch(/larger than a dated-hours import may be/);
    const latin1 = await upload(admin, calendarId, Buffer.from([0x32, 0x30, 0xe9, 0x0a]), 'dates.csv');
    expect(latin1.status).toBe(400);
    expect(errorAt(latin1.text, 'file')).toBe('Nothing was imported: the file is not UTF-8 text');
    const twoFiles = await upload(admin, calendarId, RU_2027).attach('other', Buffer.from('x'), 'other.csv');
    expect(twoFiles.status).toBe(400);
    expect(errorAt(twoFiles.text, 'file')).toMatch(/the upload could not be read/);
    expect(await stored()).toEqual(before);
  });

  it('refuses the upload without the CSRF token, from a head, or for an unknown calendar, changing nothing', async () => {
    const before = await stored();
    expect((await upload(admin, calendarId, RU_2027, 'ru-2027.xml', { workdayAs: 'mon' }, false)).status).toBe(403);
    expect((await upload(head, calendarId, RU_2027)).status).toBe(403);
    expect((await upload(admin, '00000000-0000-4000-8000-000000000000', RU_2027)).status).toBe(404);
    expect((await upload(admin, 'not-an-id', RU_2027)).status).toBe(400);
    expect(await stored()).toEqual(before);
  });
});
