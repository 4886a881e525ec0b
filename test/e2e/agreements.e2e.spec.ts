import { createCalendar, hotLeads, qualifiedLeads } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

describe('agreements over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function agreementCount(): Promise<number> {
    return (await t.as().get('/api/agreements')).body.total;
  }

  it('accepts both examples as written and puts them in force once both heads approved', async () => {
    for (const body of [hotLeads(org, calendarId), qualifiedLeads(org, calendarId)]) {
      const created = await t.as(org.marketingHead.token).post('/api/agreements').send(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', name: body.name, inForce: null, pending: { number: 1, status: 'draft' } });
      const id = created.body.id;

      const proposed = await t.as(org.marketingHead.token).post(`/api/agreements/${id}/propose`);
      expect(proposed.body).toMatchObject({ status: 'proposed', pending: { status: 'proposed' } });
      expect(proposed.body.pending.awaitingDepartmentIds.sort()).toEqual([org.marketing.id, org.sales.id].sort());

      const half = await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({ comment: 'Fine by sales.' });
      expect(half.status).toBe(200);
      expect(half.body).toMatchObject({ status: 'proposed', pending: { awaitingDepartmentIds: [org.marketing.id] } });

      const both = await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({});
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ status: 'active', pending: null, inForce: { number: 1, status: 'active' } });
      expect(both.body.inForce.activeFrom).toEqual(expect.any(String));
      expect(both.body.inForce.approvals.map((a: { departmentId: string }) => a.departmentId).sort()).toEqual(
        [org.marketing.id, org.sales.id].sort(),
      );
    }
    const active = await t.as(org.salesMember.token).get('/api/agreements?status=active');
    expect(active.body.items.map((a: { name: string }) => a.name).sort()).toEqual(['Hot leads are called fast', 'Marketing delivers qualified leads']);
  });

  it('never lets an admin approve on behalf of a head, nor a member or a third department', async () => {
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Admin tries' });
    await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/propose`);
    const byAdmin = await t.as().post(`/api/agreements/${created.body.id}/approve`).send({});
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.message).toMatch(/admin cannot approve/);
    expect((await t.as(org.salesMember.token).post(`/api/agreements/${created.body.id}/approve`).send({})).status).toBe(403);
    const read = await t.as().get(`/api/agreements/${created.body.id}`);
    expect(read.body.pending.approvals).toEqual([]);
  });

  it('sends a rejected proposal back to draft with the comment, and the earlier approval no longer counts', async () => {
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Negotiated' });
    const id = created.body.id;
    await t.as(org.salesHead.token).post(`/api/agreements/${id}/propose`);
    await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({});
    const rejected = await t.as(org.marketingHead.token).post(`/api/agreements/${id}/reject`).send({ comment: 'Warm leads need 2 hours, not 4.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'proposed', pending: { status: 'draft' } });
    expect(rejected.body.pending.approvals.at(-1)).toMatchObject({ decision: 'reject', comment: 'Warm leads need 2 hours, not 4.' });

    const noComment = await t.as(org.marketingHead.token).post(`/api/agreements/${id}/reject`).send({});
    expect(noComment.status).toBe(400);

    const changed = await t.as(org.marketingHead.token).patch(`/api/agreements/${id}`).send({
      response: { ...hotLeads(org, calendarId).response, targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { when: { score: 'warm' }, within: 'PT2H' }] },
    });
    expect(changed.status).toBe(200);
    await t.as(org.marketingHead.token).post(`/api/agreements/${id}/propose`);
    const oneApproval = await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({});
    // Sales approved the first wording, not this one: still waiting for sales.
    expect(oneApproval.body).toMatchObject({ status: 'proposed', pending: { awaitingDepartmentIds: [org.sales.id] } });
    const approved = await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({});
    expect(approved.body).toMatchObject({ status: 'active', inForce: { number: 1 } });
  });

  it('keeps the version in force running while a change awaits both approvals, then supersedes it', async () => {
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Versioned' });
    const id = created.body.id;
    await t.as(org.salesHead.token).post(`/api/agreements/${id}/propose`);
    await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({});
    await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({});

    t.clock.advance(3600_000);
    const changed = await t.as(org.marketingHead.token).patch(`/api/agreements/${id}`).send({ name: 'Versioned, faster' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'active', inForce: { number: 1, name: 'Versioned' }, pending: { number: 2, status: 'draft', name: 'Versioned, faster' } });

    const overlapping = await t.as(org.salesHead.token).post(`/api/agreements/${id}/versions`).send({ name: 'Another one' });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.message).toMatch(/overlapping version/);

    await t.as(org.marketingHead.token).post(`/api/agreements/${id}/propose`);
    await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({});
    const approved = await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({});
    expect(approved.body).toMatchObject({ inForce: { number: 2, name: 'Versioned, faster' }, pending: null });
    const versions = await t.as().get(`/api/agreements/${id}/versions`);
    expect(versions.body.map((v: { number: number; status: string }) => [v.number, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ]);
    expect(versions.body[0].activeUntil).toBe(versions.body[1].activeFrom);

    const fromInForce = await t.as(org.salesHead.token).post(`/api/agreements/${id}/versions`).send({ name: 'Versioned, third' });
    expect(fromInForce.status).toBe(201);
    expect(fromInForce.body.pending).toMatchObject({ number: 3, name: 'Versioned, third' });
  });

  it('retires an agreement', async () => {
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...qualifiedLeads(org, calendarId), name: 'Retiring' });
    const retired = await t.as(org.marketingHead.token).post(`/api/agreements/${created.body.id}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body.status).toBe('retired');
    expect((await t.as(org.marketingHead.token).post(`/api/agreements/${created.body.id}/retire`)).status).toBe(409);
    expect((await t.as(org.marketingHead.token).patch(`/api/agreements/${created.body.id}`).send({ name: 'x' })).status).toBe(409);
  });

  it('lets only the heads of the two departments, or an admin, draft and change an agreement', async () => {
    const byMember = await t.as(org.salesMember.token).post('/api/agreements').send(hotLeads(org, calendarId));
    expect(byMember.status).toBe(403);
    const third = await t.as().post('/api/departments').send({ name: 'Finance', timezone: 'Europe/Paris' });
    const financeHead = await t.as().post('/api/people').send({ name: 'Fiona', email: 'fiona@example.com', role: 'head', departmentId: third.body.id });
    const token = (await t.as().post(`/api/people/${financeHead.body.id}/tokens`).send({ name: 't' })).body.token;
    expect((await t.as(token).post('/api/agreements').send(hotLeads(org, calendarId))).status).toBe(403);
    const byAdmin = await t.as().post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Drafted by admin' });
    expect(byAdmin.status).toBe(201);
    expect((await t.as(token).patch(`/api/agreements/${byAdmin.body.id}`).send({ name: 'x' })).status).toBe(403);
  });

  describe('bad agreements are refused with the faulty field named, and nothing is written', () => {
    const response = () => hotLeads(org, calendarId).response;
    it.each([
      ['an unknown event filter field', () => ({ response: { ...response(), startOn: { type: 'lead.handed_over', score: 'hot' } } }), 'response.startOn.score'],
      ['an event filter without type', () => ({ response: { ...response(), stopOn: { when: { channel: 'phone' } } } }), 'response.stopOn.type'],
      ['a target that is not an ISO duration', () => ({ response: { ...response(), targets: [{ within: 'one hour' }] } }), 'response.targets[0].within'],
      ['a negative target', () => ({ response: { ...response(), targets: [{ within: '-PT1H' }] } }), 'response.targets[0].within'],
      ['a goal above 100', () => ({ response: { ...response(), goalPercent: 150 } }), 'response.goalPercent'],
      ['a negative minimum', () => ({ response: undefined, quota: { countOn: { type: 'lead.mql' }, period: 'month', minimum: -10 } }), 'quota.minimum'],
      ['an unknown period', () => ({ response: undefined, quota: { countOn: { type: 'lead.mql' }, period: 'year', minimum: 10 } }), 'quota.period'],
      ['both kinds at once', () => ({ quota: { countOn: { type: 'lead.mql' }, period: 'month', minimum: 10 } }), 'quota'],
      ['neither kind', () => ({ response: undefined }), 'response'],
      ['one department on both sides', () => ({ consumerDepartmentId: org.sales.id }), 'consumerDepartmentId'],
      ['a calendar id that is not a UUID', () => ({ calendarId: 'paris' }), 'calendarId'],
      ['an unknown field', () => ({ owner: 'sales' }), 'owner'],
    ])('%s', async (_case, change, field) => {
      const before = await agreementCount();
      const result = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), ...change() });
      expect(result.status).toBe(400);
      expect(Object.keys(result.body.errors)).toContain(field);
      expect(await agreementCount()).toBe(before);
    });

    it('answers 404 naming the field for a calendar or stage that does not exist', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const calendar = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), calendarId: unknown });
      expect(calendar.status).toBe(404);
      expect(calendar.body.errors).toHaveProperty('calendarId');
      const stage = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), stageId: unknown });
      expect(stage.status).toBe(404);
      expect(stage.body.errors).toHaveProperty('stageId');
    });

    it('refuses a bad change and keeps the pending version as it was', async () => {
      const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Stays intact' });
      const bad = await t.as(org.salesHead.token).patch(`/api/agreements/${created.body.id}`).send({ response: { ...response(), targets: [] } });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors)).toContain('response.targets');
      const wrongKind = await t.as(org.salesHead.token).patch(`/api/agreements/${created.body.id}`).send({ quota: { countOn: { type: 'a.b' }, period: 'month', minimum: 1 } });
      expect(wrongKind.status).toBe(400);
      const read = await t.as().get(`/api/agreements/${created.body.id}`);
      expect(read.body.pending.response.targets).toHaveLength(3);
    });

    it('refuses approving a draft, or approving twice', async () => {
      const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Too early' });
      const early = await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/approve`).send({});
      expect(early.status).toBe(409);
      expect(early.body.message).toMatch(/propose it first/);
      await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/propose`);
      await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/approve`).send({});
      expect((await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/approve`).send({})).status).toBe(409);
    });
  });

  it('keeps the calendar an agreement is measured on', async () => {
    const refused = await t.as().delete(`/api/calendars/${calendarId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/measures agreements/);
  });

  it('records every step in the audit log', async () => {
    const created = await t.as(org.salesHead.token).post('/api/agreements').send({ ...hotLeads(org, calendarId), name: 'Audited' });
    await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/propose`);
    await t.as(org.salesHead.token).post(`/api/agreements/${created.body.id}/approve`).send({});
    const audit = await t.as().get(`/api/audit?entityType=agreement&entityId=${created.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['approve', 'create', 'propose']);
  });
});
