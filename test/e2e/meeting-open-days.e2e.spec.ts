import { DataSource } from 'typeorm';
import { SqlDialect } from '../../src/database/sql-dialect.js';
import { createCalendar } from '../support/agreement-fixture.js';
import { invitationOf, occurrencesOf, readCalendar } from '../support/ical-reader.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

interface Summary {
  id: string;
  occurrenceStart: string;
  startsAt: string;
  localStart: string;
  status: string;
  moved: boolean;
  closedDay: boolean;
  closedReason: string | null;
  calendarChange: string | null;
}
interface Series {
  id: string;
  title: string;
  calendarId: string | null;
  onClosedDay: string;
  sequence: number;
  meetings: Summary[];
}

const office = [['09:00', '18:00']];
/** 1–8 January 2027: the New Year holidays, closed by the calendar's own dates (RU data stops at 2026). */
const NEW_YEAR = ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'];
const MOSCOW_OFFICE = {
  name: 'Moscow office',
  timezone: 'Europe/Moscow',
  hours: { mon: office, tue: office, wed: office, thu: office, fri: office },
  holidays: NEW_YEAR,
};
const UNKNOWN = '00000000-0000-4000-8000-000000000001';

/** What calendars must show of a series: each occurrence's local start in Moscow, and the rule's start it stands for. */
const shown = (text: string) => occurrencesOf(readCalendar(text)).map((o) => [o.local, o.recurrenceId]);

