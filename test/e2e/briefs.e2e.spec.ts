import { DataSource } from 'typeorm';
import { createCalendar, signAgreement } from '../support/agreement-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { briefsAnswered, completeContent } from '../support/brief-fixture.js';
import { TestApp } from '../support/test-app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Entry {
  kind: 'comment' | 'step';
  fromStatus: string | null;
  toStatus: string | null;
  body: string | null;
  authorId: string;
  at: string;
}

describe('briefs over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let finance: { id: string; slug: string };
  let financeMember: SeededPerson;
  let agreementId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    finance = (await t.as().post('/api/departments').send({ name: 'Finance', timezone: 'Europe/Paris' })).body;
    financeMember = await createPerson(t, { name: 'Fanny Member', email: 'fanny@example.com', role: 'member', departmentId: finance.id });
    // In force from Monday 2 November 2026, 09:00 in Paris.
    t.clock.set('2026-11-02T08:00:00Z');
    agreementId = await signAgreement(t, org, briefsAnswered(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
  });

  async function eventRowsOf(subject: string): Promise<{ type: string; subject: string; attributes: string }[]> {
    const rows: { type: string; subject: string; attributes: string }[] = await t.app
      .get(DataSource)
      .query('SELECT type, subject, attributes FROM events ORDER BY occurred_at, id');
    return rows.filter((row) => row.subject === subject);
  }

  async function eventsOf(subject: string): Promise<string[]> {
    return (await eventRowsOf(subject)).map((row) => row.type);
  }

  /** What a refused request must leave as it was. */
  async function state(briefId?: string) {
    const count = async (table: string) => Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return {
      briefs: await count('briefs'),
      entries: await count('brief_entries'),
      events: await count('events'),
      audit: (await t.as().get('/api/audit?limit=1')).body.total,
      brief: briefId ? (await t.as().get(`/api/briefs/${briefId}`)).body : null,
    };
  }

  async function draft(body: object = {}, token = org.marketingHead.token): Promise<string> {
    const created = await t.as(token).post('/api/briefs').send({ title: 'Spring launch', recipientDepartmentId: org.sales.id, ...body });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function submitted(): Promise<string> {
    const id = await draft({ content: completeContent(org.marketingHead.id) });
    expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).status).toBe(200);
    return id;
  }

  it("drafts with a title and a recipient only, for the author's own department", async () => {
    t.clock.set('2026-11-02T08:30:00Z');
    const created = await t.as(org.marketingMember.token).post('/api/briefs').send({
      title: 'Webinar follow-up',
      recipientDepartmentId: org.sales.id,
      content: { background: 'Half the webinar leads are never called.', channels: ['phone'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Webinar follow-up',
      status: 'draft',
      requesterDepartmentId: org.marketing.id,
      recipientDepartmentId: org.sales.id,
      content: { background: 'Half the webinar leads are never called.', channels: ['phone'] },
      createdBy: org.marketingMember.id,
      submittedAt: null,
    });
    expect(created.body.thread).toEqual([
      expect.objectContaining({ kind: 'step', fromStatus: null, toStatus: 'draft', authorId: org.marketingMember.id, at: '2026-11-02T08:30:00.000Z' }),
    ]);
    expect(await eventsOf(`brief:${created.body.id}`)).toEqual([]);
  });

  it('refuses a submission with missing fields, naming every one, and changes nothing', async () => {
    const id = await draft({ content: { background: 'Only the background so far.', budget: { approved: false } } });
    const before = await state(id);
    const refused = await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(
      [
        'content.goals',
        'content.vision',
        'content.keyMessage',
        'content.audience.primary',
        'content.deliverables',
        'content.deadline',
        'content.budget.amount',
        'content.successMetrics',
        'content.approverId',
      ].sort(),
    );
    expect(refused.body.message).toContain('content.goals');
    expect(await state(id)).toEqual(before);
    expect(before.brief.status).toBe('draft');
    expect(await eventsOf(`brief:${id}`)).toEqual([]);
  });

  it("refuses a deadline already past in the requesting department's time zone", async () => {
    // 00:30 on Tuesday 3 November in Paris, still Monday in UTC.
    t.clock.set('2026-11-02T23:30:00Z');
    const id = await draft({ content: { ...completeContent(org.marketingHead.id), deadline: '2026-11-02' } });
    const refused = await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({ 'content.deadline': [expect.stringMatching(/2026-11-02 is in the past \(today is 2026-11-03/)] });
    expect((await t.as().get(`/api/briefs/${id}`)).body.status).toBe('draft');
    expect((await t.as(org.marketingHead.token).patch(`/api/briefs/${id}`).send({ content: { deadline: '2026-11-03' } })).status).toBe(200);
    expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).status).toBe(200);
  });

  describe('a brief filed, returned, resubmitted, accepted and delivered', () => {
    let id: string;

    beforeAll(async () => {
      const at = (instant: string) => t.clock.set(instant);
      // Monday 2 November, Paris time (UTC+1).
      at('2026-11-02T08:30:00Z');
      id = await draft({ content: completeContent(org.marketingHead.id) });
      at('2026-11-02T09:00:00Z'); // 10:00
      expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).body.status).toBe('submitted');
      at('2026-11-02T11:00:00Z'); // 12:00: two working hours later
      const returned = await t.as(org.salesHead.token).post(`/api/briefs/${id}/return`).send({ comment: 'Which segment comes first?' });
      expect(returned.status).toBe(200);
      expect(returned.body.status).toBe('returned');
      at('2026-11-02T13:00:00Z');
      expect((await t.as(org.marketingMember.token).post(`/api/briefs/${id}/comments`).send({ body: 'Manufacturing first.' })).status).toBe(201);
      at('2026-11-02T13:10:00Z');
      const edited = await t.as(org.marketingMember.token).patch(`/api/briefs/${id}`).send({ content: { audience: { primary: 'IT directors in manufacturing' } } });
      expect(edited.status).toBe(200);
      // Tuesday 3 November.
      at('2026-11-03T09:00:00Z'); // 10:00
      expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).body.status).toBe('submitted');
      at('2026-11-03T10:00:00Z'); // 11:00: one more working hour
      expect((await t.as(org.salesHead.token).post(`/api/briefs/${id}/accept`)).body.status).toBe('accepted');
      at('2026-11-03T13:00:00Z');
      expect((await t.as(org.salesMember.token).post(`/api/briefs/${id}/start`)).body.status).toBe('in_progress');
      at('2026-11-04T15:00:00Z');
      expect((await t.as(org.salesMember.token).post(`/api/briefs/${id}/complete`)).body.status).toBe('done');
    });

    it('keeps the thread in order, with the reason it was returned', async () => {
      const brief = (await t.as(financeMember.token).get(`/api/briefs/${id}`)).body;
      expect(brief).toMatchObject({ status: 'done', submittedAt: '2026-11-03T09:00:00.000Z' });
      expect(brief.content.audience).toEqual({ primary: 'IT directors in manufacturing' });
      expect(brief.thread.map((entry: Entry) => [entry.kind, entry.fromStatus, entry.toStatus, entry.body])).toEqual([
        ['step', null, 'draft', null],
        ['step', 'draft', 'submitted', null],
        ['step', 'submitted', 'returned', 'Which segment comes first?'],
        ['comment', null, null, 'Manufacturing first.'],
        ['step', 'returned', 'submitted', null],
        ['step', 'submitted', 'accepted', null],
        ['step', 'accepted', 'in_progress', null],
        ['step', 'in_progress', 'done', null],
      ]);
      expect(brief.thread.map((entry: Entry) => entry.authorId)).toEqual([
        org.marketingHead.id,
        org.marketingHead.id,
        org.salesHead.id,
        org.marketingMember.id,
        org.marketingHead.id,
        org.salesHead.id,
        org.salesMember.id,
        org.salesMember.id,
      ]);
    });

    it('stores an internal event for every step', async () => {
      expect(await eventsOf(`brief:${id}`)).toEqual([
        'brief.submitted',
        'brief.returned',
        'brief.submitted',
        'brief.accepted',
        'brief.started',
        'brief.completed',
      ]);
      const accepted = (await eventRowsOf(`brief:${id}`)).find((row) => row.type === 'brief.accepted');
      expect(JSON.parse(accepted!.attributes)).toEqual({ requester: org.marketing.slug, recipient: org.sales.slug, title: 'Spring launch' });
    });

    it('has the response time measured by the agreement, without the time the brief spent returned', async () => {
      const clocks = await t.as(org.salesHead.token).get('/api/clocks').query({ subject: `brief:${id}`, agreementId });
      expect(clocks.status).toBe(200);
      expect(clocks.body.items).toHaveLength(1);
      const [clock] = clocks.body.items;
      expect(clock).toMatchObject({
        state: 'stopped',
        outcome: 'met',
        cycle: 1,
        startedAt: '2026-11-02T09:00:00.000Z',
        stoppedAt: '2026-11-03T10:00:00.000Z',
        // Monday 10:00–12:00 and Tuesday 10:00–11:00.
        elapsedSeconds: 3 * 3600,
        // Returned from Monday 12:00 to the 18:00 close, then Tuesday 09:00–10:00.
        pausedSeconds: 7 * 3600,
      });
      expect(clock.steps.map((step: { action: string; eventType: string }) => [step.action, step.eventType])).toEqual([
        ['start', 'brief.submitted'],
        ['pause', 'brief.returned'],
        ['resume', 'brief.submitted'],
        ['stop', 'brief.accepted'],
      ]);
    });

    it('records every change in the audit log', async () => {
      const audit = await t.as().get(`/api/audit?entityType=brief&entityId=${id}&limit=50`);
      expect(audit.status).toBe(200);
      const entries = [...audit.body.items].reverse() as { action: string; actorId: string; after: { status: string; entry?: Entry } }[];
      expect(entries.map((entry) => [entry.action, entry.after.status, entry.after.entry?.kind ?? null])).toEqual([
        ['create', 'draft', 'step'],
        ['submit', 'submitted', 'step'],
        ['return', 'returned', 'step'],
        ['comment', 'returned', 'comment'],
        ['update', 'returned', null],
        ['submit', 'submitted', 'step'],
        ['accept', 'accepted', 'step'],
        ['start', 'in_progress', 'step'],
        ['complete', 'done', 'step'],
      ]);
    });

    it('refuses any step from done, naming the status', async () => {
      const before = await state(id);
      const cancelled = await t.as(org.marketingHead.token).post(`/api/briefs/${id}/cancel`);
      expect(cancelled.status).toBe(409);
      expect(cancelled.body.message).toMatch(/is done/);
      expect(await state(id)).toEqual(before);
    });
  });

  it('lets the requester cancel a submitted brief, and emits brief.cancelled', async () => {
    const id = await submitted();
    const cancelled = await t.as(org.marketingMember.token).post(`/api/briefs/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await eventsOf(`brief:${id}`)).toEqual(['brief.submitted', 'brief.cancelled']);
    // A withdrawn brief is no breach of the recipient's: its clock is abandoned, not late.
    const clocks = (await t.as().get('/api/clocks').query({ subject: `brief:${id}`, agreementId })).body.items;
    expect(clocks).toEqual([expect.objectContaining({ state: 'cancelled', outcome: 'cancelled', dueAt: null })]);
  });

  it('keeps the comment an acceptance comes with in the thread, with the step', async () => {
    const id = await submitted();
    const accepted = await t.as(org.salesHead.token).post(`/api/briefs/${id}/accept`).send({ comment: 'Go ahead: manufacturing first, the EU only.' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    const brief = (await t.as(org.marketingMember.token).get(`/api/briefs/${id}`)).body;
    expect(brief.thread[brief.thread.length - 1]).toMatchObject({
      kind: 'step',
      fromStatus: 'submitted',
      toStatus: 'accepted',
      body: 'Go ahead: manufacturing first, the EU only.',
      authorId: org.salesHead.id,
    });
  });

  it('starts no clock for a brief filed with a department the agreement does not cover', async () => {
    const id = await draft({ recipientDepartmentId: finance.id, content: completeContent(org.marketingHead.id) });
    expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).status).toBe(200);
    expect(await eventsOf(`brief:${id}`)).toEqual(['brief.submitted']);
    expect((await t.as().get('/api/clocks').query({ subject: `brief:${id}` })).body.items).toEqual([]);
  });

  it('lists briefs by status and department, paged', async () => {
    const id = await draft({ title: 'For finance', recipientDepartmentId: finance.id });
    const toFinance = await t.as(org.salesMember.token).get('/api/briefs').query({ recipientDepartmentId: finance.id, status: 'draft' });
    expect(toFinance.status).toBe(200);
    expect(toFinance.body.items.map((brief: { id: string }) => brief.id)).toEqual([id]);
    expect(toFinance.body.items[0]).not.toHaveProperty('thread');
    const fromMarketing = await t.as().get('/api/briefs').query({ requesterDepartmentId: org.marketing.id, limit: 2 });
    expect(fromMarketing.body).toMatchObject({ limit: 2, offset: 0 });
    expect(fromMarketing.body.items).toHaveLength(2);
    expect(fromMarketing.body.total).toBeGreaterThan(2);
    expect((await t.as().get('/api/briefs').query({ status: 'lost' })).status).toBe(400);
  });

  describe('permissions', () => {
    it('refuses a third department, the recipient editing and the requester deciding, changing nothing', async () => {
      const draftId = await draft();
      const submittedId = await submitted();
      const before = { draft: await state(draftId), submitted: await state(submittedId) };
      const refusals = [
        t.as(financeMember.token).post('/api/briefs').send({ title: 'Not mine', requesterDepartmentId: org.marketing.id, recipientDepartmentId: org.sales.id }),
        t.as(financeMember.token).patch(`/api/briefs/${draftId}`).send({ title: 'Taken over' }),
        t.as(financeMember.token).post(`/api/briefs/${draftId}/comments`).send({ body: 'Hello' }),
        t.as(financeMember.token).post(`/api/briefs/${draftId}/submit`),
        t.as(org.salesHead.token).patch(`/api/briefs/${draftId}`).send({ title: 'Edited by the recipient' }),
        t.as(org.salesHead.token).post(`/api/briefs/${draftId}/cancel`),
        t.as(org.marketingHead.token).post(`/api/briefs/${submittedId}/accept`),
        t.as(org.marketingHead.token).post(`/api/briefs/${submittedId}/return`).send({ comment: 'Returned by ourselves' }),
        t.as(org.salesMember.token).post(`/api/briefs/${submittedId}/accept`),
        t.as().post(`/api/briefs/${submittedId}/accept`),
      ];
      for (const refusal of refusals) {
        const response = await refusal;
        expect(response.status).toBe(403);
      }
      const byAdmin = await t.as().post(`/api/briefs/${submittedId}/accept`);
      expect(byAdmin.body.message).toMatch(/admin cannot accept a brief on behalf of the head of the recipient department/);
      expect({ draft: await state(draftId), submitted: await state(submittedId) }).toEqual(before);
    });

    it('lets the recipient department comment, and an admin file for a department it names', async () => {
      const id = await draft();
      expect((await t.as(org.salesMember.token).post(`/api/briefs/${id}/comments`).send({ body: 'Happy to help.' })).status).toBe(201);
      const withoutDepartment = await t.as().post('/api/briefs').send({ title: 'By the admin', recipientDepartmentId: org.sales.id });
      expect(withoutDepartment.status).toBe(400);
      expect(Object.keys(withoutDepartment.body.errors)).toEqual(['requesterDepartmentId']);
      const byAdmin = await t.as().post('/api/briefs').send({ title: 'By the admin', requesterDepartmentId: org.marketing.id, recipientDepartmentId: org.sales.id });
      expect(byAdmin.status).toBe(201);
    });
  });

  describe('bad input changes nothing', () => {
    let draftId: string;
    let submittedId: string;

    beforeAll(async () => {
      draftId = await draft();
      submittedId = await submitted();
    });

    const base = () => ({ title: 'Spring launch', recipientDepartmentId: org.sales.id });
    const cases: [string, () => Promise<{ status: number; body: { errors?: Record<string, string[]>; message: string } }>, number, string][] = [
      ['an unknown field', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), colour: 'red' }), 400, 'colour'],
      [
        'an unknown field in a goal',
        () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { goals: [{ goal: 'a', target: 'b', owner: 'me' }] } }),
        400,
        'content.goals[0].owner',
      ],
      [
        'a goal without its target',
        () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { goals: [{ goal: 'a' }] } }),
        400,
        'content.goals[0].target',
      ],
      ['a link that is not http(s)', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { links: ['https://ok.example.com', 'ftp://files.example.com/brief'] } }), 400, 'content.links'],
      ['a negative budget', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { budget: { amount: -1, approved: true } } }), 400, 'content.budget.amount'],
      ['a budget without its approved flag', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { budget: { amount: 10 } } }), 400, 'content.budget.approved'],
      ['a currency that is no code', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { budget: { amount: 10, currency: 'euro', approved: true } } }), 400, 'content.budget.currency'],
      ['an impossible deadline', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { deadline: '2026-02-30' } }), 400, 'content.deadline'],
      ['a milestone without a date', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { milestones: [{ name: 'Draft' }] } }), 400, 'content.milestones[0].date'],
      ['an unknown approver', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), content: { approverId: UNKNOWN_ID } }), 404, 'content.approverId'],
      ['the requester as recipient', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), recipientDepartmentId: org.marketing.id }), 400, 'recipientDepartmentId'],
      ['an unknown recipient', () => t.as(org.marketingHead.token).post('/api/briefs').send({ ...base(), recipientDepartmentId: UNKNOWN_ID }), 404, 'recipientDepartmentId'],
      ['a title cleared by an edit', () => t.as(org.marketingHead.token).patch(`/api/briefs/${draftId}`).send({ title: null }), 400, 'title'],
      ['an unknown approver by an edit', () => t.as(org.marketingHead.token).patch(`/api/briefs/${draftId}`).send({ content: { approverId: UNKNOWN_ID } }), 404, 'content.approverId'],
      ['a return without a comment', () => t.as(org.salesHead.token).post(`/api/briefs/${submittedId}/return`).send({}), 400, 'comment'],
      ['an empty comment', () => t.as(org.salesHead.token).post(`/api/briefs/${submittedId}/comments`).send({ body: '' }), 400, 'body'],
      ['a malformed id', () => t.as(org.salesHead.token).post('/api/briefs/not-an-id/accept'), 400, 'id'],
      ['an unknown field beside an acceptance comment', () => t.as(org.salesHead.token).post(`/api/briefs/${submittedId}/accept`).send({ comment: 'Fine.', colour: 'red' }), 400, 'colour'],
      ['an empty acceptance comment', () => t.as(org.salesHead.token).post(`/api/briefs/${submittedId}/accept`).send({ comment: '' }), 400, 'comment'],
      ['a field sent to a submission, which takes none', () => t.as(org.marketingHead.token).post(`/api/briefs/${draftId}/submit`).send({ force: true }), 400, 'force'],
      ['a reason sent to a cancellation, which takes none', () => t.as(org.marketingHead.token).post(`/api/briefs/${submittedId}/cancel`).send({ reason: 'changed our minds' }), 400, 'reason'],
    ];

    it.each(cases)('refuses %s', async (_name, send, status, field) => {
      const before = { draft: await state(draftId), submitted: await state(submittedId) };
      const response = await send();
      expect(response.status).toBe(status);
      expect(Object.keys(response.body.errors ?? {})).toContain(field);
      expect({ draft: await state(draftId), submitted: await state(submittedId) }).toEqual(before);
    });

    it.each([
      ['accepting a draft', () => t.as(org.salesHead.token).post(`/api/briefs/${draftId}/accept`), /is draft/],
      ['starting a submitted brief', () => t.as(org.salesMember.token).post(`/api/briefs/${submittedId}/start`), /is submitted/],
      ['editing a submitted brief', () => t.as(org.marketingHead.token).patch(`/api/briefs/${submittedId}`).send({ title: 'Too late' }), /is submitted/],
      ['submitting twice', () => t.as(org.marketingHead.token).post(`/api/briefs/${submittedId}/submit`), /is submitted/],
    ])('refuses %s with a 409 naming the status', async (_name, send, message) => {
      const before = { draft: await state(draftId), submitted: await state(submittedId) };
      const response = await send();
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(message);
      expect({ draft: await state(draftId), submitted: await state(submittedId) }).toEqual(before);
    });

    it('answers 404 for an unknown brief', async () => {
      expect((await t.as().get(`/api/briefs/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await t.as(org.marketingHead.token).post(`/api/briefs/${UNKNOWN_ID}/submit`)).status).toBe(404);
    });
  });
});
