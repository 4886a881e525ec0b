import { createCalendar } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { errorAt, fieldsInError, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

interface Summary {
  id: string;
  status: string;
  moved: boolean;
  localStart: string;
  startsAt: string;
  minutesStatus: string;
}
interface Series {
  id: string;
  title: string;
  rrule: string;
  timezone: string;
  participants: { personId: string; role: string }[];
  meetings: Summary[];
}

const UNKNOWN = '00000000-0000-4000-8000-000000000001';

/** The row of the form where a person's role is chosen, by their hidden personId field. */
function rowOf(html: string, personId: string): number {
  const match = new RegExp(`name="participants\\[(\\d+)\\]\\[personId\\]" value="${personId}"`).exec(html);
  if (!match) throw new Error(`no row for ${personId}`);
  return Number(match[1]);
}

const checkedBox = (html: string, value: string) => new RegExp(`<input type="checkbox" [^>]*name="departmentIds" value="${value}" checked`).test(html);

describe('planning a series, moving and cancelling a meeting, from the pages', () => {
  let t: TestApp;
  let org: SeededOrg;
  let head: Session;
  let member: Session;

  const allSeries = async (): Promise<Series[]> => (await t.as().get('/api/meeting-series').query({ limit: 200 })).body.items as Series[];
  const meeting = async (id: string): Promise<Summary> => (await t.as().get(`/api/meetings/${id}`)).body as Summary;

  /** The form as the marketing head fills it in: monthly on the first Tuesday, four times. */
  const form = (changes: Record<string, unknown> = {}) => ({
    title: 'Marketing & Sales monthly',
    departmentIds: [org.marketing.id, org.sales.id],
    timezone: 'Europe/Paris',
    startsOn: '2027-01-05T10:00',
    recurrence: 'monthly',
    rrule: '',
    count: '4',
    until: '',
    durationMinutes: '60',
    location: 'Room Jupiter',
    chairId: org.marketingHead.id,
    minuteTakerId: org.marketingMember.id,
    participants: [
      { personId: org.marketingHead.id, role: 'required' },
      { personId: org.salesHead.id, role: 'required' },
      { personId: org.salesMember.id, role: 'optional' },
      { personId: org.marketingMember.id, role: 'informed' },
    ],
    agendaTemplate: 'Campaign calendar\nAny other business',
    quorum: { rule: 'heads' },
    ...changes,
  });

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    await t.as().patch(`/api/people/${org.marketingHead.id}`).send({ timezone: 'America/New_York' });
    t.clock.set('2026-12-01T09:00:00Z');
    head = await pageSession(t, org.marketingHead.token);
    member = await pageSession(t, org.salesMember.token);
  });

  afterAll(async () => t?.close());

  describe('the new series form', () => {
    it('is linked from the list for heads, not for members, and is not taken for a meeting id', async () => {
      expect((await head.get('/meetings')).text).toContain('href="/meetings/series/new"');
      expect((await member.get('/meetings')).text).not.toContain('href="/meetings/series/new"');
      const page = await head.get('/meetings/series/new');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Plan a new series');
      expect(page.text).toContain('action="/meetings/series"');
      // The signed-in person's zone, both departments, their heads required, the others not invited.
      expect(shownValue(page.text, 'timezone')).toBe('America/New_York');
      expect(checkedBox(page.text, org.marketing.id) && checkedBox(page.text, org.sales.id)).toBe(true);
      expect(shownValue(page.text, `participants[${rowOf(page.text, org.marketingHead.id)}].role`)).toBe('required');
      expect(shownValue(page.text, `participants[${rowOf(page.text, org.salesHead.id)}].role`)).toBe('required');
      expect(shownValue(page.text, `participants[${rowOf(page.text, org.salesMember.id)}].role`)).toBe('none');
      expect(shownValue(page.text, 'recurrence')).toBe('monthly');
      expect(shownValue(page.text, 'quorum.rule')).toBe('heads');
      expect(shownValue(page.text, 'chairId')).toBe(org.marketingHead.id);
      expect(page.text).toMatch(/<input type="datetime-local" id="f-startsOn"/);
      // A member could only be refused at the end.
      expect((await member.get('/meetings/series/new')).status).toBe(403);
      // The room keeps validating its ids.
      expect((await head.get('/meetings/series')).status).toBe(400);
    });

    it.each([
      ['a missing title', { title: '   ' }, 400, 'title', null],
      ['one department only', { departmentIds: 'marketing only' }, 400, 'departmentIds', null],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 400, 'timezone', 'Mars/Olympus'],
      ['a start that is no date', { startsOn: 'next Tuesday' }, 400, 'startsOn', 'next Tuesday'],
      ['a start that does not exist', { startsOn: '2027-02-30T10:00' }, 400, 'startsOn', '2027-02-30T10:00'],
      ['a custom rule that never ends', { recurrence: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=1TU', count: '' }, 400, 'rrule', 'FREQ=MONTHLY;BYDAY=1TU'],
      ['a custom rule that is no RRULE', { recurrence: 'custom', rrule: 'every month', count: '' }, 400, 'rrule', 'every month'],
      ['a preset with no end', { count: '' }, 400, 'count', ''],
      ['a number of meetings and a last day', { until: '2027-12-31' }, 400, 'until', '2027-12-31'],
      ['a meeting of no time', { durationMinutes: '0' }, 400, 'durationMinutes', '0'],
      ['a meeting of eleven hours', { durationMinutes: '660' }, 400, 'durationMinutes', '660'],
      ['a duration that is no number', { durationMinutes: 'an hour' }, 400, 'durationMinutes', 'an hour'],
      ['an agenda item too long', { agendaTemplate: 'x'.repeat(301) }, 400, 'agendaTemplate', 'x'.repeat(301)],
    ])('refuses %s, next to its field, keeping what was typed and planning nothing', async (_case, change, status, field, kept) => {
      // The departments' ids exist only once the org is seeded.
      const changes: Record<string, unknown> = 'departmentIds' in change ? { ...change, departmentIds: [org.marketing.id] } : change;
      const before = await allSeries();
      const response = await head.post('/meetings/series', form({ title: `${_case} ${'<b>&</b>'}`, ...changes }));
      expect(response.status).toBe(status);
      expect(errorAt(response.text, field)).toBeTruthy();
      expect(response.text).toContain('aria-invalid="true"');
      if (kept !== null) expect(shownValue(response.text, field)).toBe(kept);
      // Everything else as typed too.
      if (!('title' in change)) expect(shownValue(response.text, 'title')).toBe(`${_case} <b>&</b>`);
      expect(response.text).not.toContain('<b>&</b>');
      if (!('startsOn' in change)) expect(shownValue(response.text, 'startsOn')).toBe('2027-01-05T10:00');
      expect(shownValue(response.text, 'location')).toBe('Room Jupiter');
      expect(shownValue(response.text, `participants[${rowOf(response.text, org.salesMember.id)}].role`)).toBe('optional');
      expect(shownValue(response.text, `participants[${rowOf(response.text, org.marketingMember.id)}].role`)).toBe('informed');
      expect(shownValue(response.text, 'minuteTakerId')).toBe(org.marketingMember.id);
      expect(checkedBox(response.text, org.marketing.id)).toBe(true);
      expect(checkedBox(response.text, org.sales.id)).toBe(!('departmentIds' in change));
      expect(await allSeries()).toEqual(before);
    });

    it('names the rule error of a custom rule in the API’s words', async () => {
      const response = await head.post('/meetings/series', form({ recurrence: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=1TU', count: '' }));
      expect(errorAt(response.text, 'rrule')).toMatch(/never ends: give it a COUNT or an UNTIL/);
      expect(fieldsInError(response.text)).toEqual(['f-rrule']);
    });

    it('refuses a series with no participant, on the first row', async () => {
      const before = await allSeries();
      const nobody = form().participants.map((row) => ({ ...row, role: 'none' }));
      const response = await head.post('/meetings/series', form({ participants: nobody }));
      expect(response.status).toBe(400);
      expect(errorAt(response.text, 'participants[0].role')).toMatch(/participants/);
      expect(shownValue(response.text, 'participants[0].role')).toBe('none');
      expect(await allSeries()).toEqual(before);
    });

    it('refuses an unknown person with 404 on that person’s row', async () => {
      const before = await allSeries();
      const response = await head.post('/meetings/series', form({ participants: [...form().participants, { personId: UNKNOWN, role: 'required' }] }));
      expect(response.status).toBe(404);
      expect(errorAt(response.text, 'participants[4].role')).toBe(`person ${UNKNOWN} does not exist`);
      expect(shownValue(response.text, 'participants[4].role')).toBe('required');
      expect(fieldsInError(response.text)).toEqual(['f-participants-4-role']);
      expect(await allSeries()).toEqual(before);
    });

    it('lets a member plan nothing (403), and refuses a forged form (403)', async () => {
      const before = await allSeries();
      expect((await member.post('/meetings/series', form())).status).toBe(403);
      expect((await head.forge('/meetings/series', form())).status).toBe(403);
      expect(await allSeries()).toEqual(before);
    });

    it('plans a monthly series with the rule and participants chosen, then lists its meetings', async () => {
      const response = await head.post('/meetings/series', form({ title: 'Joint monthly' }));
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/meetings\?notice=/);
      const series = (await allSeries()).find((s) => s.title === 'Joint monthly') as Series;
      expect(series.rrule).toBe('FREQ=MONTHLY;BYDAY=1TU;COUNT=4');
      expect(series.timezone).toBe('Europe/Paris');
      expect(series.meetings.map((m) => m.localStart)).toEqual(['2027-01-05T10:00', '2027-02-02T10:00', '2027-03-02T10:00', '2027-04-06T10:00']);
      const roles = Object.fromEntries(series.participants.map((p) => [p.personId, p.role]));
      expect(roles).toEqual({
        [org.marketingHead.id]: 'required',
        [org.salesHead.id]: 'required',
        [org.salesMember.id]: 'optional',
        [org.marketingMember.id]: 'informed',
      });
      const full = (await t.as().get(`/api/meeting-series/${series.id}`)).body;
      expect(full).toMatchObject({ location: 'Room Jupiter', durationMinutes: 60, agendaTemplate: ['Campaign calendar', 'Any other business'], quorum: { rule: 'heads' } });
      const list = await head.get(response.headers.location);
      expect(list.text).toContain('Series “Joint monthly” planned: 4 meetings.');
      expect(list.text).toContain(`href="/meetings/${series.meetings[0].id}"`);
    });

    it('plans every two weeks up to a last day, that day included', async () => {
      const response = await head.post('/meetings/series', form({ title: 'Fortnightly', recurrence: 'biweekly', count: '', until: '2027-02-02', quorum: { rule: 'all-required' } }));
      expect(response.status).toBe(303);
      const series = (await allSeries()).find((s) => s.title === 'Fortnightly') as Series;
      expect(series.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270202T235959Z');
      expect(series.meetings.map((m) => m.localStart)).toEqual(['2027-01-05T10:00', '2027-01-19T10:00', '2027-02-02T10:00']);
    });

    it('plans a series on a business calendar, a meeting on a closed day moved to the next open one; a choice without a calendar is named', async () => {
      const paris = await createCalendar(t, {
        name: 'Paris office, closed 5 January',
        timezone: 'Europe/Paris',
        hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
        holidays: ['2027-01-05'],
      });
      const blank = await head.get('/meetings/series/new');
      expect(shownValue(blank.text, 'calendarId')).toBe('');
      expect(shownValue(blank.text, 'onClosedDay')).toBe('keep');
      expect(blank.text).toContain(`<option value="${paris}">Paris office, closed 5 January (Europe/Paris)</option>`);

      const before = await allSeries();
      const refused = await head.post('/meetings/series', form({ title: 'Closed days, no calendar', onClosedDay: 'skip' }));
      expect(refused.status).toBe(400);
      expect(errorAt(refused.text, 'onClosedDay')).toMatch(/needs a calendarId/);
      expect(shownValue(refused.text, 'onClosedDay')).toBe('skip');
      expect(await allSeries()).toEqual(before);

      const planned = await head.post('/meetings/series', form({ title: 'On the Paris calendar', calendarId: paris, onClosedDay: 'next-open-day' }));
      expect(planned.status).toBe(303);
      const series = (await allSeries()).find((s) => s.title === 'On the Paris calendar') as Series & { calendarId: string; onClosedDay: string };
      expect(series).toMatchObject({ calendarId: paris, onClosedDay: 'next-open-day' });
      expect(series.meetings.map((m) => m.localStart)).toEqual(['2027-01-06T10:00', '2027-02-02T10:00', '2027-03-02T10:00', '2027-04-06T10:00']);
    });

    it('plans quarterly on the same weekday', async () => {
      expect((await head.post('/meetings/series', form({ title: 'Quarterly', recurrence: 'quarterly', count: '2' }))).status).toBe(303);
      const series = (await allSeries()).find((s) => s.title === 'Quarterly') as Series;
      expect(series.rrule).toBe('FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU;COUNT=2');
      expect(series.meetings.map((m) => m.localStart)).toEqual(['2027-01-05T10:00', '2027-04-06T10:00']);
    });
  });

  describe('moving and cancelling one meeting from its room', () => {
    let series: Series;
    let first: Summary;
    let second: Summary;
    let third: Summary;

    beforeAll(async () => {
      const created = await t.as(org.salesHead.token).post('/api/meeting-series').send({
        ...form({ title: 'Room series', participants: form().participants, agendaTemplate: ['Campaign calendar'] }),
        rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4',
        durationMinutes: 60,
        recurrence: undefined,
        count: undefined,
        until: undefined,
      });
      expect(created.status).toBe(201);
      series = created.body;
      [first, second, third] = series.meetings;
    });

    it('shows the forms to organisers only, with the start in the series zone', async () => {
      const room = await head.get(`/meetings/${second.id}`);
      expect(room.text).toContain('Move this meeting');
      expect(room.text).toContain('data-confirm="Cancel this meeting?');
      expect(shownValue(room.text, 'startsAt')).toBe('2027-02-02T10:00');
      expect(room.text).toContain('Local date and time in Europe/Paris');
      const readOnly = await member.get(`/meetings/${second.id}`);
      expect(readOnly.status).toBe(200);
      expect(readOnly.text).not.toContain('Move this meeting');
      expect(readOnly.text).not.toContain('Cancel this meeting');
    });

    it('refuses a move into the past, or to no date, next to the field, moving nothing', async () => {
      const past = await head.post(`/meetings/${second.id}/move`, { startsAt: '2026-11-01T10:00' });
      expect(past.status).toBe(400);
      expect(errorAt(past.text, 'startsAt')).toBe('startsAt must be in the future');
      expect(shownValue(past.text, 'startsAt')).toBe('2026-11-01T10:00');
      const nonsense = await head.post(`/meetings/${second.id}/move`, { startsAt: 'soon' });
      expect(nonsense.status).toBe(400);
      expect(errorAt(nonsense.text, 'startsAt')).toMatch(/date and time/);
      expect(shownValue(nonsense.text, 'startsAt')).toBe('soon');
      expect(await meeting(second.id)).toMatchObject(second);
    });

    it('lets no member move or cancel (403), and no forged form (403)', async () => {
      expect((await member.post(`/meetings/${second.id}/move`, { startsAt: '2027-02-03T14:00' })).status).toBe(403);
      expect((await member.post(`/meetings/${second.id}/cancel`)).status).toBe(403);
      expect((await head.forge(`/meetings/${second.id}/move`, { startsAt: '2027-02-03T14:00' })).status).toBe(403);
      expect((await head.forge(`/meetings/${third.id}/cancel`)).status).toBe(403);
      expect(await meeting(second.id)).toMatchObject(second);
      expect(await meeting(third.id)).toMatchObject(third);
    });

    it('moves one meeting to a local time of the series zone', async () => {
      const moved = await head.post(`/meetings/${second.id}/move`, { startsAt: '2027-02-03T14:00' });
      expect(moved.status).toBe(303);
      expect(moved.headers.location).toMatch(new RegExp(`^/meetings/${second.id}\\?notice=.*#schedule$`));
      expect(await meeting(second.id)).toMatchObject({ status: 'scheduled', moved: true, localStart: '2027-02-03T14:00', startsAt: '2027-02-03T13:00:00.000Z' });
      const room = await head.get(moved.headers.location.replace(/#.*$/, ''));
      expect(room.text).toContain('Meeting moved.');
      expect(shownValue(room.text, 'startsAt')).toBe('2027-02-03T14:00');
    });

    it('cancels one meeting, and a second time says why not (409), changing nothing', async () => {
      expect((await head.post(`/meetings/${third.id}/cancel`)).status).toBe(303);
      const cancelled = await meeting(third.id);
      expect(cancelled.status).toBe('cancelled');
      const again = await head.post(`/meetings/${third.id}/cancel`);
      expect(again.status).toBe(409);
      expect(again.text).toMatch(/class="problem" role="alert"[^>]*>this meeting is cancelled; only a scheduled meeting can be cancelled</);
      expect(again.text).not.toContain('Move this meeting');
      expect(await meeting(third.id)).toEqual(cancelled);
      const others = (await t.as().get(`/api/meeting-series/${series.id}`)).body.meetings.map((m: Summary) => [m.status, m.moved]);
      expect(others).toEqual([
        ['scheduled', false],
        ['scheduled', true],
        ['cancelled', false],
        ['scheduled', false],
      ]);
    });

    it('shows the move and the cancellation in the calendar feed', async () => {
      const ics = await t.as(org.salesMember.token).get(`/api/meeting-series/${series.id}/calendar.ics`);
      expect(ics.status).toBe(200);
      const text = String(ics.text ?? ics.body).replace(/\r\n[ \t]/g, '');
      expect(text).toMatch(/EXDATE;TZID=Europe\/Paris:20270302T100000/);
      expect(text).toMatch(/RECURRENCE-ID;TZID=Europe\/Paris:20270202T100000/);
      expect(text).toMatch(/DTSTART;TZID=Europe\/Paris:20270203T140000/);
    });

    it('refuses to move a meeting whose minutes are final (409), at the top, moving nothing', async () => {
      t.clock.set('2027-01-05T09:30:00Z');
      const attendance = await t.as(org.marketingHead.token).put(`/api/meetings/${first.id}/attendance`).send({
        entries: [
          { personId: org.marketingHead.id, status: 'present' },
          { personId: org.salesHead.id, status: 'present' },
        ],
      });
      expect(attendance.status).toBe(200);
      expect((await t.as(org.marketingHead.token).post(`/api/meetings/${first.id}/minutes/finalize`)).status).toBe(200);
      const final = await meeting(first.id);
      expect(final.minutesStatus).toBe('final');
      // A month later: the session of December has expired, a new one is opened.
      const chair = await pageSession(t, org.marketingHead.token);
      const room = await chair.get(`/meetings/${first.id}`);
      expect(room.status).toBe(200);
      expect(room.text).not.toContain('Move this meeting');
      expect(room.text).not.toContain('Cancel this meeting');
      const refused = await chair.post(`/meetings/${first.id}/move`, { startsAt: '2027-01-12T10:00' });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('the minutes of this meeting are final: it happened when they say it did');
      expect(await meeting(first.id)).toEqual(final);
      t.clock.set('2026-12-01T09:00:00Z');
    });
  });
});
