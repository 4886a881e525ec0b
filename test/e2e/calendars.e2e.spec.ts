import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

/** The example of the calendar documentation, accepted as written. */
const PARIS_OFFICE = {
  name: 'Paris office',
  timezone: 'Europe/Paris',
  hours: {
    mon: [
      ['09:00', '12:30'],
      ['13:30', '18:00'],
    ],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  holidays: ['2026-12-25'],
  holidayPreset: 'FR',
  breaks: { '2026-12-24': [['14:00', '18:00']] },
};

describe('business calendars over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let paris: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const created = await t.as().post('/api/calendars').send(PARIS_OFFICE);
    expect(created.status).toBe(201);
    paris = created.body.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  async function calendarCount(): Promise<number> {
    return (await t.as().get('/api/calendars')).body.total;
  }

  it('stores the documented example as written', async () => {
    const read = await t.as(org.salesMember.token).get(`/api/calendars/${paris}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ ...PARIS_OFFICE, version: 1 });
  });

  it.each([
    ['a hot lead handed over on Friday evening', '2026-11-06T17:30:00+01:00', 'PT1H', '2026-11-09T08:30:00.000Z'],
    ['nineteen working hours over a lunch break', '2026-11-02T09:00:00+01:00', 'PT19H', '2026-11-04T10:00:00.000Z'],
    ['two business days', '2026-11-06T17:30:00+01:00', 'P2D', '2026-11-10T16:30:00.000Z'],
    ['over the Armistice Day preset holiday', '2026-11-10T17:00:00+01:00', 'PT2H', '2026-11-12T09:00:00.000Z'],
    ['into a Christmas Eve break and over Christmas', '2026-12-24T13:30:00+01:00', 'PT1H', '2026-12-28T08:30:00.000Z'],
    ['from a Sunday, counting from Monday opening', '2026-11-08T11:00:00Z', 'PT30M', '2026-11-09T08:30:00.000Z'],
  ])('computes due dates: %s', async (_case, from, duration, due) => {
    const response = await t
      .as(org.salesMember.token)
      .get(`/api/calendars/${paris}/due`)
      .query({ from, duration });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ due });
  });

  it('counts working seconds between two instants', async () => {
    const response = await t
      .as()
      .get(`/api/calendars/${paris}/elapsed`)
      .query({ from: '2026-11-06T17:00:00+01:00', to: '2026-11-09T10:00:00+01:00' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ seconds: 7200 });
  });

  it('tells whether the calendar is open', async () => {
    const lunch = await t.as().get(`/api/calendars/${paris}/open`).query({ at: '2026-11-09T12:45:00+01:00' });
    expect(lunch.body).toEqual({ open: false });
    const morning = await t.as().get(`/api/calendars/${paris}/open`).query({ at: '2026-11-09T10:00:00+01:00' });
    expect(morning.body).toEqual({ open: true });
  });

  it('recomputes answers after a change, with a new version', async () => {
    const created = await t.as().post('/api/calendars').send({ ...PARIS_OFFICE, name: 'Changing' });
    const before = await t.as().get(`/api/calendars/${created.body.id}/due`).query({ from: '2026-11-06T17:30:00+01:00', duration: 'PT1H' });
    expect(before.body.due).toBe('2026-11-09T08:30:00.000Z');

    const changed = await t.as().patch(`/api/calendars/${created.body.id}`).send({ hours: { ...PARIS_OFFICE.hours, sat: [['10:00', '12:00']] } });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    const after = await t.as().get(`/api/calendars/${created.body.id}/due`).query({ from: '2026-11-06T17:30:00+01:00', duration: 'PT1H' });
    expect(after.body.due).toBe('2026-11-07T09:30:00.000Z');
  });

  it('lets heads create calendars and change those only their department uses; members only read', async () => {
    expect((await t.as(org.salesMember.token).post('/api/calendars').send(PARIS_OFFICE)).status).toBe(403);
    const own = await t.as(org.salesHead.token).post('/api/calendars').send({ ...PARIS_OFFICE, name: 'Sales floor' });
    expect(own.status).toBe(201);
    await t.as(org.salesHead.token).patch(`/api/departments/${org.sales.id}`).send({ calendarId: own.body.id });
    expect((await t.as(org.salesHead.token).patch(`/api/calendars/${own.body.id}`).send({ name: 'Sales floor (Paris)' })).status).toBe(200);
    expect((await t.as(org.marketingHead.token).patch(`/api/calendars/${own.body.id}`).send({ name: 'Taken over' })).status).toBe(403);
    expect((await t.as(org.salesMember.token).patch(`/api/calendars/${own.body.id}`).send({ name: 'X' })).status).toBe(403);

    const inUse = await t.as().delete(`/api/calendars/${own.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.message).toMatch(/sales/);
  });

  it('deletes a calendar nobody uses', async () => {
    const created = await t.as().post('/api/calendars').send({ ...PARIS_OFFICE, name: 'Short-lived' });
    expect((await t.as().delete(`/api/calendars/${created.body.id}`)).status).toBe(204);
    expect((await t.as().get(`/api/calendars/${created.body.id}`)).status).toBe(404);
  });

  it.each([
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone', /IANA time zone/],
    ['a bare offset as time zone', { timezone: '+01:00' }, 'timezone', /IANA time zone/],
    ['25:00', { hours: { mon: [['09:00', '25:00']] } }, 'hours.mon[0]', /"25:00" is not a time of day/],
    ['a reversed interval', { hours: { tue: [['18:00', '09:00']] } }, 'hours.tue[0]', /before or when it starts/],
    ['overlapping intervals', { hours: { mon: [['09:00', '13:00'], ['12:30', '18:00']] } }, 'hours.mon[1]', /overlaps/],
    ['a weekday that does not exist', { hours: { mo: [['09:00', '18:00']] } }, 'hours.mo', /not a weekday/],
    ['a calendar that never opens', { hours: {} }, 'hours', /at least one interval/],
    ['hours that are not an object', { hours: 'office hours' }, 'hours', /object/],
    ['an impossible holiday', { holidays: ['2026-02-30'] }, 'holidays[0]', /not a date/],
    ['an unknown holiday preset', { holidayPreset: 'Atlantis' }, 'holidayPreset', /not a known country/],
    ['a break on an impossible date', { breaks: { '2026-11-31': [['09:00', '10:00']] } }, 'breaks.2026-11-31', /not a date/],
    ['an unknown field', { color: 'blue' }, 'color', /not a known field/],
    ['a missing name', { name: undefined }, 'name', /name/],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_case, change, field, message) => {
    const before = await calendarCount();
    const response = await t.as().post('/api/calendars').send({ ...PARIS_OFFICE, ...change });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toContain(field);
    expect(response.body.errors[field].join(' ')).toMatch(message);
    expect(await calendarCount()).toBe(before);
  });

  it('refuses a bad change and keeps the calendar as it was', async () => {
    const response = await t.as().patch(`/api/calendars/${paris}`).send({ hours: { mon: [['09:00', '25:00']] } });
    expect(response.status).toBe(400);
    const read = await t.as().get(`/api/calendars/${paris}`);
    expect(read.body.hours).toEqual(PARIS_OFFICE.hours);
    expect(read.body.version).toBe(1);
  });

  it.each([
    ['a duration that is not ISO 8601', { from: '2026-11-06T17:30:00+01:00', duration: '1 hour' }, 'duration', /not an ISO 8601 duration/],
    ['a zero duration', { from: '2026-11-06T17:30:00+01:00', duration: 'PT0S' }, 'duration', /zero/],
    ['a negative duration', { from: '2026-11-06T17:30:00+01:00', duration: '-PT1H' }, 'duration', /negative/],
    ['a duration in months', { from: '2026-11-06T17:30:00+01:00', duration: 'P1M' }, 'duration', /months/],
    ['a missing duration', { from: '2026-11-06T17:30:00+01:00' }, 'duration', /duration/],
    ['an instant without offset', { from: '2026-11-06T17:30:00', duration: 'PT1H' }, 'from', /offset/],
    ['an impossible date', { from: '2026-02-30T10:00:00Z', duration: 'PT1H' }, 'from', /ISO 8601 instant/],
    ['an unknown parameter', { from: '2026-11-06T17:30:00+01:00', duration: 'PT1H', zone: 'UTC' }, 'zone', /not a known field/],
    ['a year out of range', { from: '1700-01-01T10:00:00Z', duration: 'PT1H' }, 'from', /between/],
  ])('refuses a due query with %s', async (_case, query, field, message) => {
    const response = await t.as().get(`/api/calendars/${paris}/due`).query(query);
    expect(response.status).toBe(400);
    expect(response.body.errors[field].join(' ')).toMatch(message);
  });

  it('refuses an elapsed query that ends before it starts, and an open query without instant', async () => {
    const backwards = await t.as().get(`/api/calendars/${paris}/elapsed`).query({ from: '2026-11-09T10:00:00Z', to: '2026-11-06T10:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toHaveProperty('to');
    const missing = await t.as().get(`/api/calendars/${paris}/open`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty('at');
  });

  it('answers 404 for unknown calendars', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await t.as().get(`/api/calendars/${unknown}`)).status).toBe(404);
    expect((await t.as().get(`/api/calendars/${unknown}/due`).query({ from: '2026-11-06T17:30:00Z', duration: 'PT1H' })).status).toBe(404);
    expect((await t.as().patch(`/api/calendars/${unknown}`).send({ name: 'X' })).status).toBe(404);
    expect((await t.as().delete(`/api/calendars/${unknown}`)).status).toBe(404);
  });

  it('records calendar changes in the audit log', async () => {
    const audit = await t.as().get(`/api/audit?entityType=calendar&entityId=${paris}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'create', after: expect.objectContaining({ name: 'Paris office' }) })]);
  });
});
