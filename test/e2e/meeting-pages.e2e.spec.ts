import { monthlyMeeting } from '../support/meeting-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

interface MeetingView {
  id: string;
  status: string;
  minutesStatus: string;
  agenda: { id: string; title: string; notes: string | null }[];
  attendance: { person: { id: string }; status: string }[];
  outcomes: { text: string }[];
  revisions: { revision: number; status: string; approvedBy: string[] }[];
}

type Session = Awaited<ReturnType<typeof pageSession>>;

/** Rows as a browser posts them (`entries[0][personId]`): superagent would flatten a list of objects. */
const rows = (list: Record<string, string>[]) => Object.fromEntries(list.map((row, index) => [String(index), row]));

/** The text of the element with this id, tags stripped (the field errors the pages show). */
function textOf(html: string, id: string): string | null {
  const match = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</(p|div|textarea)>`).exec(html);
  return match ? match[1].replace(/<[^>]+>/g, '') : null;
}

describe('the meeting pages refuse bad input, show why next to the field, and change nothing', () => {
  let t: TestApp;
  let org: SeededOrg;
  let meetingId: string;
  let itemId: string;
  let chair: Session;
  let member: Session;
  let salesHead: Session;
  let outsider: SeededPerson;

  const meeting = async (): Promise<MeetingView> => (await t.as().get(`/api/meetings/${meetingId}`)).body as MeetingView;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    outsider = await createPerson(t, { name: 'Olga Outsider', email: 'olga@example.com', role: 'member', departmentId: org.sales.id });
    t.clock.set('2026-12-01T09:00:00Z');
    const series = await t
      .as(org.marketingHead.token)
      .post('/api/meeting-series')
      .send(monthlyMeeting(org, { agendaTemplate: ['Campaign calendar'], minuteTakerId: org.marketingMember.id }));
    expect(series.status).toBe(201);
    meetingId = series.body.meetings[0].id;
    chair = await pageSession(t, org.marketingHead.token);
    member = await pageSession(t, org.salesMember.token);
    salesHead = await pageSession(t, org.salesHead.token);
    const built = await chair.post(`/meetings/${meetingId}/agenda/build`);
    expect(built.status).toBe(303);
    itemId = (await meeting()).agenda[0].id;
  });

  afterAll(async () => t?.close());

  it('lists the meetings of my series, and opens the room with the forms its chair needs', async () => {
    const list = await member.get('/meetings');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/meetings/${meetingId}"`);
    expect(list.text).toContain('Marketing &amp; Sales monthly');
    const notMine = await (await pageSession(t, outsider.token)).get('/meetings');
    expect(notMine.text).toContain('You take part in no meeting series yet.');
    expect(notMine.text).not.toContain(`href="/meetings/${meetingId}"`);
    const room = await chair.get(`/meetings/${meetingId}`);
    expect(room.status).toBe(200);
    expect(room.text).toContain('1. Campaign calendar');
    expect(room.text).toContain('Save attendance');
    // A participant who does not keep the record reads it, without forms that would be refused.
    const readOnly = await member.get(`/meetings/${meetingId}`);
    expect(readOnly.text).toContain('1. Campaign calendar');
    expect(readOnly.text).not.toContain('Save attendance');
    expect(readOnly.text).not.toContain('Finalize the minutes');
  });

  it('answers a malformed meeting id with 400 and an unknown one with 404, as pages', async () => {
    expect((await chair.get('/meetings/not-a-uuid')).status).toBe(400);
    const unknown = await chair.get('/meetings/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('does not exist');
  });

  it('refuses every form posted without the CSRF token', async () => {
    for (const path of [
      `/meetings/${meetingId}/attendance`,
      `/meetings/${meetingId}/agenda`,
      `/meetings/${meetingId}/agenda/build`,
      `/meetings/${meetingId}/agenda/${itemId}/notes`,
      `/meetings/${meetingId}/agenda/${itemId}/outcomes`,
      `/meetings/${meetingId}/outcomes`,
      `/meetings/${meetingId}/minutes/finalize`,
      `/meetings/${meetingId}/minutes/approve`,
      `/meetings/${meetingId}/minutes/corrections`,
    ]) {
      const forged = await chair.forge(path, { newItem: { title: 'Forged' }, notes: { [itemId]: 'Forged' } });
      expect({ path, status: forged.status }).toEqual({ path, status: 403 });
    }
    const after = await meeting();
    expect(after.agenda.map((item) => item.title)).toEqual(['Campaign calendar']);
    expect(after.agenda[0].notes).toBeNull();
  });

  it('attendance: a status that is none, and a stand-in for nobody, are shown on their row', async () => {
    const badStatus = await chair.post(`/meetings/${meetingId}/attendance`, {
      entries: rows([
        { personId: org.marketingHead.id, present: 'true', status: 'absent', delegateFor: '' },
        { personId: org.salesHead.id, status: 'asleep', delegateFor: '' },
        { personId: org.salesMember.id, status: 'absent', delegateFor: '' },
        { personId: '', delegateFor: '', standIn: 'true' },
      ]),
    });
    expect(badStatus.status).toBe(400);
    expect(textOf(badStatus.text, 'f-entries-1-status-error')).toMatch(/status must be one of/);
    expect(badStatus.text).toContain('aria-invalid="true"');

    const standInForNobody = await chair.post(`/meetings/${meetingId}/attendance`, {
      entries: rows([
        { personId: org.marketingHead.id, present: 'true', status: 'absent', delegateFor: '' },
        { personId: org.salesHead.id, status: 'excused', delegateFor: '' },
        { personId: org.salesMember.id, status: 'absent', delegateFor: '' },
        { personId: outsider.id, delegateFor: '', standIn: 'true' },
      ]),
    });
    expect(standInForNobody.status).toBe(400);
    expect(textOf(standInForNobody.text, 'f-entries-3-delegateFor-error')).toBe('a delegate says whom they stand in for');
    // What was typed stays: the tick, the choice, and the person picked for the stand-in row.
    expect(standInForNobody.text).toMatch(/id="f-entries-0-present"[^>]*checked/);
    expect(standInForNobody.text).toMatch(/id="f-entries-1-status"[^>]*>[\s\S]*?<option value="excused" selected>/);
    expect(standInForNobody.text).toMatch(new RegExp(`id="f-entries-3-personId"[^>]*>[\\s\\S]*?<option value="${outsider.id}" selected>`));
    expect((await meeting()).attendance).toEqual([]);
    expect((await meeting()).status).toBe('scheduled');
  });

  it('attendance: standing in for someone outside the series is refused on that row', async () => {
    const response = await chair.post(`/meetings/${meetingId}/attendance`, {
      entries: rows([
        { personId: org.marketingHead.id, present: 'true', status: 'absent', delegateFor: outsider.id },
        { personId: org.salesHead.id, status: 'absent', delegateFor: '' },
      ]),
    });
    expect(response.status).toBe(400);
    expect(textOf(response.text, 'f-entries-0-delegateFor-error')).toBe('a delegate stands in for a participant of the series');
    expect((await meeting()).attendance).toEqual([]);
  });

  it('agenda: an item without a title is refused next to the field', async () => {
    const response = await chair.post(`/meetings/${meetingId}/agenda`, { newItem: { title: '   ' } });
    expect(response.status).toBe(400);
    expect(textOf(response.text, 'f-newItem-title-error')).toMatch(/title must be/);
    expect((await meeting()).agenda).toHaveLength(1);
  });

  it('notes: too long is refused next to that item, keeping what was typed', async () => {
    const typed = `Long <b>notes</b> ${'x'.repeat(20_001)}`;
    const response = await chair.post(`/meetings/${meetingId}/agenda/${itemId}/notes`, { notes: { [itemId]: typed } });
    expect(response.status).toBe(400);
    expect(textOf(response.text, `f-notes-${itemId}-error`)).toMatch(/notes must be shorter than or equal to 20000 characters/);
    expect(response.text).toContain('Long &lt;b&gt;notes&lt;/b&gt; xxx');
    expect((await meeting()).agenda[0].notes).toBeNull();
  });

  it('outcomes: an action item without owner or due date is refused next to both fields, keeping the text', async () => {
    const response = await chair.post(`/meetings/${meetingId}/agenda/${itemId}/outcomes`, {
      outcomes: { [itemId]: { type: 'action', text: 'Publish the <rota>', rationale: '', ownerId: '', dueOn: '' } },
    });
    expect(response.status).toBe(400);
    expect(textOf(response.text, `f-outcomes-${itemId}-ownerId-error`)).toBe('an action item needs an owner');
    expect(textOf(response.text, `f-outcomes-${itemId}-dueOn-error`)).toBe('an action item needs a due date');
    expect(textOf(response.text, `f-outcomes-${itemId}-text`)).toBe('Publish the &lt;rota&gt;');
    // The form it came from is open again.
    expect(response.text).toMatch(/<details class="outcome-form" open>\s*<summary>Record an outcome on item 1<\/summary>/);
    expect((await meeting()).outcomes).toEqual([]);
  });

  it('outcomes: a due date that is not a date, an unknown owner and a decision without rationale are refused', async () => {
    const notADate = await chair.post(`/meetings/${meetingId}/outcomes`, {
      outcomes: { general: { type: 'action', text: 'Call back', ownerId: org.salesHead.id, dueOn: 'next friday' } },
    });
    expect(notADate.status).toBe(400);
    expect(textOf(notADate.text, 'f-outcomes-general-dueOn-error')).toBe('dueOn must be a date such as 2026-12-15');
    expect(notADate.text).toMatch(/id="f-outcomes-general-dueOn"[^>]*value="next friday"/);
    expect(notADate.text).toMatch(new RegExp(`<option value="${org.salesHead.id}" selected>`));

    const notARealDate = await chair.post(`/meetings/${meetingId}/outcomes`, {
      outcomes: { general: { type: 'action', text: 'Call back', ownerId: org.salesHead.id, dueOn: '2027-02-30' } },
    });
    expect(textOf(notARealDate.text, 'f-outcomes-general-dueOn-error')).toBe('dueOn is not a real date');

    const unknownOwner = await chair.post(`/meetings/${meetingId}/outcomes`, {
      outcomes: { general: { type: 'decision', text: 'Keep it', rationale: 'Works', ownerId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(unknownOwner.status).toBe(400);
    expect(textOf(unknownOwner.text, 'f-outcomes-general-ownerId-error')).toMatch(/does not exist/);

    const noRationale = await chair.post(`/meetings/${meetingId}/outcomes`, { outcomes: { general: { type: 'decision', text: 'Keep it' } } });
    expect(textOf(noRationale.text, 'f-outcomes-general-rationale-error')).toBe('a decision records its rationale');

    const noKind = await chair.post(`/meetings/${meetingId}/outcomes`, { outcomes: { general: { type: 'gossip', text: '' } } });
    expect(textOf(noKind.text, 'f-outcomes-general-type-error')).toMatch(/type must be one of/);
    expect(textOf(noKind.text, 'f-outcomes-general-text-error')).toMatch(/text must be/);
    expect((await meeting()).outcomes).toEqual([]);
  });

  it('refuses a finalize before the attendance is recorded, at the top of the room', async () => {
    const response = await chair.post(`/meetings/${meetingId}/minutes/finalize`);
    expect(response.status).toBe(400);
    expect(textOf(response.text, 'error-summary')).toMatch(/record the attendance first/);
    expect((await meeting()).minutesStatus).toBe('draft');
  });

  it('shows an error page when someone who does not keep the record writes to it', async () => {
    const notes = await member.post(`/meetings/${meetingId}/agenda/${itemId}/notes`, { notes: { [itemId]: 'Mine' } });
    expect(notes.status).toBe(403);
    expect(notes.text).toContain('only the chair, the minute-taker or an organiser');
    const finalize = await member.post(`/meetings/${meetingId}/minutes/finalize`);
    expect(finalize.status).toBe(403);
    expect((await meeting()).agenda[0].notes).toBeNull();
  });

  it('once final: edits are refused with the reason, a member cannot sign off, a head signs once', async () => {
    const held = await chair.post(`/meetings/${meetingId}/attendance`, {
      entries: rows([
        { personId: org.marketingHead.id, present: 'true', status: 'absent', delegateFor: '' },
        { personId: org.salesHead.id, present: 'true', status: 'absent', delegateFor: '' },
        { personId: org.salesMember.id, status: 'excused', delegateFor: '' },
        { personId: '', delegateFor: '', standIn: 'true' },
      ]),
    });
    expect(held.status).toBe(303);
    expect(held.headers.location).toMatch(new RegExp(`^/meetings/${meetingId}\\?notice=Attendance%20recorded\\.&n=[A-Za-z0-9_-]{22}#attendance$`));
    expect((await meeting()).attendance.map((a) => a.status).sort()).toEqual(['excused', 'present', 'present']);
    expect((await chair.post(`/meetings/${meetingId}/agenda/${itemId}/notes`, { notes: { [itemId]: 'Agreed.' } })).status).toBe(303);
    expect((await chair.post(`/meetings/${meetingId}/minutes/finalize`)).status).toBe(303);

    const late = await chair.post(`/meetings/${meetingId}/agenda/${itemId}/notes`, { notes: { [itemId]: 'Changed afterwards' } });
    expect(late.status).toBe(400);
    expect(textOf(late.text, 'error-summary')).toMatch(/the minutes are final; record a correction/);
    const lateOutcome = await chair.post(`/meetings/${meetingId}/outcomes`, { outcomes: { general: { type: 'information', text: 'Late' } } });
    expect(lateOutcome.status).toBe(400);
    const lateItem = await chair.post(`/meetings/${meetingId}/agenda`, { newItem: { title: 'Late item' } });
    expect(lateItem.status).toBe(400);

    const byMember = await member.post(`/meetings/${meetingId}/minutes/approve`);
    expect(byMember.status).toBe(403);
    expect(byMember.text).toContain('only the heads of the departments of the series approve its minutes');

    const signed = await salesHead.post(`/meetings/${meetingId}/minutes/approve`, { return: 'minutes' });
    expect(signed.status).toBe(303);
    expect(signed.headers.location).toMatch(new RegExp(`^/meetings/${meetingId}/minutes\\?notice=`));
    const twice = await salesHead.post(`/meetings/${meetingId}/minutes/approve`, { return: 'minutes' });
    expect(twice.status).toBe(400);
    expect(textOf(twice.text, 'error-summary')).toBe('your department has already approved these minutes');
    expect(twice.text).toContain('Agreed.');

    const after = await meeting();
    expect(after.agenda[0].notes).toBe('Agreed.');
    expect(after.outcomes).toEqual([]);
    expect(after.agenda).toHaveLength(1);
    expect(after.revisions).toEqual([expect.objectContaining({ revision: 1, status: 'final', approvedBy: [org.sales.id] })]);
  });

  it('refuses a correction by a member, and shows an unknown revision as not found', async () => {
    expect((await member.post(`/meetings/${meetingId}/minutes/corrections`)).status).toBe(403);
    expect((await chair.get(`/meetings/${meetingId}/minutes?revision=9`)).status).toBe(404);
    expect((await meeting()).minutesStatus).toBe('final');
  });

  it('opens a new revision on correction, the earlier one still readable and downloadable', async () => {
    const corrected = await chair.post(`/meetings/${meetingId}/minutes/corrections`);
    expect(corrected.status).toBe(303);
    expect(await meeting()).toMatchObject({ minutesStatus: 'draft' });
    const first = await chair.get(`/meetings/${meetingId}/minutes?revision=1`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('revision 1 · final');
    const pdf = await chair.get(`/meetings/${meetingId}/minutes.pdf?revision=1`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
