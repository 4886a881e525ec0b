import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { crmEvent, hotLeads, PARIS_OFFICE, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { clocksOf, sendEvents } from '../support/tracking-fixture.js';

/** Moscow office hours, 09:00–18:00 on weekdays, with Russia's official production calendar. */
const MOSCOW = { ...PARIS_OFFICE, name: 'Moscow office', timezone: 'Europe/Moscow', holidayPreset: 'RU' };

/** The dated hours of the issue: a Saturday open 10:00–14:00, a closed Tuesday, a short Wednesday. */
const YEAR_END = {
  name: 'Year-end',
  timezone: 'Europe/Paris',
  hours: MOSCOW.hours,
  dates: { '2026-12-26': [['10:00', '14:00']], '2026-12-29': [], '2026-12-30': [['09:00', '16:00']] },
};

/** A plausible 2027 production calendar (not the official one): 19 days off, 5 short days, 1 working Saturday. */
const RU_2027 = readFileSync(new URL('../fixtures/ru-2027.xml', import.meta.url), 'utf8');

describe('dated hours and official production calendars over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let moscow: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    moscow = await create(MOSCOW);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function create(body: object): Promise<string> {
    const created = await t.as().post('/api/calendars').send(body);
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function openAt(id: string, at: string): Promise<boolean> {
    const answer = await t.as(org.salesMember.token).get(`/api/calendars/${id}/open`).query({ at });
    expect(answer.status).toBe(200);
    return answer.body.open as boolean;
  }

  /** What a refused request must leave as it was: the calendar as read, its audit trail, the row count. */
  async function snapshot(id: string) {
    const dataSource = t.app.get(DataSource);
    const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM calendars');
    return {
      calendar: (await t.as().get(`/api/calendars/${id}`)).body,
      audit: (await t.as().get(`/api/audit?entityType=calendar&entityId=${id}`)).body.total,
      calendars: Number(n),
    };
  }

  /** The calendar's latest audit entry (entries of one instant may come in any order: the one with the highest version). */
  async function lastChange(id: string) {
    const audit = await t.as().get(`/api/audit?entityType=calendar&entityId=${id}`);
    return [...audit.body.items].sort((a, b) => (b.after?.version ?? 0) - (a.after?.version ?? 0))[0];
  }

  const importing = (id: string, body: string, contentType: string, token?: string) =>
    t.as(token).post(`/api/calendars/${id}/dates/import`).set('Content-Type', contentType).send(body);

  describe('the RU preset is the official production calendar', () => {
    it('says which years are official, and no year for other presets or none', async () => {
      expect((await t.as().get(`/api/calendars/${moscow}`)).body).toMatchObject({ holidayPreset: 'RU', dates: {}, officialYears: [2024, 2025, 2026] });
      const paris = await create({ ...MOSCOW, name: 'Paris', timezone: 'Europe/Paris', holidayPreset: 'FR' });
      expect((await t.as().get(`/api/calendars/${paris}`)).body.officialYears).toEqual([]);
      const plain = await create({ ...MOSCOW, name: 'Plain', holidayPreset: null });
      expect((await t.as().get(`/api/calendars/${plain}`)).body.officialYears).toEqual([]);
      expect((await t.as().get('/api/calendars')).body.items.find((c: { id: string }) => c.id === moscow).officialYears).toEqual([2024, 2025, 2026]);
    });

    it('2025: Saturday 1 November is a short working day, the days off moved by decree are closed', async () => {
      expect(await openAt(moscow, '2025-11-01T09:00:00+03:00')).toBe(true);
      expect(await openAt(moscow, '2025-11-01T16:59:59+03:00')).toBe(true);
      expect(await openAt(moscow, '2025-11-01T17:00:00+03:00')).toBe(false);
      for (const date of ['2025-11-03', '2025-05-02', '2025-05-08', '2025-06-13', '2025-12-31']) {
        expect({ date, open: await openAt(moscow, `${date}T12:00:00+03:00`) }).toEqual({ date, open: false });
      }
      // Ordinary weekdays around them stay open.
      expect(await openAt(moscow, '2025-11-05T12:00:00+03:00')).toBe(true);
      expect(await openAt(moscow, '2025-05-05T12:00:00+03:00')).toBe(true);
    });

    it('2025: a due time from Friday 31 October evening counts the working Saturday', async () => {
      const due = await t.as().get(`/api/calendars/${moscow}/due`).query({ from: '2025-10-31T17:30:00+03:00', duration: 'PT2H' });
      expect(due.body).toEqual({ due: '2025-11-01T07:30:00.000Z' }); // 30 min on Friday, 90 on Saturday: 10:30 Moscow
      // Friday 9 h + Saturday 8 h; Monday 3 and Tuesday 4 November are closed.
      const elapsed = await t.as().get(`/api/calendars/${moscow}/elapsed`).query({ from: '2025-10-31T09:00:00+03:00', to: '2025-11-05T09:00:00+03:00' });
      expect(elapsed.body).toEqual({ seconds: 17 * 3600 });
      const overSaturday = await t.as().get(`/api/calendars/${moscow}/due`).query({ from: '2025-11-01T16:00:00+03:00', duration: 'PT2H' });
      expect(overSaturday.body).toEqual({ due: '2025-11-05T07:00:00.000Z' }); // 1 h on Saturday, then Wednesday 09:00–10:00
    });

    it('2026: 9 January, 9 March, 11 May and 31 December are closed; 3 November ends an hour early', async () => {
      for (const date of ['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31']) {
        expect({ date, open: await openAt(moscow, `${date}T12:00:00+03:00`) }).toEqual({ date, open: false });
      }
      expect(await openAt(moscow, '2026-11-03T16:30:00+03:00')).toBe(true);
      expect(await openAt(moscow, '2026-11-03T17:00:00+03:00')).toBe(false);
      expect(await openAt(moscow, '2026-11-02T17:30:00+03:00')).toBe(true);
    });

    it("measures a hot lead's clock over the working Saturday, and moves it when the Saturday is closed", async () => {
      const desk = await create({ ...MOSCOW, name: 'Moscow lead desk' });
      t.clock.set('2025-10-01T06:00:00Z');
      const agreement = await signAgreement(t, org, { ...hotLeads(org, desk), name: 'Moscow hot leads' });
      t.clock.set('2025-10-31T15:00:00Z');
      await sendEvents(t, org.marketingMember.token, [crmEvent('lead.handed_over', 'RU-1', '2025-10-31T17:30:00+03:00', { score: 'hot' })]);
      // 30 minutes on Friday, 30 on Saturday: 09:30 Moscow.
      expect((await clocksOf(t, org.salesMember.token, 'RU-1', agreement))[0]).toMatchObject({ state: 'running', dueAt: '2025-11-01T06:30:00.000Z' });

      // The office will not open that Saturday after all: the lead is due Wednesday 09:30.
      const closed = await t.as().patch(`/api/calendars/${desk}`).send({ dates: { '2025-11-01': [] } });
      expect(closed.status).toBe(200);
      expect(closed.body.dates).toEqual({ '2025-11-01': [] });
      await t.as().post('/api/admin/sweep');
      expect((await clocksOf(t, org.salesMember.token, 'RU-1', agreement))[0]).toMatchObject({ state: 'running', dueAt: '2025-11-05T06:30:00.000Z' });

      // An import changes running clocks too: Wednesday 5 November opens at 10:00 only.
      const imported = await importing(desk, '2025-11-05,10:00-18:00\n', 'text/csv');
      expect(imported.status).toBe(200);
      await t.as().post('/api/admin/sweep');
      expect((await clocksOf(t, org.salesMember.token, 'RU-1', agreement))[0]).toMatchObject({ state: 'running', dueAt: '2025-11-05T07:30:00.000Z' });
    });
  });

  describe('dated hours', () => {
    it('are stored as sent, and win over the weekday, the preset and breaks', async () => {
      const id = await create(YEAR_END);
      const read = await t.as(org.salesMember.token).get(`/api/calendars/${id}`);
      expect(read.body).toMatchObject({ ...YEAR_END, version: 1 });
      expect(await openAt(id, '2026-12-26T11:00:00+01:00')).toBe(true); // a Saturday
      expect(await openAt(id, '2026-12-26T14:00:00+01:00')).toBe(false);
      expect(await openAt(id, '2026-12-29T11:00:00+01:00')).toBe(false); // a Tuesday
      expect(await openAt(id, '2026-12-30T15:59:00+01:00')).toBe(true);
      expect(await openAt(id, '2026-12-30T16:00:00+01:00')).toBe(false);

      // On the RU calendar: 3 November 2025, a day off by decree, opened for a morning; a break that day is overruled.
      const changed = await t.as().patch(`/api/calendars/${id}`).send({ timezone: 'Europe/Moscow', holidayPreset: 'RU', breaks: { '2025-11-03': [['09:00', '12:00']] }, dates: { '2025-11-03': [['10:00', '13:00']] } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ version: 2, dates: { '2025-11-03': [['10:00', '13:00']] }, officialYears: [2024, 2025, 2026] });
      expect(await openAt(id, '2025-11-03T10:30:00+03:00')).toBe(true);
      expect(await openAt(id, '2025-11-03T13:00:00+03:00')).toBe(false);
      expect(await lastChange(id)).toMatchObject({ action: 'update', after: expect.objectContaining({ dates: { '2025-11-03': [['10:00', '13:00']] } }) });
    });

    it.each([
      ['an impossible date', { '2026-02-30': [['09:00', '18:00']] }, 'dates.2026-02-30', /not a date/],
      ['a date written otherwise', { '30.12.2026': [] }, 'dates.30.12.2026', /not a date/],
      ['overlapping intervals', { '2026-12-26': [['10:00', '14:00'], ['13:00', '15:00']] }, 'dates.2026-12-26[1]', /overlaps dates.2026-12-26\[0\]/],
      ['an interval ending before it starts', { '2026-12-26': [['14:00', '10:00']] }, 'dates.2026-12-26[0]', /before or when it starts/],
      ['25:00', { '2026-12-26': [['10:00', '25:00']] }, 'dates.2026-12-26[0]', /"25:00" is not a time of day/],
      ['a date in holidays too', { '2026-12-25': [] }, 'dates.2026-12-25', /also in holidays/],
      ['hours that are not a list', { '2026-12-26': '10:00-14:00' }, 'dates.2026-12-26', /list of/],
      ['a list', [['10:00', '14:00']], 'dates', /object/],
      ['null', null, 'dates', /may be left out, but not null/],
    ])('refuses %s with 400 naming it, on create and on change, and changes nothing', async (_case, dates, field, message) => {
      const before = await snapshot(moscow);
      const created = await t.as().post('/api/calendars').send({ ...MOSCOW, holidays: ['2026-12-25'], dates });
      expect(created.status).toBe(400);
      expect(created.body.errors[field].join(' ')).toMatch(message);
      const changed = await t.as().patch(`/api/calendars/${moscow}`).send({ holidays: ['2026-12-25'], dates });
      expect(changed.status).toBe(400);
      expect(changed.body.errors[field].join(' ')).toMatch(message);
      expect(await snapshot(moscow)).toEqual(before);
    });

    it('accepts 24:00 as an end and [] for a closed date', async () => {
      const changed = await t.as().patch(`/api/calendars/${moscow}`).send({ dates: { '2026-12-27': [['00:00', '24:00']], '2026-12-28': [] } });
      expect(changed.status).toBe(200);
      expect(await openAt(moscow, '2026-12-27T23:59:00+03:00')).toBe(true);
      expect(await openAt(moscow, '2026-12-28T12:00:00+03:00')).toBe(false);
      expect((await t.as().patch(`/api/calendars/${moscow}`).send({ dates: {} })).body.dates).toEqual({});
    });
  });

  describe('the yearly import', () => {
    it('merges an xmlcalendar year into dates and answers a summary', async () => {
      const id = await create({ ...MOSCOW, name: 'Import 2027', holidayPreset: null, dates: { '2027-12-24': [['09:00', '15:00']], '2027-01-04': [['10:00', '12:00']] } });
      const answer = await importing(id, RU_2027, 'application/xml');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ year: 2027, closed: 19, shortened: 5, working: 1 });
      const read = (await t.as().get(`/api/calendars/${id}`)).body;
      expect(read.version).toBe(2);
      expect(read.dates).toMatchObject({
        '2027-01-04': [], // the file's day off replaces the calendar's own entry
        '2027-02-22': [['09:00', '17:00']],
        '2027-11-05': [],
        '2027-11-13': [['09:00', '18:00']], // a working Saturday, with Monday's hours
        '2027-12-24': [['09:00', '15:00']], // kept: not in the file
        '2027-12-31': [],
      });
      expect(Object.keys(read.dates)).toHaveLength(26);
      expect(await openAt(id, '2027-11-13T12:00:00+03:00')).toBe(true);
      expect(await openAt(id, '2027-11-05T12:00:00+03:00')).toBe(false);
      expect(await openAt(id, '2027-11-03T17:30:00+03:00')).toBe(false);
      expect(await lastChange(id)).toMatchObject({
        action: 'update',
        before: expect.objectContaining({ version: 1 }),
        after: expect.objectContaining({ version: 2, dates: read.dates }),
      });
    });

    it('gives working weekend dates the hours of ?workdayAs, keeps the calendar\'s holidays and says so', async () => {
      const id = await create({ ...MOSCOW, name: 'Tuesday-like', holidays: ['2027-12-31'], hours: { ...MOSCOW.hours, tue: [['10:00', '19:00']] } });
      const answer = await t.as().post(`/api/calendars/${id}/dates/import?workdayAs=tue`).set('Content-Type', 'text/xml; charset=utf-8').send(RU_2027);
      expect(answer.status).toBe(200);
      // The counts say what went into dates: the file's 19 days off less 2027-12-31, kept as a holiday.
      expect(answer.body).toEqual({ year: 2027, closed: 18, shortened: 5, working: 1, keptAsHolidays: ['2027-12-31'] });
      const read = (await t.as().get(`/api/calendars/${id}`)).body;
      expect(read.dates['2027-11-13']).toEqual([['10:00', '19:00']]);
      expect(read.dates['2027-12-31']).toBeUndefined();
      expect(read.holidays).toEqual(['2027-12-31']);
    });

    it('takes CSV rows date,hours', async () => {
      const id = await create({ ...MOSCOW, name: 'CSV', holidayPreset: null });
      const answer = await importing(id, 'date,hours\r\n2027-05-15,09:00-18:00\r\n2027-05-17,\r\n2027-05-18,09:00-13:00 14:00-16:00\r\n', 'text/csv');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ year: 2027, closed: 1, shortened: 0, working: 2 });
      expect((await t.as().get(`/api/calendars/${id}`)).body.dates).toEqual({
        '2027-05-15': [['09:00', '18:00']],
        '2027-05-17': [],
        '2027-05-18': [['09:00', '13:00'], ['14:00', '16:00']],
      });
    });

    it.each([
      ['a day that does not exist', RU_2027.replace('<day d="02.22" t="2"/>', '<day d="02.30" t="2"/>'), 'application/xml', 'line 29', /line 29: .*02\.30/],
      ['an unknown kind of day', RU_2027.replace('<day d="02.22" t="2"/>', '<day d="02.22" t="4"/>'), 'application/xml', 'line 29', /line 29 \(2027-02-22\): /],
      ['a cut file', RU_2027.slice(0, RU_2027.indexOf('<day d="06.11"')), 'application/xml', 'line 20', /line 20: .*<days> opened here is never closed/],
      ['an entity declaration', `<!DOCTYPE calendar [<!ENTITY lol "lol">]>\n${RU_2027}`, 'application/xml', 'line 1', /DOCTYPE/],
      ['a JSON body sent as XML', '{"year": 2027}', 'application/xml', 'line 1', /line 1: /],
      // Once a 500: String.fromCodePoint threw a RangeError the reader did not catch.
      ['a character reference past U+10FFFF', '<calendar year="2027"><holidays><holiday id="1" title="&#x110000;"/></holidays><days><day d="05.03" t="1" h="1"/></days></calendar>', 'application/xml', 'line 1', /line 1: .*&#x110000; is no character XML allows/],
      ['a CSV row with a bad interval', '2027-05-15,09:00-18:00\n2027-05-17,9-18\n', 'text/csv', 'line 2', /line 2 \(2027-05-17\): "9-18" is not an interval/],
      ['a CSV row with a bad date', '2027-05-15,09:00-18:00\n2027-02-30,09:00-18:00\n', 'text/csv', 'line 2', /line 2: "2027-02-30" is not a date/],
    ])('refuses %s with 400 naming the line, and changes nothing', async (_case, body, contentType, field, message) => {
      const before = await snapshot(moscow);
      const answer = await importing(moscow, body, contentType);
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.body.errors)).toContain(field);
      expect(answer.body.errors[field].join(' ')).toMatch(message);
      expect(answer.body.message).toMatch(/^nothing was imported: line \d+/);
      expect(await snapshot(moscow)).toEqual(before);
    });

    it('refuses what is no file of dated hours, too large, unreadable text or an unknown weekday, changing nothing', async () => {
      const before = await snapshot(moscow);
      expect((await importing(moscow, RU_2027, 'text/plain')).status).toBe(415);
      expect((await t.as().post(`/api/calendars/${moscow}/dates/import`).send({ year: 2027 })).status).toBe(415);
      expect((await t.as().post(`/api/calendars/${moscow}/dates/import`)).status).toBe(415);
      expect((await importing(moscow, RU_2027, 'application/xml; charset=windows-1251')).status).toBe(415);
      const weekday = await t.as().post(`/api/calendars/${moscow}/dates/import?workdayAs=funday`).set('Content-Type', 'application/xml').send(RU_2027);
      expect(weekday.status).toBe(400);
      expect(weekday.body.errors.workdayAs.join(' ')).toMatch(/workdayAs must be a weekday: mon, tue/);
      const huge = await importing(moscow, `${'2027-05-15,09:00-18:00\n'.repeat(50_000)}`, 'text/csv');
      expect(huge.status).toBe(413);
      expect(huge.body.errors.body.join(' ')).toMatch(/larger than the 1,048,576 bytes/);
      // Streamed without a length, it stops at the limit.
      const streamed = t.as().post(`/api/calendars/${moscow}/dates/import`).set('Content-Type', 'text/csv');
      for (let k = 0; k < 6; k++) streamed.write('2027-05-15,09:00-18:00\n'.repeat(10_000));
      const cut = await streamed;
      expect(cut.status).toBe(413);
      const nul = await importing(moscow, '2027-05-15,09:00-18:00\u0000\n', 'text/csv');
      expect(nul.status).toBe(400);
      expect(nul.body.errors.body.join(' ')).toMatch(/NUL/);
      const latin1 = await t.as().post(`/api/calendars/${moscow}/dates/import`).set('Content-Type', 'text/csv').send(Buffer.from([0x32, 0x30, 0xe9, 0x0a]));
      expect(latin1.status).toBe(400);
      expect(latin1.body.errors.body).toEqual(['the file is not UTF-8 text']);
      expect((await importing(moscow, '  \n', 'text/csv')).status).toBe(400);
      expect(await snapshot(moscow)).toEqual(before);
    });

    it('lets only who may change the calendar import into it', async () => {
      const before = await snapshot(moscow);
      expect((await importing(moscow, RU_2027, 'application/xml', org.salesMember.token)).status).toBe(403);
      expect((await importing(moscow, RU_2027, 'application/xml', org.salesHead.token)).status).toBe(200); // no department uses it
      const taken = await create({ ...MOSCOW, name: 'Marketing floor' });
      expect((await t.as(org.marketingHead.token).patch(`/api/departments/${org.marketing.id}`).send({ calendarId: taken })).status).toBe(200);
      expect((await importing(taken, RU_2027, 'application/xml', org.salesHead.token)).status).toBe(403);
      expect((await importing(taken, RU_2027, 'application/xml', org.marketingHead.token)).status).toBe(200);
      expect((await importing('00000000-0000-4000-8000-000000000000', RU_2027, 'application/xml')).status).toBe(404);
      expect((await t.anonymous().post(`/api/calendars/${moscow}/dates/import`).set('Content-Type', 'application/xml').send(RU_2027)).status).toBe(401);
      expect((await snapshot(moscow)).calendar.version).toBe(before.calendar.version + 1);
    });
  });
});