describe('meetings on open days: a series on a business calendar', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let moscow: string;
  let moving: Series;

  /** Monthly on the first Monday, 10:00 Moscow, from January 2027. */
  const firstMondays = (changes: Record<string, unknown> = {}) =>
    monthlyMeeting(org, { timezone: 'Europe/Moscow', startsOn: '2027-01-04T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=3', calendarId: moscow, ...changes });
  const plan = async (changes: Record<string, unknown>): Promise<Series> => {
    const created = await t.as(org.marketingHead.token).post('/api/meeting-series').send(firstMondays(changes));
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    return created.body as Series;
  };
  const seriesOf = async (id: string): Promise<Series> => (await t.as().get(`/api/meeting-series/${id}`)).body as Series;
  const download = async (id: string) => {
    const response = await t.as().get(`/api/meeting-series/${id}/calendar.ics`);
    expect(response.status).toBe(200);
    return response.text;
  };
  /** Changes the calendar and runs a round of due work, so the re-planning (at once, or caught up) is over on either database. */
  const changeCalendar = async (change: object) => {
    const changed = await t.as().patch(`/api/calendars/${moscow}`).send(change);
    expect(changed.status).toBe(200);
    return (await t.as().post('/api/admin/sweep')).body as { meetingSeriesReplanned: number };
  };
  const seriesCount = async () => (await t.as().get('/api/meeting-series').query({ limit: 1 })).body.total as number;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Concord <concord@example.com>' } });
    org = await seedOrg(t);
    t.clock.set('2026-12-01T09:00:00Z');
    moscow = await createCalendar(t, MOSCOW_OFFICE);
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('holds the January meeting of a first-Monday series on Monday 11 January at 10:00, past the closed 1–8 January and the weekend', async () => {
    moving = await plan({ title: 'Moscow monthly', onClosedDay: 'next-open-day' });
    expect(moving).toMatchObject({ calendarId: moscow, onClosedDay: 'next-open-day' });
    expect(moving.meetings.map(({ localStart, occurrenceStart, moved, calendarChange, closedDay, closedReason }) => ({ localStart, occurrenceStart, moved, calendarChange, closedDay, closedReason }))).toEqual([
      { localStart: '2027-01-11T10:00', occurrenceStart: '2027-01-04T07:00:00.000Z', moved: true, calendarChange: 'moved', closedDay: false, closedReason: 'closed by the calendar' },
      { localStart: '2027-02-01T10:00', occurrenceStart: '2027-02-01T07:00:00.000Z', moved: false, calendarChange: null, closedDay: false, closedReason: null },
      { localStart: '2027-03-01T10:00', occurrenceStart: '2027-03-01T07:00:00.000Z', moved: false, calendarChange: null, closedDay: false, closedReason: null },
    ]);
    expect(moving.meetings[0].startsAt).toBe('2027-01-11T07:00:00.000Z');
  });

  it('tells calendars of the move as of a hand-moved meeting: an override with the rule’s start as RECURRENCE-ID, in the download and the invitations', async () => {
    const calendar = readCalendar(await download(moving.id));
    expect(calendar.master.getFirstProperty('exdate')).toBeNull();
    expect(calendar.overrides).toHaveLength(1);
    const [override] = calendar.overrides;
    expect(override.getFirstPropertyValue('uid')).toBe(`${moving.id}@concord`);
    expect(override.getFirstProperty('recurrence-id')?.getParameter('tzid')).toBe('Europe/Moscow');
    expect(String(override.getFirstPropertyValue('recurrence-id'))).toBe('2027-01-04T10:00:00');
    expect(String(override.getFirstPropertyValue('dtstart'))).toBe('2027-01-11T10:00:00');
    expect(occurrencesOf(calendar).map((o) => [o.utc, o.local, o.recurrenceId])).toEqual([
      ['2027-01-11T07:00:00.000Z', '2027-01-11T10:00:00', '2027-01-04T10:00:00'],
      ['2027-02-01T07:00:00.000Z', '2027-02-01T10:00:00', '2027-02-01T10:00:00'],
      ['2027-03-01T07:00:00.000Z', '2027-03-01T10:00:00', '2027-03-01T10:00:00'],
    ]);

    expect((await t.as().post('/api/notifications/dispatch')).body).toMatchObject({ failed: 0 });
    const [invitation] = sink.to(org.salesHead.email).filter((mail) => mail.subject === 'Invitation: Moscow monthly');
    expect(occurrencesOf(invitationOf(invitation).calendar).map((o) => [o.local, o.recurrenceId])).toEqual([
      ['2027-01-11T10:00:00', '2027-01-04T10:00:00'],
      ['2027-02-01T10:00:00', '2027-02-01T10:00:00'],
      ['2027-03-01T10:00:00', '2027-03-01T10:00:00'],
    ]);
  });

  it('skips a closed occurrence: not held, an EXDATE in the calendar', async () => {
    const skipping = await plan({ title: 'Moscow monthly, skipping', onClosedDay: 'skip' });
    expect(skipping.meetings[0]).toMatchObject({ localStart: '2027-01-04T10:00', status: 'cancelled', calendarChange: 'skipped', closedDay: true, closedReason: 'closed by the calendar' });
    expect(skipping.meetings.slice(1).map((m) => [m.localStart, m.status])).toEqual([
      ['2027-02-01T10:00', 'scheduled'],
      ['2027-03-01T10:00', 'scheduled'],
    ]);
    const calendar = readCalendar(await download(skipping.id));
    const exdate = calendar.master.getFirstProperty('exdate');
    expect(exdate?.getParameter('tzid')).toBe('Europe/Moscow');
    expect(String(exdate?.getFirstValue())).toBe('2027-01-04T10:00:00');
    expect(calendar.overrides).toHaveLength(0);
    expect(occurrencesOf(calendar).map((o) => o.local)).toEqual(['2027-02-01T10:00:00', '2027-03-01T10:00:00']);
  });

  it('keeps a closed occurrence by default, flagged with the reason in the API, the meeting room and the list', async () => {
    const keeping = await plan({ title: 'Moscow monthly, kept' });
    expect(keeping.onClosedDay).toBe('keep');
    const [january] = keeping.meetings;
    expect(january).toMatchObject({ localStart: '2027-01-04T10:00', status: 'scheduled', moved: false, calendarChange: null, closedDay: true, closedReason: 'closed by the calendar' });
    expect(keeping.meetings.slice(1).every((m) => !m.closedDay)).toBe(true);
    expect((await t.as().get(`/api/meetings/${january.id}`)).body).toMatchObject({ closedDay: true, closedReason: 'closed by the calendar' });
    expect((await t.as().get('/api/meetings').query({ seriesId: keeping.id })).body.items[0]).toMatchObject({ closedDay: true, closedReason: 'closed by the calendar' });
    expect(shown(await download(keeping.id))[0]).toEqual(['2027-01-04T10:00:00', '2027-01-04T10:00:00']);

    const head = await pageSession(t, org.marketingHead.token);
    const room = (await head.get(`/meetings/${january.id}`)).text;
    expect(room).toContain('<span class="badge warn">closed day</span> <span class="muted">closed by the calendar</span>');
    const list = (await head.get('/meetings')).text;
    expect(list).toContain('<span class="badge warn">closed day</span>');
    expect(list).toContain('<span class="badge warn">moved off a closed day</span> <span class="muted">Mon 4 Jan: closed by the calendar</span>');
    expect(list).toContain('<span class="badge warn">skipped: closed day</span>');
  });

  it.each([
    // An unknown id in a body is a 404 naming its field, as for departmentIds and participants (README, Errors).
    ['an unknown calendar', { calendarId: UNKNOWN }, 404, 'calendarId'],
    ['a calendar id that is no uuid', { calendarId: 'moscow' }, 400, 'calendarId'],
    ['an unknown choice for closed days', { onClosedDay: 'sometimes' }, 400, 'onClosedDay'],
    ['a choice for closed days without a calendar', { calendarId: undefined, onClosedDay: 'skip' }, 400, 'onClosedDay'],
    // Once a 500: the calendar's arithmetic threw its range error while planning.
    ['a start past the years a calendar tells of', { startsOn: '2999-01-04T10:00' }, 400, 'startsOn'],
    ['a start before them', { startsOn: '1850-01-07T10:00' }, 400, 'startsOn'],
    ['a rule running past them', { startsOn: '2998-06-01T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=12' }, 400, 'rrule'],
  ])('refuses %s naming the field, planning nothing', async (_case, change, status, field) => {
    const before = await seriesCount();
    const response = await t.as().post('/api/meeting-series').send(firstMondays(change));
    expect(response.status).toBe(status);
    expect(Object.keys(response.body.errors)).toContain(field);
    expect(await seriesCount()).toBe(before);
  });

  it('refuses a change of series naming an unknown calendar, or closed days without a calendar, changing nothing', async () => {
    const plain = await plan({ title: 'No calendar', calendarId: undefined });
    expect(plain).toMatchObject({ calendarId: null, onClosedDay: 'keep' });
    for (const [change, status, field] of [
      [{ calendarId: UNKNOWN, onClosedDay: 'skip' }, 404, 'calendarId'],
      [{ onClosedDay: 'skip' }, 400, 'onClosedDay'],
      [{ onClosedDay: 'never' }, 400, 'onClosedDay'],
    ] as const) {
      const response = await t.as().patch(`/api/meeting-series/${plain.id}`).send(change);
      expect({ change, status: response.status, fields: Object.keys(response.body.errors ?? {}) }).toEqual({ change, status, fields: [field] });
    }
    expect(await seriesOf(plain.id)).toEqual(plain);
    // Named later, the calendar places the meetings to come.
    const placed = await t.as().patch(`/api/meeting-series/${plain.id}`).send({ calendarId: moscow, onClosedDay: 'next-open-day' });
    expect(placed.status).toBe(200);
    expect(placed.body.meetings[0]).toMatchObject({ localStart: '2027-01-11T10:00', calendarChange: 'moved' });
    const dropped = await t.as().patch(`/api/meeting-series/${plain.id}`).send({ calendarId: null });
    expect(dropped.body).toMatchObject({ calendarId: null, onClosedDay: 'keep' });
    expect(dropped.body.meetings[0]).toMatchObject({ localStart: '2027-01-04T10:00', moved: false, calendarChange: null, closedDay: false });
  });

  it('refuses to name a calendar for a series beyond its years, or to move a meeting on one beyond them, changing nothing', async () => {
    const far = await plan({ title: 'Far', calendarId: undefined, startsOn: '2999-01-04T10:00' });
    const named = await t.as().patch(`/api/meeting-series/${far.id}`).send({ calendarId: moscow });
    expect({ status: named.status, fields: Object.keys(named.body.errors ?? {}) }).toEqual({ status: 400, fields: ['startsOn'] });
    expect(await seriesOf(far.id)).toEqual(far);
    const near = await plan({ title: 'Near' });
    const moved = await t.as().post(`/api/meetings/${near.meetings[1].id}/move`).send({ startsAt: '2999-02-01T07:00:00Z' });
    expect({ status: moved.status, fields: Object.keys(moved.body.errors ?? {}) }).toEqual({ status: 400, fields: ['startsAt'] });
    expect(await seriesOf(near.id)).toEqual(near);
  });

  it('re-plans the meetings to come when the calendar changes; a meeting moved by hand keeps its time, flagged if its day closes', async () => {
    // Only 1–4 January closed now: the meeting moves back to Tuesday 5 January, and calendars hear of it.
    await changeCalendar({ holidays: NEW_YEAR.slice(0, 4) });
    let series = await seriesOf(moving.id);
    expect(series.sequence).toBe(moving.sequence + 1);
    expect(series.meetings[0]).toMatchObject({ localStart: '2027-01-05T10:00', calendarChange: 'moved', closedReason: 'closed by the calendar' });
    expect(shown(await download(moving.id))[0]).toEqual(['2027-01-05T10:00:00', '2027-01-04T10:00:00']);

    // February's meeting moved by hand to Wednesday 3rd; then the first week of February closes too.
    const february = series.meetings[1];
    expect((await t.as(org.marketingHead.token).post(`/api/meetings/${february.id}/move`).send({ startsAt: '2027-02-03T10:00:00+03:00' })).status).toBe(200);
    await changeCalendar({ holidays: [...NEW_YEAR.slice(0, 4), '2027-02-01', '2027-02-02', '2027-02-03', '2027-02-04', '2027-02-05'] });
    series = await seriesOf(moving.id);
    expect(series.meetings.map((m) => [m.localStart, m.calendarChange, m.closedDay])).toEqual([
      ['2027-01-05T10:00', 'moved', false],
      ['2027-02-03T10:00', null, true],
      ['2027-03-01T10:00', null, false],
    ]);
    expect(series.meetings[1].closedReason).toBe('closed by the calendar');
  });

  it('leaves a meeting a person moved back onto the rule\'s closed day there when the calendar changes again', async () => {
    const pinned = await plan({ title: 'Pinned', onClosedDay: 'next-open-day' });
    // 1–4 January are closed (the previous case): the calendar moves the January meeting to Tuesday 5th.
    const january = pinned.meetings[0];
    expect(january).toMatchObject({ startsAt: '2027-01-05T07:00:00.000Z', calendarChange: 'moved' });
    // The head holds it on Monday 4th after all, at the rule's own time.
    const moved = await t.as(org.marketingHead.token).post(`/api/meetings/${january.id}/move`).send({ startsAt: '2027-01-04T07:00:00.000Z' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: '2027-01-04T07:00:00.000Z', moved: false, calendarChange: null, closedDay: true });
    // A later change of the calendar, unrelated to January (a closed day in June), re-plans the series…
    await changeCalendar({ dates: { '2027-06-01': [] } });
    // …and the head's decision stands, still flagged as on a closed day.
    expect((await seriesOf(pinned.id)).meetings[0]).toMatchObject({ startsAt: '2027-01-04T07:00:00.000Z', calendarChange: null, closedDay: true, closedReason: 'closed by the calendar' });
  });

  it('leaves a meeting already past where it was, and catches up a change it missed in the next round of due work', async () => {
    t.clock.set('2027-01-20T09:00:00Z');
    const before = await seriesOf(moving.id);
    // Everything open again: January is over, and February's meeting was set by hand.
    await changeCalendar({ holidays: [] });
    const after = await seriesOf(moving.id);
    expect(after.meetings.map((m) => [m.localStart, m.calendarChange, m.closedDay])).toEqual([
      ['2027-01-05T10:00', 'moved', false],
      ['2027-02-03T10:00', null, false],
      ['2027-03-01T10:00', null, false],
    ]);
    expect(after.sequence).toBe(before.sequence);

    // A change this instance did not hear of (written by another, or its re-planning failed): 1 March closes.
    const dataSource = t.app.get(DataSource);
    const dialect = SqlDialect.of(dataSource);
    await dataSource.query(`UPDATE calendars SET holidays = ${dialect.param(1)}, version = version + 1 WHERE id = ${dialect.param(2)}`, ['["2027-03-01"]', moscow]);
    const round = (await t.as().post('/api/admin/sweep')).body;
    expect(round.meetingSeriesReplanned).toBeGreaterThanOrEqual(1);
    expect((await seriesOf(moving.id)).meetings[2]).toMatchObject({ localStart: '2027-03-02T10:00', calendarChange: 'moved' });
    expect((await t.as().post('/api/admin/sweep')).body.meetingSeriesReplanned).toBe(0);
  });

  it('keeps a calendar that places meetings from being deleted', async () => {
    const response = await t.as().delete(`/api/calendars/${moscow}`);
    expect(response.status).toBe(409);
    expect(response.body.message).toContain('Moscow monthly');
  });
});
