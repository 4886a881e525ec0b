import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { briefsAnswered, completeContent } from '../support/brief-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

interface AgendaItem {
  id: string;
  source: string;
  title: string;
  details: {
    breaches?: { subject: string; explained: boolean }[];
    actions?: { text: string; owner: string | null }[];
    briefs?: { id: string; title: string; status: string; lastStep: string; comment: string | null }[];
  } | null;
}

/**
 * A quarter of the monthly marketing–sales meeting, as the two heads live it: Tuesday 6 October,
 * Tuesday 3 November moved to Thursday the 5th (held without the head of sales), Tuesday
 * 1 December, and Tuesday 5 January cancelled. Between them, leads are called late, a brief goes
 * back and forth, and action items are done or carried over. Times are Paris time; the clock
 * changes on 25 October.
 */
describe('a quarter of monthly marketing–sales meetings', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let seriesId: string;
  let meetings: { id: string; startsAt: string }[];
  let briefId: string;
  let briefsAgreementId: string;

  const at = (instant: string) => t.clock.set(instant);
  const as = (token?: string) => t.as(token);
  const agendaOf = async (meetingId: string, token = org.marketingHead.token) => {
    const built = await as(token).post(`/api/meetings/${meetingId}/agenda/build`);
    expect(built.status).toBe(200);
    return built.body.agenda as AgendaItem[];
  };
  const section = (agenda: AgendaItem[], source: string) => agenda.find((item) => item.source === source);
  const hotLead = (subject: string, handedOver: string, contacted: string) => [
    crmEvent('lead.handed_over', subject, handedOver, { score: 'hot' }),
    crmEvent('lead.contacted', subject, contacted),
  ];
  const recipientOf = (mail: (typeof sink.messages)[number]) => (Array.isArray(mail.to) ? '' : (mail.to?.value[0].address ?? ''));

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    at('2026-09-28T07:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    briefsAgreementId = await signAgreement(t, org, briefsAnswered(org, calendarId));
    const series = await as(org.marketingHead.token).post('/api/meeting-series').send(
      monthlyMeeting(org, {
        startsOn: '2026-10-06T10:00',
        location: 'Room Lafayette',
        agendaTemplate: ['Any other business'],
        minuteTakerId: org.marketingMember.id,
      }),
    );
    expect(series.status).toBe(201);
    seriesId = series.body.id;
    meetings = series.body.meetings;
    expect(meetings.map((m) => m.startsAt)).toEqual([
      '2026-10-06T08:00:00.000Z',
      '2026-11-03T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2027-01-05T09:00:00.000Z',
    ]);
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('October: the agenda lists the breach of September; both heads come, act and sign the minutes', async () => {
    at('2026-09-30T12:00:00Z');
    await as(org.marketingMember.token).post('/api/events').send(hotLead('L-SEP', '2026-09-30T09:00:00+02:00', '2026-09-30T12:00:00+02:00'));

    at('2026-10-06T07:30:00Z');
    const agenda = await agendaOf(meetings[0].id);
    expect(agenda.map((item) => item.source)).toEqual(['breaches', 'template']);
    expect(section(agenda, 'breaches')?.details?.breaches?.map((b) => b.subject)).toEqual(['L-SEP']);

    at('2026-10-06T08:05:00Z');
    const attendance = await as(org.marketingMember.token).put(`/api/meetings/${meetings[0].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'present' },
        { personId: org.salesMember.id, status: 'excused' },
      ],
    });
    expect(attendance.body).toMatchObject({ status: 'held', quorumMet: true });
    const outcome = (body: object) => as(org.marketingMember.token).post(`/api/meetings/${meetings[0].id}/outcomes`).send(body);
    expect((await outcome({ type: 'action', text: 'Publish the lead rota', ownerId: org.salesHead.id, dueOn: '2026-10-16' })).status).toBe(200);
    expect((await outcome({ type: 'action', text: 'Tighten MQL scoring', ownerId: org.marketingHead.id, dueOn: '2026-11-27' })).status).toBe(200);
    expect((await as(org.marketingMember.token).post(`/api/meetings/${meetings[0].id}/minutes/finalize`)).status).toBe(200);
    expect((await as(org.salesHead.token).post(`/api/meetings/${meetings[0].id}/minutes/approve`)).status).toBe(200);
    const approved = await as(org.marketingHead.token).post(`/api/meetings/${meetings[0].id}/minutes/approve`);
    expect(approved.body.minutesStatus).toBe('approved');
  });

  it('a brief is filed, returned, resubmitted and accepted, its answer timed without the days it spent returned', async () => {
    at('2026-10-12T06:50:00Z');
    const draft = await as(org.marketingHead.token)
      .post('/api/briefs')
      .send({ title: 'Webinar follow-up', recipientDepartmentId: org.sales.id, content: completeContent(org.marketingHead.id) });
    expect(draft.status).toBe(201);
    briefId = draft.body.id;
    at('2026-10-12T07:00:00Z'); // Monday 09:00
    expect((await as(org.marketingHead.token).post(`/api/briefs/${briefId}/submit`)).body.status).toBe('submitted');
    at('2026-10-12T09:00:00Z'); // 11:00
    const returned = await as(org.salesHead.token).post(`/api/briefs/${briefId}/return`).send({ comment: 'Which segment first?' });
    expect(returned.body.status).toBe('returned');
    at('2026-10-13T07:00:00Z'); // Tuesday 09:00
    expect((await as(org.marketingHead.token).post(`/api/briefs/${briefId}/submit`)).body.status).toBe('submitted');
    at('2026-10-13T08:00:00Z'); // 10:00
    expect((await as(org.salesHead.token).post(`/api/briefs/${briefId}/accept`)).body.status).toBe('accepted');

    const clocks = await as(org.salesHead.token).get('/api/clocks').query({ subject: `brief:${briefId}`, agreementId: briefsAgreementId });
    expect(clocks.body.items).toHaveLength(1);
    expect(clocks.body.items[0]).toMatchObject({
      state: 'stopped',
      outcome: 'met',
      // Monday 09:00–11:00 and Tuesday 09:00–10:00; returned from Monday 11:00 to the close.
      elapsedSeconds: 3 * 3600,
      pausedSeconds: 7 * 3600,
    });
  });

  it('November is moved to Thursday the 5th and January cancelled, each on its own', async () => {
    at('2026-10-14T09:00:00Z');
    const rota = (await as().get('/api/action-items?status=open')).body.items.find((a: { text: string }) => a.text === 'Publish the lead rota');
    expect((await as(org.salesHead.token).patch(`/api/action-items/${rota.id}`).send({ status: 'done' })).body.status).toBe('done');
    at('2026-10-20T12:00:00Z');
    await as(org.marketingMember.token).post('/api/events').send(hotLead('L-OCT', '2026-10-20T10:00:00+02:00', '2026-10-20T13:00:00+02:00'));

    at('2026-10-28T09:00:00Z');
    // History stays as the signed minutes tell it, and nothing moves into the past.
    const before = (await as().get('/api/meetings').query({ seriesId })).body;
    const calendarBefore = (await as().get(`/api/meeting-series/${seriesId}/calendar.ics`)).text;
    const finalized = await as(org.marketingHead.token).post(`/api/meetings/${meetings[0].id}/move`).send({ startsAt: '2026-11-10T10:00:00+01:00' });
    expect(finalized.status).toBe(409);
    expect(finalized.body.message).toMatch(/minutes of this meeting are final/);
    const intoThePast = await as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/move`).send({ startsAt: '2026-10-27T10:00:00+01:00' });
    expect(intoThePast.status).toBe(400);
    expect(Object.keys(intoThePast.body.errors)).toEqual(['startsAt']);
    expect((await as().get('/api/meetings').query({ seriesId })).body).toEqual(before);
    expect((await as().get(`/api/meeting-series/${seriesId}/calendar.ics`)).text).toBe(calendarBefore);

    const moved = await as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/move`).send({ startsAt: '2026-11-05T10:00:00+01:00' });
    expect(moved.status).toBe(200);
    // A cancellation takes no reason: one sent is refused, not dropped in silence.
    const withReason = await as(org.marketingHead.token).post(`/api/meetings/${meetings[3].id}/cancel`).send({ reason: 'New Year' });
    expect(withReason.status).toBe(400);
    expect(Object.keys(withReason.body.errors)).toEqual(['reason']);
    const cancelled = await as(org.marketingHead.token).post(`/api/meetings/${meetings[3].id}/cancel`);
    expect(cancelled.status).toBe(200);
    // Calendars get the same series back, updated: the moved one overridden, January excluded.
    const calendar = (await as().get(`/api/meeting-series/${seriesId}/calendar.ics`)).text;
    expect(calendar.match(/^UID:/gm)).toHaveLength(2);
    expect(calendar).toMatch(/^RECURRENCE-ID;TZID=Europe\/Paris:20261103T100000\r?$/m);
    expect(calendar).toMatch(/^DTSTART;TZID=Europe\/Paris:20261105T100000\r?$/m);
    expect(calendar).toMatch(/^EXDATE;TZID=Europe\/Paris:20270105T100000\r?$/m);
    const listed = (await as().get('/api/meetings').query({ seriesId })).body.items as { id: string; status: string; startsAt: string }[];
    expect(listed.map((m) => [m.startsAt, m.status])).toEqual([
      ['2026-10-06T08:00:00.000Z', 'held'],
      ['2026-11-05T09:00:00.000Z', 'scheduled'],
      ['2026-12-01T09:00:00.000Z', 'scheduled'],
      ['2027-01-05T09:00:00.000Z', 'cancelled'],
    ]);
  });

  it('November: the agenda has the new breach only, the open action carried over and the brief; without the head of sales there is no quorum', async () => {
    at('2026-11-05T08:00:00Z');
    const agenda = await agendaOf(meetings[1].id);
    expect(agenda.map((item) => item.source)).toEqual(['breaches', 'actions', 'briefs', 'template']);
    expect(section(agenda, 'breaches')?.details?.breaches?.map((b) => b.subject)).toEqual(['L-OCT']);
    expect(section(agenda, 'actions')?.details?.actions?.map((a) => a.text)).toEqual(['Tighten MQL scoring']);
    expect(section(agenda, 'briefs')?.details?.briefs).toEqual([
      expect.objectContaining({ id: briefId, title: 'Webinar follow-up', status: 'accepted', lastStep: 'submitted' }),
    ]);

    at('2026-11-05T09:10:00Z');
    const attendance = await as(org.marketingMember.token).put(`/api/meetings/${meetings[1].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'absent' },
        { personId: org.salesMember.id, status: 'present' },
      ],
    });
    expect(attendance.body).toMatchObject({ status: 'held', quorumMet: false });
  });

  it('December: breaches since the 5th, unexplained first; minutes approved by both heads and emailed with personal actions', async () => {
    at('2026-11-18T12:00:00Z');
    await as(org.marketingMember.token)
      .post('/api/events')
      .send([
        ...hotLead('L-NOV-A', '2026-11-18T09:00:00+01:00', '2026-11-18T11:00:00+01:00'),
        ...hotLead('L-NOV-B', '2026-11-18T10:00:00+01:00', '2026-11-18T12:30:00+01:00'),
      ]);
    const breaches = (await as().get('/api/breaches?limit=200')).body.items as { id: string; subject: string }[];
    const explained = breaches.find((b) => b.subject === 'L-NOV-A');
    expect(
      (await as(org.salesMember.token).post(`/api/breaches/${explained?.id}/explanation`).send({ cause: 'Trade show.', correctiveAction: 'Cover rota.' })).status,
    ).toBe(200);

    at('2026-12-01T08:30:00Z');
    const agenda = await agendaOf(meetings[2].id);
    expect(agenda.map((item) => item.source)).toEqual(['breaches', 'actions', 'template']);
    expect(section(agenda, 'breaches')?.details?.breaches?.map((b) => [b.subject, b.explained])).toEqual([
      ['L-NOV-B', false],
      ['L-NOV-A', true],
    ]);
    expect(section(agenda, 'actions')?.details?.actions?.map((a) => [a.text, a.owner])).toEqual([['Tighten MQL scoring', 'Maëlle Head']]);

    at('2026-12-01T09:05:00Z');
    await as(org.marketingMember.token).put(`/api/meetings/${meetings[2].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'present' },
        { personId: org.salesMember.id, status: 'present' },
      ],
    });
    const outcome = (body: object) => as(org.marketingMember.token).post(`/api/meetings/${meetings[2].id}/outcomes`).send(body);
    expect(
      (await outcome({ type: 'decision', text: 'Hot leads stay at one working hour.', rationale: 'The causes are being fixed.', ownerId: org.salesHead.id })).status,
    ).toBe(200);
    expect((await outcome({ type: 'action', text: 'Call back every November hot lead', ownerId: org.salesMember.id, dueOn: '2026-12-11' })).status).toBe(200);
    expect((await outcome({ type: 'action', text: 'Share the webinar list', ownerId: org.marketingHead.id, dueOn: '2026-12-08' })).status).toBe(200);
    expect((await as(org.marketingMember.token).post(`/api/meetings/${meetings[2].id}/minutes/finalize`)).status).toBe(200);
    at('2026-12-01T15:00:00Z');
    expect((await as(org.marketingHead.token).post(`/api/meetings/${meetings[2].id}/minutes/approve`)).body.minutesStatus).toBe('final');
    expect((await as(org.salesHead.token).post(`/api/meetings/${meetings[2].id}/minutes/approve`)).body.minutesStatus).toBe('approved');

    await as().post('/api/notifications/dispatch');
    const december = sink.messages.filter((mail) => mail.subject?.startsWith('Minutes: Marketing & Sales monthly, Tuesday 1 December 2026'));
    expect(december.map(recipientOf).sort()).toEqual([org.marketingHead.email, org.marketingMember.email, org.salesHead.email, org.salesMember.email].sort());
    const mailOf = (email: string) => december.find((mail) => recipientOf(mail) === email);
    expect(mailOf(org.salesMember.email)?.subject).toMatch(/1 action\(s\) for you$/);
    expect(mailOf(org.salesMember.email)?.text).toContain('  - Call back every November hot lead (due 2026-12-11)');
    expect(mailOf(org.salesMember.email)?.text).not.toContain('  - Share the webinar list (due');
    expect(mailOf(org.marketingHead.email)?.text).toContain('  - Share the webinar list (due 2026-12-08)');
    expect(mailOf(org.salesHead.email)?.text).not.toContain('YOUR ACTIONS');
    expect(mailOf(org.marketingMember.email)?.text).not.toContain('YOUR ACTIONS');
    expect(mailOf(org.salesHead.email)?.html).toContain('Hot leads stay at one working hour.');
    // The October minutes went out once, on their approval, and were not sent again.
    expect(sink.messages.filter((mail) => mail.subject?.startsWith('Minutes: Marketing & Sales monthly, Tuesday 6 October 2026'))).toHaveLength(4);
  });

  it("lists the owner's open actions in their next breach report, and the quarter's attendance with the meeting held without quorum", async () => {
    at('2026-12-02T09:00:00Z');
    expect((await as(org.salesMember.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every Monday 08:00' })).status).toBe(201);
    at('2026-12-07T07:00:30Z');
    await as().post('/api/admin/sweep');
    await as().post('/api/notifications/dispatch');
    const report = sink.messages.find((mail) => mail.subject?.startsWith('Breach report') && recipientOf(mail) === org.salesMember.email);
    expect(report?.text).toContain('YOUR OPEN ACTION ITEMS');
    expect(report?.text).toContain('  - Call back every November hot lead (due 2026-12-11)');
    expect(report?.text).not.toContain('Share the webinar list');

    const attendance = await as(org.salesHead.token).get('/api/reports/attendance').query({ from: '2026-10-01T00:00:00+02:00', to: '2027-01-01T00:00:00+01:00' });
    expect(attendance.body.meetingsHeld).toBe(3);
    expect(attendance.body.withoutQuorum).toEqual([{ meetingId: meetings[1].id, title: 'Marketing & Sales monthly', startsAt: '2026-11-05T09:00:00.000Z' }]);
    const salesHead = attendance.body.people.find((row: { personId: string }) => row.personId === org.salesHead.id);
    expect(salesHead).toMatchObject({ invited: 3, present: 2, absent: 1 });
  });
});
