import { holdAndApprove, planSeries } from '../support/meeting-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

/*
 * A series planned in Moscow (10:00 there is 07:00 UTC, 08:00 in Paris in December, 23:00 the day
 * before in Los Angeles): each reader sees its times in their own zone, Moscow's beside when it differs.
 */
const PARIS_START = 'Tue 1 Dec 2026, 08:00 Europe/Paris (2026-12-01T08:00+01:00) · 10:00 in Europe/Moscow';
const MOSCOW_START = 'Tue 1 Dec 2026, 10:00 Europe/Moscow (2026-12-01T10:00+03:00)';
const LA_START = 'Mon 30 Nov 2026, 23:00 America/Los_Angeles (2026-11-30T23:00-08:00) · Tue 1 Dec, 10:00 in Europe/Moscow';
const PARIS_NEXT = 'Tue 5 Jan 2027, 08:00 Europe/Paris (2027-01-05T08:00+01:00) · 10:00 in Europe/Moscow';
const MOSCOW_NEXT = 'Tue 5 Jan 2027, 10:00 Europe/Moscow (2027-01-05T10:00+03:00)';

describe('every time in the reader’s zone: a Moscow meeting read from Paris, Moscow and Los Angeles', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let angela: SeededPerson;
  let meetingId: string;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    // Maëlle (marketing head) keeps Paris, her department's zone; Samir (sales head) works from Moscow.
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ timezone: 'Europe/Moscow' })).status).toBe(200);
    angela = await createPerson(t, { name: 'Angela West', email: 'angela@example.com', role: 'member', departmentId: org.marketing.id, timezone: 'America/Los_Angeles' });
    t.clock.set('2026-11-20T09:00:00Z');
    const series = await planSeries(t, org, {
      timezone: 'Europe/Moscow',
      startsOn: '2026-12-01T10:00',
      rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3',
      agendaTemplate: ['Pipeline review'],
      participants: [
        { personId: org.marketingHead.id, role: 'required' },
        { personId: org.salesHead.id, role: 'required' },
        { personId: angela.id, role: 'informed' },
      ],
    });
    meetingId = series.meetings[0].id;
    expect(series.meetings[0].startsAt).toBe('2026-12-01T07:00:00.000Z');
    t.clock.set('2026-12-01T08:10:00Z');
    await holdAndApprove(t, org, meetingId, [
      { type: 'decision', text: 'Hot leads stay at one working hour.', rationale: 'Both sides agree.', ownerId: org.salesHead.id },
    ]);
    // Invitations and minutes leave together, composed now for each recipient.
    expect((await t.as().post('/api/notifications/dispatch')).status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const minutesMail = (person: SeededPerson) => sink.to(person.email).filter((mail) => mail.subject?.startsWith('Minutes:'));

  it('emails the one stored record of the minutes to each recipient in their own zone', () => {
    const [paris] = minutesMail(org.marketingHead);
    const [moscow] = minutesMail(org.salesHead);
    const [losAngeles] = minutesMail(angela);
    expect(paris.subject).toBe('Minutes: Marketing & Sales monthly, Tuesday 1 December 2026');
    expect(moscow.subject).toBe('Minutes: Marketing & Sales monthly, Tuesday 1 December 2026');
    // Still Monday evening in California.
    expect(losAngeles.subject).toBe('Minutes: Marketing & Sales monthly, Monday 30 November 2026');

    expect(paris.text).toContain(`\n${PARIS_START}\n`);
    expect(paris.text).toContain(`  ${PARIS_NEXT}\n`);
    expect(paris.text).toContain('Times are shown in Europe/Paris.');
    expect(paris.html).toContain(PARIS_START);
    expect(paris.text).not.toContain('10:00 Europe/Moscow');

    expect(moscow.text).toContain(`\n${MOSCOW_START}\n`);
    expect(moscow.text).toContain(`  ${MOSCOW_NEXT}\n`);
    expect(moscow.text).not.toContain(' · ');
    expect(moscow.html).toContain(MOSCOW_START);

    expect(losAngeles.text).toContain(`\n${LA_START}\n`);
  });

  it('shows the meeting room, the list and the dashboard in the signed-in person’s zone, with the meeting’s own beside', async () => {
    const paris = await pageSession(t, org.marketingHead.token);
    const room = await paris.get(`/meetings/${meetingId}`);
    expect(room.status).toBe(200);
    expect(room.text).toContain(`<dt>When</dt><dd>${PARIS_START}`);
    expect(room.text).toContain('<title>Marketing &amp; Sales monthly, 1 Dec 2026');
    expect(room.text).not.toContain('10:00 Europe/Moscow (');

    const moscow = await pageSession(t, org.salesHead.token);
    expect((await moscow.get(`/meetings/${meetingId}`)).text).toContain(`<dt>When</dt><dd>${MOSCOW_START}`);

    const list = await paris.get('/meetings');
    expect(list.text).toContain(PARIS_NEXT);
    expect(list.text).not.toContain(MOSCOW_NEXT);

    const dashboard = await paris.get('/');
    expect(dashboard.text).toContain(PARIS_NEXT);
  });

  it('renders the minutes page and the API’s minutes in the reader’s zone, from the same stored revision', async () => {
    const paris = await pageSession(t, org.marketingHead.token);
    const page = await paris.get(`/meetings/${meetingId}/minutes`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(PARIS_START);

    const asMoscow = await t.as(org.salesHead.token).get(`/api/meetings/${meetingId}/minutes?format=text&revision=1`);
    expect(asMoscow.text).toContain(`\n${MOSCOW_START}\n`);
    const asParis = await t.as(org.marketingHead.token).get(`/api/meetings/${meetingId}/minutes?format=text&revision=1`);
    expect(asParis.text).toContain(`\n${PARIS_START}\n`);
    expect(asParis.text.replace(PARIS_START, '').replace(PARIS_NEXT, '').replace('Europe/Paris', '')).toBe(
      asMoscow.text.replace(MOSCOW_START, '').replace(MOSCOW_NEXT, '').replace('Europe/Moscow', ''),
    );
  });

  it('lists the invitation’s meetings in each invitee’s zone', () => {
    const invitation = (person: SeededPerson) => sink.to(person.email).find((mail) => !mail.subject?.startsWith('Minutes:'));
    expect(invitation(org.marketingHead)?.text).toContain(`- ${PARIS_NEXT}`);
    expect(invitation(org.salesHead)?.text).toContain(`- ${MOSCOW_NEXT}`);
  });
});
