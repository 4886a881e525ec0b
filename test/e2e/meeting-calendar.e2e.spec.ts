import type { ParsedMail } from 'mailparser';
import { invitationOf, occurrencesOf, readCalendar } from '../support/ical-reader.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

describe('meeting series as iCalendar: download and invitations', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let series: { id: string; meetings: { id: string; occurrenceStart: string }[] };

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Concord <concord@example.com>' } });
    org = await seedOrg(t);
    await t.as().patch(`/api/people/${org.salesMember.id}`).send({ timezone: 'America/New_York' });
    t.clock.set('2026-12-01T09:00:00Z');
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const monthly = () => monthlyMeeting(org, { title: 'Marketing & Sales — monthly', location: 'Room Jupiter' });

  const download = async (id: string) => {
    const response = await t.as(org.salesMember.token).get(`/api/meeting-series/${id}/calendar.ics`);
    expect(response.status).toBe(200);
    return { response, calendar: readCalendar(response.text) };
  };

  const dispatch = async () => (await t.as().post('/api/notifications/dispatch')).body;
  const invitees = () => [org.marketingHead.email, org.salesHead.email, org.salesMember.email];

  it('serves a series as text/calendar that ical.js reads at 10:00 Paris time in winter and in summer', async () => {
    const created = await t.as(org.salesHead.token).post('/api/meeting-series').send(monthly());
    expect(created.status).toBe(201);
    series = created.body;

    const { response, calendar } = await download(series.id);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="marketing-sales-monthly.ics"');
    expect(calendar.method).toBe('REQUEST');
    expect(calendar.timezones).toEqual(['Europe/Paris']);
    expect(calendar.event.uid).toBe(`${series.id}@concord`);
    expect(calendar.event.sequence).toBe(0);
    expect(calendar.event.summary).toBe('Marketing & Sales — monthly');
    expect(calendar.event.location).toBe('Room Jupiter');
    expect(calendar.master.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Paris');
    expect(String(calendar.master.getFirstPropertyValue('organizer')).toLowerCase()).toBe(`mailto:${org.marketingHead.email}`);
    expect(calendar.attendees).toEqual([
      { address: org.marketingHead.email, role: 'REQ-PARTICIPANT' },
      { address: org.salesHead.email, role: 'REQ-PARTICIPANT' },
      { address: org.salesMember.email, role: 'OPT-PARTICIPANT' },
    ]);

    const occurrences = occurrencesOf(calendar);
    expect(occurrences.map((o) => o.local)).toEqual(['2027-01-05T10:00:00', '2027-02-02T10:00:00', '2027-03-02T10:00:00', '2027-04-06T10:00:00']);
    expect(occurrences.every((o) => o.zone === 'Europe/Paris')).toBe(true);
    // Across the March change: 09:00 UTC in winter, 08:00 UTC in summer, as Concord planned them.
    expect(occurrences.map((o) => o.utc)).toEqual(series.meetings.map((m) => m.occurrenceStart));
    expect(occurrences[0].utc).toBe('2027-01-05T09:00:00.000Z');
    expect(occurrences[3].utc).toBe('2027-04-06T08:00:00.000Z');

    expect((await t.anonymous().get(`/api/meeting-series/${series.id}/calendar.ics`)).status).toBe(401);
    expect((await t.as().get('/api/meeting-series/00000000-0000-4000-8000-000000000001/calendar.ics')).status).toBe(404);
  });

  it('invites required and optional participants through the outbox, each in their own time zone, and not the informed', async () => {
    expect(await dispatch()).toMatchObject({ sent: 3, failed: 0 });
    expect(sink.to(org.marketingMember.email)).toEqual([]);
    for (const address of invitees()) {
      const mails = sink.to(address);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe('Invitation: Marketing & Sales — monthly');
      const { attachment, params, calendar } = invitationOf(mails[0]);
      expect(attachment.filename).toBe('invite.ics');
      expect(params).toMatchObject({ method: 'REQUEST', charset: 'utf-8' });
      expect(calendar.method).toBe('REQUEST');
      expect(calendar.event.uid).toBe(`${series.id}@concord`);
      expect(calendar.event.sequence).toBe(0);
      expect(occurrencesOf(calendar).map((o) => o.utc)).toEqual(series.meetings.map((m) => m.occurrenceStart));
    }
    const [forSofia] = sink.to(org.salesMember.email);
    expect(forSofia.text).toContain('(optional)');
    expect(forSofia.text).toContain('- Tue 5 Jan 2027, 04:00 America/New_York (2027-01-05T04:00-05:00)');
    expect(forSofia.text).toContain('- Tue 6 Apr 2027, 04:00 America/New_York (2027-04-06T04:00-04:00)');
    expect(forSofia.html).toContain('Room Jupiter');
    const [forSamir] = sink.to(org.salesHead.email);
    expect(forSamir.text).toContain('- Tue 6 Apr 2027, 10:00 Europe/Paris (2027-04-06T10:00+02:00)');
  });

  it('excludes a cancelled occurrence with an EXDATE under the same UID and a higher SEQUENCE', async () => {
    expect((await t.as(org.marketingHead.token).post(`/api/meetings/${series.meetings[1].id}/cancel`)).status).toBe(200);
    const { calendar } = await download(series.id);
    expect(calendar.event.uid).toBe(`${series.id}@concord`);
    expect(calendar.event.sequence).toBe(1);
    const exdate = calendar.master.getFirstProperty('exdate');
    expect(exdate?.getParameter('tzid')).toBe('Europe/Paris');
    expect(String(exdate?.getFirstValue())).toBe('2027-02-02T10:00:00');
    expect(occurrencesOf(calendar).map((o) => o.local)).toEqual(['2027-01-05T10:00:00', '2027-03-02T10:00:00', '2027-04-06T10:00:00']);
  });

  it('moves an occurrence with an override: same UID, RECURRENCE-ID the original local start, the new start', async () => {
    const moved = await t.as(org.salesHead.token).post(`/api/meetings/${series.meetings[2].id}/move`).send({ startsAt: '2027-03-03T14:00:00+01:00' });
    expect(moved.status).toBe(200);
    const { calendar } = await download(series.id);
    expect(calendar.event.sequence).toBe(2);
    expect(calendar.overrides).toHaveLength(1);
    const [override] = calendar.overrides;
    expect(override.getFirstPropertyValue('uid')).toBe(`${series.id}@concord`);
    expect(override.getFirstProperty('recurrence-id')?.getParameter('tzid')).toBe('Europe/Paris');
    expect(String(override.getFirstPropertyValue('recurrence-id'))).toBe('2027-03-02T10:00:00');
    expect(String(override.getFirstPropertyValue('dtstart'))).toBe('2027-03-03T14:00:00');
    expect(occurrencesOf(calendar)).toEqual([
      { utc: '2027-01-05T09:00:00.000Z', local: '2027-01-05T10:00:00', zone: 'Europe/Paris', recurrenceId: '2027-01-05T10:00:00' },
      { utc: '2027-03-03T13:00:00.000Z', local: '2027-03-03T14:00:00', zone: 'Europe/Paris', recurrenceId: '2027-03-02T10:00:00' },
      { utc: '2027-04-06T08:00:00.000Z', local: '2027-04-06T10:00:00', zone: 'Europe/Paris', recurrenceId: '2027-04-06T10:00:00' },
    ]);
  });

  it('sends each invitee one update with the latest SEQUENCE and the same UID, the superseded one not at all', async () => {
    const before = sink.messages.length;
    // Two changes since the last dispatch: the SEQUENCE 1 messages are superseded by the SEQUENCE 2 ones.
    expect(await dispatch()).toMatchObject({ sent: 3, skipped: 3, failed: 0 });
    expect(sink.messages).toHaveLength(before + 3);
    for (const address of invitees()) {
      const [first, update] = sink.to(address);
      expect(update.subject).toBe('Updated invitation: Marketing & Sales — monthly');
      const sent = invitationOf(first).calendar;
      const { calendar } = invitationOf(update);
      expect(calendar.event.uid).toBe(sent.event.uid);
      expect(calendar.event.sequence).toBeGreaterThan(sent.event.sequence);
      expect(calendar.event.sequence).toBe(2);
      expect(occurrencesOf(calendar).map((o) => o.utc)).toEqual(['2027-01-05T09:00:00.000Z', '2027-03-03T13:00:00.000Z', '2027-04-06T08:00:00.000Z']);
    }
    const update = sink.to(org.salesMember.email)[1];
    // In the invitee's zone, with the time in the series' own zone beside.
    expect(update.text).toContain('- Wed 3 Mar 2027, 08:00 America/New_York (2027-03-03T08:00-05:00) · 14:00 in Europe/Paris (moved)');
    expect(update.text).toContain('Called off:\n- Tue 2 Feb 2027, 04:00 America/New_York (2027-02-02T04:00-05:00)');
    expect(sink.to(org.marketingMember.email)).toEqual([]);
  });

  it('takes a participant who is no longer invited out of their calendar, and leaves the others invited', async () => {
    const participants = monthly().participants.map((p) => (p.personId === org.salesMember.id ? { ...p, role: 'informed' } : p));
    expect((await t.as().patch(`/api/meeting-series/${series.id}`).send({ participants })).status).toBe(200);
    expect(await dispatch()).toMatchObject({ sent: 3, failed: 0 });
    const cancel = sink.to(org.salesMember.email)[2];
    expect(cancel.subject).toBe('No longer invited: Marketing & Sales — monthly');
    const { params, calendar } = invitationOf(cancel);
    expect(params.method).toBe('CANCEL');
    expect(calendar.method).toBe('CANCEL');
    expect(calendar.event.uid).toBe(`${series.id}@concord`);
    expect(calendar.event.sequence).toBe(3);
    expect(calendar.attendees).toEqual([{ address: org.salesMember.email, role: 'REQ-PARTICIPANT' }]);
    const update = invitationOf(sink.to(org.salesHead.email)[2]).calendar;
    expect(update.method).toBe('REQUEST');
    expect(update.attendees.map((a) => a.address)).toEqual([org.marketingHead.email, org.salesHead.email]);
  });

  it('cancels the whole series with METHOD:CANCEL, in the download and to every invitee', async () => {
    expect((await t.as(org.marketingHead.token).post(`/api/meeting-series/${series.id}/cancel`)).status).toBe(200);
    const { calendar } = await download(series.id);
    expect(calendar.method).toBe('CANCEL');
    expect(calendar.event.uid).toBe(`${series.id}@concord`);
    expect(calendar.event.sequence).toBe(4);
    expect(calendar.master.getFirstPropertyValue('status')).toBe('CANCELLED');

    const sofiaBefore = sink.to(org.salesMember.email).length;
    expect(await dispatch()).toMatchObject({ sent: 2, failed: 0 });
    for (const address of [org.marketingHead.email, org.salesHead.email]) {
      const cancel = sink.to(address).at(-1) as ParsedMail;
      expect(cancel.subject).toBe('Cancelled: Marketing & Sales — monthly');
      const { attachment, params, calendar: sent } = invitationOf(cancel);
      expect(attachment.filename).toBe('cancel.ics');
      expect(params.method).toBe('CANCEL');
      expect(sent.method).toBe('CANCEL');
      expect(sent.event.uid).toBe(`${series.id}@concord`);
      expect(sent.event.sequence).toBe(4);
    }
    // Already taken out of her calendar: nothing more to tell her.
    expect(sink.to(org.salesMember.email)).toHaveLength(sofiaBefore);
    expect(sink.to(org.marketingMember.email)).toEqual([]);
  });

  it('sends the current state once to a series changed before its invitations left, and nothing for one cancelled before', async () => {
    const changed = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'Changed at once' })).body;
    await t.as().patch(`/api/meeting-series/${changed.id}`).send({ location: 'Room Saturn' });
    const dropped = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'Dropped at once' })).body;
    await t.as().post(`/api/meeting-series/${dropped.id}/cancel`);
    const before = sink.messages.length;
    expect(await dispatch()).toMatchObject({ sent: 3, skipped: 9, failed: 0 });
    const sent = sink.messages.slice(before);
    expect(sent.map((mail) => mail.subject)).toEqual(Array(3).fill('Invitation: Changed at once'));
    const { calendar } = invitationOf(sent[0]);
    expect([calendar.event.sequence, calendar.event.location]).toEqual([1, 'Room Saturn']);
  });
});
