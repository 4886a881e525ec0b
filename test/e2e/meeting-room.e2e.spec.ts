import { DataSource } from 'typeorm';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

interface Meeting {
  id: string;
  status: string;
  quorumMet: boolean | null;
  minutesStatus: string;
  minutesRevision: number;
  agenda: { id: string; source: string; title: string; details: { breaches?: { subject: string; explained: boolean }[]; actions?: { text: string }[] } | null }[];
  outcomes: { id: string; type: string; text: string; owner: { id: string } | null }[];
  revisions: { revision: number; status: string; approvedBy: string[] }[];
}

describe('running a meeting from agenda to approved minutes', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let meetings: { id: string }[];

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(
      monthlyMeeting(org, {
        startsOn: '2026-11-03T10:00',
        rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3',
        agendaTemplate: ['Any other business'],
        minuteTakerId: org.marketingMember.id,
        participants: [
          { personId: org.marketingHead.id, role: 'required' },
          { personId: org.salesHead.id, role: 'required', delegateId: org.salesMember.id },
          { personId: org.salesMember.id, role: 'optional' },
          { personId: org.marketingMember.id, role: 'informed' },
        ],
      }),
    );
    expect(series.status).toBe(201);
    meetings = series.body.meetings;
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const as = (token: string) => t.as(token);

  it('builds the agenda from the breaches since the last meeting, unexplained first, then the standing items', async () => {
    t.clock.set('2026-11-02T12:00:00Z');
    await t.as(org.marketingMember.token).post('/api/events').send([
      crmEvent('lead.handed_over', 'L-A', '2026-10-26T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'L-A', '2026-10-26T11:00:00+01:00'),
      crmEvent('lead.handed_over', 'L-B', '2026-10-27T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'L-B', '2026-10-27T12:00:00+01:00'),
    ]);
    const breaches = (await t.as().get('/api/breaches?limit=200')).body.items;
    const first = breaches.find((b: { subject: string }) => b.subject === 'L-A');
    await as(org.salesMember.token).post(`/api/breaches/${first.id}/explanation`).send({ cause: 'Queue unwatched.', correctiveAction: 'Rota.' });

    const built = await as(org.marketingHead.token).post(`/api/meetings/${meetings[0].id}/agenda/build`);
    expect(built.status).toBe(200);
    const body = built.body as Meeting;
    expect(body.agenda.map((item) => item.source)).toEqual(['breaches', 'template']);
    expect(body.agenda[0].title).toBe('Breaches of "Hot leads are called fast": 2, 1 unexplained');
    expect(body.agenda[0].details?.breaches?.map((b) => [b.subject, b.explained])).toEqual([
      ['L-B', false],
      ['L-A', true],
    ]);
    expect(body.minutesStatus).toBe('draft');
  });

  it('refuses an action item without owner, and a decision without rationale, changing nothing', async () => {
    const action = await as(org.marketingHead.token).post(`/api/meetings/${meetings[0].id}/outcomes`).send({ type: 'action', text: 'Fix the rota' });
    expect(action.status).toBe(400);
    expect(Object.keys(action.body.errors).sort()).toEqual(['dueOn', 'ownerId']);
    const decision = await as(org.marketingHead.token).post(`/api/meetings/${meetings[0].id}/outcomes`).send({ type: 'decision', text: 'Hot within 1 h stays' });
    expect(decision.status).toBe(400);
    expect((await t.as().get(`/api/meetings/${meetings[0].id}`)).body.outcomes).toEqual([]);
  });

  it('marks a meeting held without quorum when a head neither comes nor sends their delegate', async () => {
    t.clock.set('2026-11-03T10:30:00Z');
    const held = await as(org.marketingMember.token).put(`/api/meetings/${meetings[0].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'excused' },
        { personId: org.salesMember.id, status: 'present' },
      ],
    });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'held', quorumMet: false });
    const withDelegate = await as(org.marketingMember.token).put(`/api/meetings/${meetings[0].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'excused' },
        { personId: org.salesMember.id, status: 'delegate', delegateFor: org.salesHead.id },
      ],
    });
    expect(withDelegate.body.quorumMet).toBe(true);
  });

  it('records notes, a decision and action items, finalizes, locks, and is approved by both heads', async () => {
    const id = meetings[0].id;
    const view = (await t.as().get(`/api/meetings/${id}`)).body as Meeting;
    await as(org.marketingMember.token).patch(`/api/meetings/${id}/agenda/${view.agenda[0].id}`).send({ notes: 'Two breaches; the rota is the fix.' });
    await as(org.marketingMember.token).post(`/api/meetings/${id}/outcomes`).send({
      type: 'decision',
      text: 'Hot leads stay at one working hour.',
      rationale: 'Both breaches had a cause that is being fixed.',
      ownerId: org.salesHead.id,
      agendaItemId: view.agenda[0].id,
    });
    await as(org.marketingMember.token).post(`/api/meetings/${id}/outcomes`).send({ type: 'action', text: 'Publish the lead rota', ownerId: org.salesHead.id, dueOn: '2026-11-20' });
    await as(org.marketingMember.token).post(`/api/meetings/${id}/outcomes`).send({ type: 'action', text: 'Tag trade-show leads', ownerId: org.marketingMember.id, dueOn: '2026-11-25' });

    const finalized = await as(org.marketingMember.token).post(`/api/meetings/${id}/minutes/finalize`);
    expect(finalized.status).toBe(200);
    expect(finalized.body).toMatchObject({ minutesStatus: 'final', revisions: [{ revision: 1, status: 'final' }] });

    const edit = await as(org.marketingMember.token).post(`/api/meetings/${id}/outcomes`).send({ type: 'information', text: 'Late addition' });
    expect(edit.status).toBe(409);
    expect((await as(org.marketingMember.token).post(`/api/meetings/${id}/minutes/approve`)).status).toBe(403);
    expect((await t.as().post(`/api/meetings/${id}/minutes/approve`)).status).toBe(403);

    const half = await as(org.salesHead.token).post(`/api/meetings/${id}/minutes/approve`);
    expect(half.body.minutesStatus).toBe('final');
    expect((await as(org.salesHead.token).post(`/api/meetings/${id}/minutes/approve`)).status).toBe(409);
    const approved = await as(org.marketingHead.token).post(`/api/meetings/${id}/minutes/approve`);
    expect(approved.body).toMatchObject({ minutesStatus: 'approved', revisions: [{ revision: 1, status: 'approved' }] });
    expect((await as(org.marketingMember.token).patch(`/api/meetings/${id}/agenda/${view.agenda[0].id}`).send({ notes: 'changed' })).status).toBe(409);
  });

  it('emails the approved minutes to participants and informed-only people, each with their own actions', async () => {
    await t.as().post('/api/notifications/dispatch');
    const minutes = sink.messages.filter((mail) => mail.subject?.startsWith('Minutes:'));
    const to = (mail: (typeof minutes)[number]) => (Array.isArray(mail.to) ? '' : (mail.to?.value[0].address ?? ''));
    expect(minutes.map(to).sort()).toEqual([org.marketingHead.email, org.marketingMember.email, org.salesHead.email, org.salesMember.email].sort());
    const salesHead = minutes.find((mail) => to(mail) === org.salesHead.email);
    expect(salesHead?.subject).toMatch(/1 action\(s\) for you$/);
    expect(salesHead?.text).toContain('YOUR ACTIONS, Samir Head');
    expect(salesHead?.text).toContain('  - Publish the lead rota (due 2026-11-20)');
    expect(salesHead?.text).not.toContain('  - Tag trade-show leads (due');
    const informed = minutes.find((mail) => to(mail) === org.marketingMember.email);
    expect(informed?.text).toContain('  - Tag trade-show leads (due 2026-11-25)');
    const marketingHead = minutes.find((mail) => to(mail) === org.marketingHead.email);
    expect(marketingHead?.text).not.toContain('YOUR ACTIONS');
    expect(salesHead?.html).toContain('Hot leads stay at one working hour.');
  });

  it('serves the minutes as HTML, text and PDF, and keeps the approved revision readable after a correction', async () => {
    const id = meetings[0].id;
    const html = await t.as().get(`/api/meetings/${id}/minutes`);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('Publish the lead rota');
    const text = await t.as().get(`/api/meetings/${id}/minutes?format=text`);
    expect(text.text).toMatch(/^MINUTES: Marketing & Sales monthly/);
    expect(text.text).toContain('Approved by');
    const pdf = await t.as().get(`/api/meetings/${id}/minutes?format=pdf`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const corrected = await t.as(org.marketingHead.token).post(`/api/meetings/${id}/minutes/corrections`);
    expect(corrected.body).toMatchObject({ minutesStatus: 'draft', minutesRevision: 2 });
    await t.as(org.marketingMember.token).post(`/api/meetings/${id}/outcomes`).send({ type: 'information', text: 'Correction: the rota starts on Monday.' });
    const draft = await t.as().get(`/api/meetings/${id}/minutes?format=text`);
    expect(draft.text).toContain('Correction: the rota starts on Monday.');
    const first = await t.as().get(`/api/meetings/${id}/minutes?format=text&revision=1`);
    expect(first.text).not.toContain('Correction');
    expect(first.text).toContain('Revision 1, approved');
    expect((await t.as().get(`/api/meetings/${id}/minutes?revision=9`)).status).toBe(404);
    expect((await t.as().get(`/api/meetings/${id}/minutes?format=doc`)).status).toBe(400);
  });

  it('reminds the owner of an action item before it is due, and tells them once it is overdue', async () => {
    const about = (text: string) => sink.messages.filter((mail) => mail.subject?.includes(text));
    for (const instant of ['2026-11-17T09:00:00Z', '2026-11-18T09:00:00Z', '2026-11-19T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-22T09:00:00Z']) {
      t.clock.set(instant);
      await t.as().post('/api/admin/sweep');
      await t.as().post('/api/notifications/dispatch');
    }
    expect(about('Publish the lead rota').map((mail) => mail.subject)).toEqual(['Due 2026-11-20: Publish the lead rota', 'Overdue since 2026-11-20: Publish the lead rota']);
    expect(about('Publish the lead rota')[0].text).toContain('this action item is due on 2026-11-20');
  });

  it('counts an action item overdue by its owner’s own calendar date', async () => {
    // 23:30 UTC on the due date: already the 21st in Paris, still the 20th in New York.
    t.clock.set('2026-11-20T23:30:00Z');
    const rota = async () => (await t.as().get('/api/action-items?status=open')).body.items.find((a: { text: string }) => a.text === 'Publish the lead rota');
    expect((await rota()).overdue).toBe(true);
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ timezone: 'America/New_York' })).status).toBe(200);
    expect((await rota()).overdue).toBe(false);
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ timezone: 'Europe/Paris' })).status).toBe(200);
  });

  it('carries open action items to the next agenda until they are done', async () => {
    t.clock.set('2026-11-30T12:00:00Z');
    const next = await as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/agenda/build`);
    const actions = (next.body as Meeting).agenda.find((item) => item.source === 'actions');
    expect(actions?.details?.actions?.map((a) => a.text).sort()).toEqual(['Publish the lead rota', 'Tag trade-show leads']);
    const rota = (await t.as().get('/api/action-items?status=open')).body.items.find((a: { text: string }) => a.text === 'Publish the lead rota');
    expect(rota.overdue).toBe(true);
    expect((await as(org.marketingMember.token).patch(`/api/action-items/${rota.id}`).send({ status: 'done' })).status).toBe(403);
    expect((await as(org.salesHead.token).patch(`/api/action-items/${rota.id}`).send({ status: 'done' })).body.status).toBe('done');
    const rebuilt = await as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/agenda/build`);
    const carried = (rebuilt.body as Meeting).agenda.find((item) => item.source === 'actions');
    expect(carried?.details?.actions?.map((a) => a.text)).toEqual(['Tag trade-show leads']);
    const dataSource = t.app.get(DataSource);
    expect(Number((await dataSource.query(`SELECT COUNT(*) AS n FROM agenda_items WHERE meeting_id = '${meetings[1].id}'`))[0].n)).toBe(2);
  });
});
