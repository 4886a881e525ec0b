import { fieldId } from '../../src/web/form-fields.js';
import { createCalendar, PARIS_OFFICE } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { decode, errorAt, fieldsInError, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const HOSTILE = `<script>window.__pwned=1</script>"'&`;

/** The message at the top of a form for a refusal that names no field (a 409 on delete). */
function formProblem(html: string): string | null {
  const match = /<p class="problem" id="f-form">([^<]*)<\/p>/.exec(html);
  return match ? decode(match[1]).trim() : null;
}

/** A calendar form as a browser posts it: split Monday, plain Tuesday, every other day blank rows. */
function calendarForm(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Lyon office',
    timezone: 'Europe/Paris',
    hours: {
      mon: [{ from: '09:00', until: '12:30' }, { from: '13:30', until: '18:00' }, { from: '', until: '' }],
      tue: [{ from: '09:00', until: '18:00' }, { from: '', until: '' }],
      wed: [{ from: '', until: '' }, { from: '', until: '' }],
    },
    holidays: '2026-12-25\r\n2027-01-01',
    holidayPreset: 'FR',
    breaks: [{ date: '2026-12-24', from: '14:00', until: '18:00' }, { date: '', from: '', until: '' }],
    ...overrides,
  };
}

describe('admin pages: every form post, refused as it should be', () => {
  let t: TestApp;
  let org: SeededOrg;
  let admin: Session;
  let head: Session;
  let calendarId: string;
  let adminId: string;

  async function total(path: string): Promise<number> {
    const response = await t.as().get(`${path}${path.includes('?') ? '&' : '?'}limit=1`);
    expect(response.status).toBe(200);
    return response.body.total;
  }

  async function stored(path: string) {
    const response = await t.as().get(path);
    expect(response.status).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t, PARIS_OFFICE);
    adminId = (await t.as().get('/api/people?role=admin')).body.items[0].id;
    admin = await pageSession(t, TEST_ADMIN_TOKEN);
    head = await pageSession(t, org.marketingHead.token);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('who may use them', () => {
    it('refuses every page and every post to someone who is not an admin (403), and changes nothing', async () => {
      for (const path of ['/admin/calendars', '/admin/calendars/new', `/admin/calendars/${calendarId}`, '/admin/departments', '/admin/departments/new', `/admin/departments/${org.sales.id}`, '/admin/people', '/admin/people/new', `/admin/people/${org.salesMember.id}`]) {
        const page = await head.get(path);
        expect({ path, status: page.status }).toEqual({ path, status: 403 });
        expect(page.text).toContain('only admin may open this page');
      }
      const posts: [string, Record<string, unknown>][] = [
        ['/admin/calendars', calendarForm()],
        [`/admin/calendars/${calendarId}`, calendarForm()],
        [`/admin/calendars/${calendarId}/delete`, {}],
        [`/admin/calendars/${calendarId}/dates/import`, { workdayAs: 'mon' }],
        ['/admin/departments', { name: 'Finance', timezone: 'Europe/Paris' }],
        [`/admin/departments/${org.sales.id}`, { name: 'Taken over', slug: 'sales', timezone: 'Europe/Paris' }],
        [`/admin/departments/${org.sales.id}/delete`, {}],
        ['/admin/people', { name: 'Intruder', email: 'intruder@example.com', role: 'admin' }],
        [`/admin/people/${org.marketingHead.id}`, { name: 'Me', email: 'maelle@example.com', role: 'admin', departmentId: '', timezone: 'UTC' }],
        [`/admin/people/${org.salesMember.id}/delete`, {}],
        [`/admin/people/${org.salesMember.id}/tokens`, { token: { name: 'stolen' } }],
      ];
      const before = { calendars: await total('/api/calendars'), departments: await total('/api/departments'), people: await total('/api/people') };
      for (const [path, form] of posts) {
        const page = await head.post(path, form);
        expect({ path, status: page.status }).toEqual({ path, status: 403 });
      }
      expect({ calendars: await total('/api/calendars'), departments: await total('/api/departments'), people: await total('/api/people') }).toEqual(before);
      expect((await stored(`/api/people/${org.marketingHead.id}`)).role).toBe('head');
      expect((await stored(`/api/people/${org.salesMember.id}/tokens`)).map((token: { name: string }) => token.name)).toEqual(['tests']);
    });

    it('refuses every post sent without the CSRF token (403), even from an admin', async () => {
      const before = { calendars: await total('/api/calendars'), departments: await total('/api/departments'), people: await total('/api/people') };
      const tokenId = (await stored(`/api/people/${org.salesMember.id}/tokens`))[0].id;
      for (const path of [
        '/admin/calendars',
        `/admin/calendars/${calendarId}`,
        `/admin/calendars/${calendarId}/delete`,
        `/admin/calendars/${calendarId}/dates/import`,
        '/admin/departments',
        `/admin/departments/${org.sales.id}`,
        `/admin/departments/${org.sales.id}/delete`,
        '/admin/people',
        `/admin/people/${org.salesMember.id}`,
        `/admin/people/${org.salesMember.id}/delete`,
        `/admin/people/${org.salesMember.id}/tokens`,
        `/admin/people/${org.salesMember.id}/tokens/${tokenId}/revoke`,
      ]) {
        const page = await admin.forge(path, { name: 'Forged', email: 'forged@example.com', role: 'admin', timezone: 'UTC' });
        expect({ path, status: page.status }).toEqual({ path, status: 403 });
      }
      expect({ calendars: await total('/api/calendars'), departments: await total('/api/departments'), people: await total('/api/people') }).toEqual(before);
      expect((await stored(`/api/people/${org.salesMember.id}/tokens`))[0].revokedAt).toBeNull();
    });
  });

  describe('calendars', () => {
    it('names an interval ending before it starts next to its "until", keeps every value typed, and creates nothing', async () => {
      const before = await total('/api/calendars');
      const form = calendarForm({ name: HOSTILE });
      form.hours.mon[1] = { from: '13:30', until: '08:00' };
      const page = await admin.post('/admin/calendars', form);
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'hours.mon[1].until')).toBe('Monday 2: ends (08:00) before or when it starts (13:30)');
      expect(fieldsInError(page.text)).toEqual([fieldId('hours.mon[1].until')]);
      expect(page.text).toContain(`<a href="#${fieldId('hours.mon[1].until')}">`);
      expect(shownValue(page.text, 'name')).toBe(HOSTILE);
      expect(page.text).not.toContain('<script>window.__pwned');
      expect(shownValue(page.text, 'hours.mon[0].from')).toBe('09:00');
      expect(shownValue(page.text, 'hours.mon[1].from')).toBe('13:30');
      expect(shownValue(page.text, 'hours.mon[1].until')).toBe('08:00');
      expect(shownValue(page.text, 'hours.tue[0].until')).toBe('18:00');
      expect(shownValue(page.text, 'holidays')).toBe('2026-12-25\n2027-01-01');
      expect(shownValue(page.text, 'holidayPreset')).toBe('FR');
      expect(shownValue(page.text, 'breaks[0].date')).toBe('2026-12-24');
      expect(shownValue(page.text, 'breaks[0].until')).toBe('18:00');
      expect(await total('/api/calendars')).toBe(before);
    });

    it('names each malformed field next to itself', async () => {
      const before = await total('/api/calendars');
      const form = calendarForm({
        name: '  ',
        timezone: 'Mars/Olympus',
        holidays: '2026-12-25\r\n\r\n2026-02-30',
        holidayPreset: 'Atlantis',
        breaks: [{ date: '2026-12-24', from: 'noon', until: '18:00' }, { date: '', from: '10:00', until: '11:00' }],
      });
      form.hours.mon = [{ from: '09:00', until: '13:00' }, { from: '12:00', until: '18:00' }, { from: '', until: '' }];
      form.hours.tue = [{ from: '', until: '' }, { from: '25:00', until: '' }];
      const page = await admin.post('/admin/calendars', form);
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'name')).toMatch(/name must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(errorAt(page.text, 'hours.mon[1].from')).toBe('Monday 2: overlaps hours.mon[0]');
      // The blank first Tuesday row is dropped: the typed one is shown, and named, as the first.
      expect(errorAt(page.text, 'hours.tue[0].from')).toMatch(/^Tuesday 1: start "25:00" is not a time of day/);
      expect(errorAt(page.text, 'hours.tue[0].until')).toMatch(/^Tuesday 1: end "" is not a time of day/);
      expect(shownValue(page.text, 'hours.tue[0].from')).toBe('25:00');
      expect(errorAt(page.text, 'holidays')).toMatch(/"2026-02-30" is not a date/);
      expect(errorAt(page.text, 'holidayPreset')).toMatch(/not a known country/);
      expect(errorAt(page.text, 'breaks[0].from')).toMatch(/^Closed part 1: start "noon" is not a time of day/);
      expect(errorAt(page.text, 'breaks[1].date')).toMatch(/is not a date/);
      expect(fieldsInError(page.text).sort()).toEqual(
        ['name', 'timezone', 'hours.mon[1].from', 'hours.tue[0].from', 'hours.tue[0].until', 'holidays', 'holidayPreset', 'breaks[0].from', 'breaks[1].date'].map(fieldId).sort(),
      );
      expect(shownValue(page.text, 'breaks[0].from')).toBe('noon');
      expect(shownValue(page.text, 'timezone')).toBe('Mars/Olympus');
      expect(await total('/api/calendars')).toBe(before);
    });

    it('asks for at least one working interval, at the first one', async () => {
      const page = await admin.post('/admin/calendars', calendarForm({ hours: { mon: [{ from: '', until: '' }] } }));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'hours.mon[0].from')).toMatch(/must open at least one interval in the week/);
    });

    it('creates a calendar with split hours, holidays, a preset and a closed afternoon, and shows when a lead would be due', async () => {
      const page = await admin.post('/admin/calendars', calendarForm());
      expect(page.status).toBe(303);
      const id = /^\/admin\/calendars\/([0-9a-f-]{36})\?notice=Calendar%20created/.exec(page.headers.location)?.[1] as string;
      expect(id).toBeDefined();
      expect(await stored(`/api/calendars/${id}`)).toMatchObject({
        name: 'Lyon office',
        timezone: 'Europe/Paris',
        hours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], tue: [['09:00', '18:00']] },
        holidays: ['2026-12-25', '2027-01-01'],
        holidayPreset: 'FR',
        breaks: { '2026-12-24': [['14:00', '18:00']] },
      });
      expect((await stored(`/api/calendars/${id}`)).hours.wed).toBeUndefined();
      const edit = await admin.get(page.headers.location);
      expect(edit.status).toBe(200);
      // The test clock is Monday 2 November 2026, 09:00 in Paris: one working hour later is 10:00
      // there, shown in the admin's own zone (UTC) with the calendar's beside.
      expect(edit.text).toContain('would be due after one working hour at <strong>Mon 2 Nov 2026, 09:00 UTC (2026-11-02T09:00Z) · 10:00 in Europe/Paris</strong>');
      expect(shownValue(edit.text, 'hours.mon[1].from')).toBe('13:30');
      expect(shownValue(edit.text, 'hours.mon[2].from')).toBe('');
      expect(shownValue(edit.text, 'breaks[0].date')).toBe('2026-12-24');
    });

    it('refuses an invalid change next to its field, keeps it as typed, and leaves the calendar as it was', async () => {
      const before = await stored(`/api/calendars/${calendarId}`);
      const form = calendarForm({ name: 'Renamed', timezone: '' });
      form.hours.mon[0] = { from: '10:00', until: '10:00' };
      const page = await admin.post(`/admin/calendars/${calendarId}`, form);
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'hours.mon[0].until')).toBe('Monday 1: ends (10:00) before or when it starts (10:00)');
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(shownValue(page.text, 'name')).toBe('Renamed');
      expect(page.text).toContain('With the hours saved, a lead arriving now');
      expect(await stored(`/api/calendars/${calendarId}`)).toEqual(before);
    });

    it('saves a valid change', async () => {
      const page = await admin.post(`/admin/calendars/${calendarId}`, { ...calendarForm({ name: 'Paris office', holidayPreset: '', holidays: '', breaks: [] }) });
      expect(page.status).toBe(303);
      expect(await stored(`/api/calendars/${calendarId}`)).toMatchObject({ name: 'Paris office', holidayPreset: null, holidays: [], breaks: {}, version: 2 });
    });

    it('refuses to delete a calendar a department uses (409) and says why; an unknown one is a 404', async () => {
      const department = await t.as().post('/api/departments').send({ name: 'Finance', calendarId });
      expect(department.status).toBe(201);
      const page = await admin.post(`/admin/calendars/${calendarId}/delete`);
      expect(page.status).toBe(409);
      expect(formProblem(page.text)).toMatch(/is the calendar of finance; give them another first/);
      expect(page.text).toContain('<a href="#f-form">form</a>');
      await stored(`/api/calendars/${calendarId}`);
      expect((await admin.post(`/admin/calendars/${UNKNOWN_ID}/delete`)).status).toBe(404);
      expect((await admin.post('/admin/calendars/not-an-id/delete')).status).toBe(400);
    });

    it('deletes an unused calendar', async () => {
      const id = await createCalendar(t, { ...PARIS_OFFICE, name: 'Spare' });
      const page = await admin.post(`/admin/calendars/${id}/delete`);
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(/^\/admin\/calendars\?notice=Calendar%20Spare%20deleted\./);
      expect((await t.as().get(`/api/calendars/${id}`)).status).toBe(404);
    });

    it('lists names as text, never as markup', async () => {
      await createCalendar(t, { ...PARIS_OFFICE, name: HOSTILE });
      const page = await admin.get('/admin/calendars');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>window.__pwned');
      expect(page.text).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    });
  });

  describe('departments', () => {
    it('names each malformed field next to itself, keeps what was typed, and creates nothing', async () => {
      const before = await total('/api/departments');
      const page = await admin.post('/admin/departments', { name: '', slug: 'Not A Slug', timezone: 'Nowhere/Land', calendarId: 'not-a-uuid' });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'name')).toMatch(/name must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'slug')).toMatch(/slug must be lower-case letters/);
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(errorAt(page.text, 'calendarId')).toMatch(/calendarId must be a UUID/);
      expect(shownValue(page.text, 'slug')).toBe('Not A Slug');
      expect(shownValue(page.text, 'timezone')).toBe('Nowhere/Land');
      expect(await total('/api/departments')).toBe(before);
    });

    it('asks for a time zone when no calendar gives one, and refuses a taken slug (409) or an unknown calendar (404)', async () => {
      const before = await total('/api/departments');
      const noZone = await admin.post('/admin/departments', { name: 'Legal', slug: '', timezone: '', calendarId: '' });
      expect(noZone.status).toBe(400);
      expect(errorAt(noZone.text, 'timezone')).toBe('timezone is required when no calendarId is given');
      expect(shownValue(noZone.text, 'name')).toBe('Legal');

      const taken = await admin.post('/admin/departments', { name: 'Marketing bis', slug: 'marketing', timezone: 'Europe/Paris', calendarId: '' });
      expect(taken.status).toBe(409);
      expect(errorAt(taken.text, 'slug')).toBe('"marketing" is already used by department Marketing');
      expect(shownValue(taken.text, 'name')).toBe('Marketing bis');

      const unknown = await admin.post('/admin/departments', { name: 'Legal', slug: '', timezone: '', calendarId: UNKNOWN_ID });
      expect(unknown.status).toBe(404);
      expect(errorAt(unknown.text, 'calendarId')).toBe(`calendar ${UNKNOWN_ID} does not exist`);
      expect(await total('/api/departments')).toBe(before);
    });

    it('creates a department on a calendar, its time zone taken from it', async () => {
      const page = await admin.post('/admin/departments', { name: 'Customer success', slug: '', timezone: '', calendarId });
      expect(page.status).toBe(303);
      const id = /^\/admin\/departments\/([0-9a-f-]{36})\?notice=/.exec(page.headers.location)?.[1] as string;
      expect(await stored(`/api/departments/${id}`)).toMatchObject({ name: 'Customer success', slug: 'customer-success', timezone: 'Europe/Paris', calendarId });
    });

    it('refuses an emptied slug or time zone on edit, and leaves the department as it was', async () => {
      const before = await stored(`/api/departments/${org.sales.id}`);
      const page = await admin.post(`/admin/departments/${org.sales.id}`, { name: 'Sales EMEA', slug: '', timezone: '', calendarId });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'slug')).toMatch(/slug must be/);
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(shownValue(page.text, 'name')).toBe('Sales EMEA');
      expect(shownValue(page.text, 'calendarId')).toBe(calendarId);
      const taken = await admin.post(`/admin/departments/${org.sales.id}`, { name: 'Sales', slug: 'marketing', timezone: 'Europe/Paris', calendarId: '' });
      expect(taken.status).toBe(409);
      expect(errorAt(taken.text, 'slug')).toMatch(/already used by department Marketing/);
      expect(await stored(`/api/departments/${org.sales.id}`)).toEqual(before);
    });

    it('refuses to delete a department that still has people (409) and says why', async () => {
      const page = await admin.post(`/admin/departments/${org.sales.id}/delete`);
      expect(page.status).toBe(409);
      expect(formProblem(page.text)).toMatch(/still has 2 people; move or delete them first/);
      await stored(`/api/departments/${org.sales.id}`);
      expect((await admin.post(`/admin/departments/${UNKNOWN_ID}/delete`)).status).toBe(404);
    });
  });

  describe('people', () => {
    const person = (overrides: Record<string, unknown> = {}) => ({ name: 'Paula New', email: 'paula@example.com', role: 'member', departmentId: org.sales.id, timezone: '', ...overrides });

    it('filters the list by department, and names a malformed filter next to it', async () => {
      const page = await admin.get(`/admin/people?departmentId=${org.sales.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Sofia Member');
      expect(page.text).not.toContain('Marc Member');
      const bad = await admin.get('/admin/people?departmentId=sales&role=boss');
      expect(bad.status).toBe(400);
      expect(errorAt(bad.text, 'departmentId')).toMatch(/departmentId must be a UUID/);
      expect(errorAt(bad.text, 'role')).toMatch(/role must be one of/);
    });

    it('names each malformed field next to itself, keeps what was typed, and adds nobody', async () => {
      const before = await total('/api/people');
      const page = await admin.post('/admin/people', person({ name: HOSTILE, email: 'not an email', role: 'boss', timezone: 'Moon/Base' }));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'email')).toMatch(/email must be an email/);
      expect(errorAt(page.text, 'role')).toMatch(/role must be one of/);
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(shownValue(page.text, 'name')).toBe(HOSTILE);
      expect(page.text).not.toContain('<script>window.__pwned');
      expect(shownValue(page.text, 'email')).toBe('not an email');
      expect(shownValue(page.text, 'departmentId')).toBe(org.sales.id);
      expect(await total('/api/people')).toBe(before);
    });

    it('asks a member for a department, and refuses a second head (409) or a taken email (409) next to the field', async () => {
      const before = await total('/api/people');
      const noDepartment = await admin.post('/admin/people', person({ departmentId: '' }));
      expect(noDepartment.status).toBe(400);
      expect(errorAt(noDepartment.text, 'departmentId')).toBe('departmentId is required for a member');
      const secondHead = await admin.post('/admin/people', person({ role: 'head' }));
      expect(secondHead.status).toBe(409);
      expect(errorAt(secondHead.text, 'role')).toMatch(/department sales already has a head \(Samir Head\)/);
      expect(shownValue(secondHead.text, 'role')).toBe('head');
      const takenEmail = await admin.post('/admin/people', person({ email: 'SOFIA@example.com' }));
      expect(takenEmail.status).toBe(409);
      expect(errorAt(takenEmail.text, 'email')).toBe('sofia@example.com is already the email of another person');
      const unknownDepartment = await admin.post('/admin/people', person({ departmentId: UNKNOWN_ID }));
      expect(unknownDepartment.status).toBe(404);
      expect(errorAt(unknownDepartment.text, 'departmentId')).toBe(`department ${UNKNOWN_ID} does not exist`);
      expect(await total('/api/people')).toBe(before);
    });

    it('adds a person, their time zone taken from the department', async () => {
      const page = await admin.post('/admin/people', person());
      expect(page.status).toBe(303);
      const id = /^\/admin\/people\/([0-9a-f-]{36})\?notice=Paula%20New%20added/.exec(page.headers.location)?.[1] as string;
      expect(await stored(`/api/people/${id}`)).toMatchObject({ name: 'Paula New', email: 'paula@example.com', role: 'member', departmentId: org.sales.id, timezone: 'Europe/Paris' });
    });

    it('refuses an invalid change next to its field and leaves the person as they were', async () => {
      const before = await stored(`/api/people/${org.salesMember.id}`);
      const page = await admin.post(`/admin/people/${org.salesMember.id}`, { name: '', email: 'sofia@example.com', role: 'head', departmentId: org.sales.id, timezone: '' });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'name')).toMatch(/name must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'timezone')).toMatch(/IANA time zone/);
      expect(shownValue(page.text, 'role')).toBe('head');
      const secondHead = await admin.post(`/admin/people/${org.salesMember.id}`, { name: 'Sofia Member', email: 'sofia@example.com', role: 'head', departmentId: org.sales.id, timezone: 'Europe/Paris' });
      expect(secondHead.status).toBe(409);
      expect(errorAt(secondHead.text, 'role')).toMatch(/already has a head/);
      expect(await stored(`/api/people/${org.salesMember.id}`)).toEqual(before);
    });

    it('takes a person’s access away when “Active” is unticked, and gives it back when ticked', async () => {
      const fields = { name: 'Sofia Member', email: 'sofia@example.com', role: 'member', departmentId: org.sales.id, timezone: 'Europe/Paris' };
      const off = await admin.post(`/admin/people/${org.salesMember.id}`, fields);
      expect(off.status).toBe(303);
      expect((await stored(`/api/people/${org.salesMember.id}`)).active).toBe(false);
      expect((await t.as(org.salesMember.token).get('/api/people')).status).toBe(401);
      const list = await admin.get('/admin/people');
      expect(list.text).toMatch(/>Sofia Member<\/a> <span class="badge bad">no access<\/span>/);
      const on = await admin.post(`/admin/people/${org.salesMember.id}`, { ...fields, active: 'true' });
      expect(on.status).toBe(303);
      expect((await stored(`/api/people/${org.salesMember.id}`)).active).toBe(true);
      expect((await t.as(org.salesMember.token).get('/api/people')).status).toBe(200);
      expect((await admin.get(`/admin/people/${org.salesMember.id}`)).text).toMatch(/id="f-active"[^>]*value="true" checked/);
    });

    it('refuses to demote or delete the last admin (409) and says why', async () => {
      const demote = await admin.post(`/admin/people/${adminId}`, { name: 'Admin', email: 'admin@example.com', role: 'member', departmentId: org.sales.id, timezone: 'UTC' });
      expect(demote.status).toBe(409);
      expect(formProblem(demote.text)).toBe('this is the last active admin; make someone else admin first');
      const remove = await admin.post(`/admin/people/${adminId}/delete`);
      expect(remove.status).toBe(409);
      expect(formProblem(remove.text)).toBe('this is the last active admin; make someone else admin first');
      expect((await stored(`/api/people/${adminId}`)).role).toBe('admin');
      expect((await admin.post(`/admin/people/${UNKNOWN_ID}/delete`)).status).toBe(404);
    });

    it('refuses a token without a name or with an unknown scope next to its field, and issues none', async () => {
      const path = `/api/people/${org.salesMember.id}/tokens`;
      const before = (await stored(path)).length;
      const page = await admin.post(`/admin/people/${org.salesMember.id}/tokens`, { token: { name: '  ', scope: 'root' } });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'token.name')).toMatch(/name must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'token.scope')).toMatch(/scope must be one of/);
      // The person's own form, on the same page, is not the one in error.
      expect(errorAt(page.text, 'name')).toBeNull();
      expect(shownValue(page.text, 'name')).toBe('Sofia Member');
      const named = await admin.post(`/admin/people/${org.salesMember.id}/tokens`, { token: { name: HOSTILE, scope: 'root' } });
      expect(shownValue(named.text, 'token.name')).toBe(HOSTILE);
      expect(named.text).not.toContain('<script>window.__pwned');
      expect((await stored(path)).length).toBe(before);
      expect((await admin.post(`/admin/people/${UNKNOWN_ID}/tokens`, { token: { name: 'x' } })).status).toBe(404);
    });

    it('shows a new token once, which then signs its holder in; revoking it ends that', async () => {
      const page = await admin.post(`/admin/people/${org.salesMember.id}/tokens`, { token: { name: 'Laptop', scope: 'full' } });
      expect(page.status).toBe(200);
      expect(page.text).toContain('Copy this token now');
      const secret = decode(/<input type="text" id="issued-token" value="([^"]+)"/.exec(page.text)?.[1] ?? '');
      expect((await t.as(secret).get(`/api/people/${org.salesMember.id}`)).status).toBe(200);
      const again = await admin.get(`/admin/people/${org.salesMember.id}`);
      expect(again.text).not.toContain(secret);
      expect(again.text).toContain('Laptop');

      const token = (await stored(`/api/people/${org.salesMember.id}/tokens`)).find((item: { name: string }) => item.name === 'Laptop');
      expect((await admin.post(`/admin/people/${org.salesMember.id}/tokens/${UNKNOWN_ID}/revoke`)).status).toBe(404);
      const revoked = await admin.post(`/admin/people/${org.salesMember.id}/tokens/${token.id}/revoke`);
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toMatch(new RegExp(`^/admin/people/${org.salesMember.id}\\?notice=Token%20revoked`));
      expect((await admin.get(revoked.headers.location)).text).toContain('<span class="badge bad">revoked</span>');
      expect((await t.as(secret).get(`/api/people/${org.salesMember.id}`)).status).toBe(401);
    });

    it('deletes a person', async () => {
      const created = await t.as().post('/api/people').send({ name: 'Short Stay', email: 'short@example.com', role: 'member', departmentId: org.sales.id });
      const page = await admin.post(`/admin/people/${created.body.id}/delete`);
      expect(page.status).toBe(303);
      expect((await t.as().get(`/api/people/${created.body.id}`)).status).toBe(404);
    });
  });
});
