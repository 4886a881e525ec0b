import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgreementVersion, type VersionStatus } from '../../src/agreements/agreement-version.entity.js';
import { Agreement, type AgreementKind } from '../../src/agreements/agreement.entity.js';
import type { QuotaTerms, ResponseTerms } from '../../src/agreements/domain/agreement-terms.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DEFAULT_FUNNEL = ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity', 'Won', 'Lost', 'Recycled'];

interface Stage {
  id: string;
  name: string;
  position: number;
  department: { id: string; name: string; slug: string } | null;
  owner: { id: string; name: string; email: string } | null;
  doneDefinition: string;
  promises: unknown[];
}

const HOT_LEAD_CALLBACK: ResponseTerms = {
  startOn: { type: 'lead.handed_over' },
  stopOn: { type: 'lead.contacted' },
  targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { within: 'P2D' }],
  goalPercent: 95,
};

const MQL_QUOTA: QuotaTerms = { countOn: { type: 'lead.qualified' }, period: 'month', minimum: 200 };

describe('funnel stages over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function funnel(): Promise<Stage[]> {
    const response = await t.as().get('/api/stages?limit=200');
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function stageNamed(name: string): Promise<Stage> {
    const stage = (await funnel()).find((candidate) => candidate.name === name);
    if (!stage) throw new Error(`no stage named ${name}`);
    return stage;
  }

  /** Everything a refused request must leave as it was. */
  async function state() {
    const audit = await t.as().get('/api/audit?limit=1');
    return { stages: await funnel(), audit: audit.body.total };
  }

  function expectPositionsInOrder(stages: Stage[]): void {
    expect(stages.map((stage) => stage.position)).toEqual(stages.map((_stage, index) => index + 1));
  }

  /** An agreement from Sales to Marketing with one version naming the stage, written as the agreements module would. */
  async function insertAgreement(
    kind: AgreementKind,
    stageId: string,
    status: VersionStatus,
    terms: ResponseTerms | QuotaTerms,
  ): Promise<{ agreementId: string; versionId: string }> {
    const calendar = await t.as().post('/api/calendars').send({
      name: `Office ${randomUUID()}`,
      timezone: 'Europe/Paris',
      hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
    });
    expect(calendar.status).toBe(201);
    const manager = t.app.get(DataSource).manager;
    const now = t.clock.now();
    const agreement = manager.create(Agreement, {
      id: randomUUID(),
      kind,
      status: status === 'active' ? 'active' : 'retired',
      providerDepartmentId: org.sales.id,
      consumerDepartmentId: org.marketing.id,
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(Agreement, agreement);
    const version = manager.create(AgreementVersion, {
      id: randomUUID(),
      agreementId: agreement.id,
      number: 1,
      status,
      name: kind === 'response' ? 'Hot leads called back' : 'MQLs delivered',
      calendarId: calendar.body.id,
      stageId,
      response: kind === 'response' ? (terms as ResponseTerms) : null,
      quota: kind === 'quota' ? (terms as QuotaTerms) : null,
      createdBy: null,
      createdAt: now,
      proposalRound: 1,
      proposedAt: now,
      activeFrom: now,
      activeUntil: null,
    });
    await manager.insert(AgreementVersion, version);
    return { agreementId: agreement.id, versionId: version.id };
  }

  it('lists the eight default stages in funnel order, unowned, to anyone signed in', async () => {
    const response = await t.as(org.salesMember.token).get('/api/stages');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(8);
    expect(response.body.items.map((stage: Stage) => stage.name)).toEqual(DEFAULT_FUNNEL);
    expectPositionsInOrder(response.body.items);
    for (const stage of response.body.items as Stage[]) {
      expect(stage).toMatchObject({ department: null, owner: null, promises: [] });
      expect(stage.doneDefinition.length).toBeGreaterThan(0);
    }
    const page = await t.as(org.marketingMember.token).get('/api/stages?limit=3&offset=2');
    expect(page.body).toMatchObject({ total: 8, limit: 3, offset: 2 });
    expect(page.body.items.map((stage: Stage) => stage.name)).toEqual(['SAL', 'SQL', 'Opportunity']);
  });

  it('adds a stage at the end by default, and inserts one at a position, moving the others down', async () => {
    const last = await t.as().post('/api/stages').send({ name: 'Nurture', doneDefinition: 'Enrolled in a nurturing sequence.' });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ name: 'Nurture', position: 9, department: null, owner: null, promises: [] });

    const inserted = await t.as().post('/api/stages').send({
      name: 'Enriched',
      position: 2,
      departmentId: org.marketing.id,
      ownerId: org.marketingMember.id,
      doneDefinition: 'Company size, industry and role are filled in.',
    });
    expect(inserted.status).toBe(201);
    expect(inserted.body).toMatchObject({
      name: 'Enriched',
      position: 2,
      department: { id: org.marketing.id, name: 'Marketing', slug: 'marketing' },
      owner: { id: org.marketingMember.id, name: 'Marc Member', email: 'marc@example.com' },
    });
    expect((await t.as().get(`/api/stages/${inserted.body.id}`)).body).toEqual(inserted.body);

    const stages = await funnel();
    expect(stages.map((stage) => stage.name)).toEqual(['Lead', 'Enriched', ...DEFAULT_FUNNEL.slice(1), 'Nurture']);
    expectPositionsInOrder(stages);

    const created = await t.as().get(`/api/audit?entityId=${inserted.body.id}`);
    expect(created.body.items).toMatchObject([{ action: 'create', entityType: 'stage', before: null, after: { name: 'Enriched', position: 2 } }]);
    const shifted = await t.as().get(`/api/audit?entityId=${stages[2].id}`);
    expect(shifted.body.items).toMatchObject([{ action: 'update', entityType: 'stage', before: { position: 2 }, after: { position: 3 } }]);
  });

  it('moves a stage up and down, renumbering the others without gaps or duplicates', async () => {
    const nurture = await stageNamed('Nurture');
    const first = await t.as().patch(`/api/stages/${nurture.id}`).send({ position: 1 });
    expect(first.status).toBe(200);
    expect(first.body.position).toBe(1);
    let stages = await funnel();
    expect(stages.map((stage) => stage.name)).toEqual(['Nurture', 'Lead', 'Enriched', ...DEFAULT_FUNNEL.slice(1)]);
    expectPositionsInOrder(stages);

    const back = await t.as().patch(`/api/stages/${nurture.id}`).send({ position: stages.length });
    expect(back.status).toBe(200);
    const mql = await stageNamed('MQL');
    expect((await t.as().patch(`/api/stages/${mql.id}`).send({ position: 5 })).status).toBe(200);
    stages = await funnel();
    expect(stages.map((stage) => stage.name)).toEqual(['Lead', 'Enriched', 'SAL', 'SQL', 'MQL', 'Opportunity', 'Won', 'Lost', 'Recycled', 'Nurture']);
    expectPositionsInOrder(stages);
    expect((await t.as().patch(`/api/stages/${mql.id}`).send({ position: 3 })).status).toBe(200);
    expect((await funnel()).map((stage) => stage.name)).toEqual(['Lead', 'Enriched', 'MQL', ...DEFAULT_FUNNEL.slice(2), 'Nurture']);
  });

  it("lets the head of the stage's department rename it, redefine done and change its owner", async () => {
    const sal = await stageNamed('SAL');
    const placed = await t.as().patch(`/api/stages/${sal.id}`).send({ departmentId: org.sales.id, ownerId: org.salesMember.id });
    expect(placed.status).toBe(200);

    const changed = await t.as(org.salesHead.token).patch(`/api/stages/${sal.id}`).send({
      name: 'Sales accepted',
      doneDefinition: 'A seller has opened the lead and booked a first call.',
      ownerId: org.salesHead.id,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Sales accepted',
      position: sal.position,
      department: { id: org.sales.id, slug: 'sales' },
      owner: { id: org.salesHead.id, email: 'samir@example.com' },
      doneDefinition: 'A seller has opened the lead and booked a first call.',
    });
    const renamedBack = await t.as(org.salesHead.token).patch(`/api/stages/${sal.id}`).send({ name: 'SAL' });
    expect(renamedBack.status).toBe(200);
  });

  it("refuses the head the department and position, and an owner from outside the department, changing nothing", async () => {
    const sal = await stageNamed('SAL');
    const before = await state();
    const moved = await t.as(org.salesHead.token).patch(`/api/stages/${sal.id}`).send({ position: 1 });
    expect(moved.status).toBe(403);
    expect(moved.body.message).toContain('position');
    const handedOver = await t.as(org.salesHead.token).patch(`/api/stages/${sal.id}`).send({ name: 'Mine', departmentId: org.marketing.id });
    expect(handedOver.status).toBe(403);
    expect(handedOver.body.message).toContain('departmentId');
    const foreignOwner = await t.as(org.salesHead.token).patch(`/api/stages/${sal.id}`).send({ ownerId: org.marketingMember.id });
    expect(foreignOwner.status).toBe(400);
    expect(foreignOwner.body.errors).toHaveProperty('ownerId');
    expect(await state()).toEqual(before);
  });

  it('refuses members and the heads of other departments with 403, changing nothing', async () => {
    const sal = await stageNamed('SAL');
    const lead = await stageNamed('Lead');
    const before = await state();
    for (const token of [org.salesMember.token, org.marketingMember.token, org.marketingHead.token]) {
      expect((await t.as(token).patch(`/api/stages/${sal.id}`).send({ name: 'Hijacked' })).status).toBe(403);
    }
    expect((await t.as(org.salesHead.token).patch(`/api/stages/${lead.id}`).send({ name: 'Hijacked' })).status).toBe(403);
    for (const token of [org.salesHead.token, org.salesMember.token]) {
      expect((await t.as(token).post('/api/stages').send({ name: 'Shadow', doneDefinition: 'x' })).status).toBe(403);
      expect((await t.as(token).delete(`/api/stages/${sal.id}`)).status).toBe(403);
    }
    expect(await state()).toEqual(before);
  });

  describe('bad input', () => {
    const valid = { name: 'Qualified', doneDefinition: 'Qualified by a call.' };

    it.each([
      ['an unknown field', () => ({ ...valid, color: 'red' }), 'color'],
      ['a missing name', () => ({ doneDefinition: 'x' }), 'name'],
      ['a name of the wrong type', () => ({ ...valid, name: 42 }), 'name'],
      ['an empty name', () => ({ ...valid, name: '' }), 'name'],
      ['a name longer than 60 characters', () => ({ ...valid, name: 'x'.repeat(61) }), 'name'],
      ['a missing doneDefinition', () => ({ name: 'Qualified' }), 'doneDefinition'],
      ['an empty doneDefinition', () => ({ ...valid, doneDefinition: '' }), 'doneDefinition'],
      ['a doneDefinition longer than 2000 characters', () => ({ ...valid, doneDefinition: 'x'.repeat(2001) }), 'doneDefinition'],
      ['position 0', () => ({ ...valid, position: 0 }), 'position'],
      ['a fractional position', () => ({ ...valid, position: 1.5 }), 'position'],
      ['a position given as text', () => ({ ...valid, position: '2' }), 'position'],
      ['a null position', () => ({ ...valid, position: null }), 'position'],
      ['a position past the end', () => ({ ...valid, position: 99 }), 'position'],
      ['a departmentId that is not a UUID', () => ({ ...valid, departmentId: 'sales' }), 'departmentId'],
      ['an ownerId that is not a UUID', () => ({ ...valid, departmentId: org.sales.id, ownerId: 42 }), 'ownerId'],
      ['an owner without department', () => ({ ...valid, ownerId: org.salesMember.id }), 'ownerId'],
      ['an owner from another department', () => ({ ...valid, departmentId: org.sales.id, ownerId: org.marketingMember.id }), 'ownerId'],
    ])('refuses to create a stage with %s: 400 naming the field, nothing written', async (_case, body, field) => {
      const before = await state();
      const response = await t.as().post('/api/stages').send(body());
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
      expect(response.body.message).toContain(field);
      expect(await state()).toEqual(before);
    });

    it.each([
      ['an unknown department', () => ({ ...valid, departmentId: UNKNOWN_ID }), 404, 'departmentId'],
      ['an unknown owner', () => ({ ...valid, departmentId: org.sales.id, ownerId: UNKNOWN_ID }), 404, 'ownerId'],
      ['a name taken in other capitals', () => ({ ...valid, name: 'mql' }), 409, 'name'],
    ])('refuses to create a stage with %s, naming the field, nothing written', async (_case, body, status, field) => {
      const before = await state();
      const response = await t.as().post('/api/stages').send(body());
      expect(response.status).toBe(status);
      expect(response.body.errors).toHaveProperty(field);
      expect(await state()).toEqual(before);
    });

    it.each([
      ['a null name', () => ({ name: null }), 400, 'name'],
      ['a null doneDefinition', () => ({ doneDefinition: null }), 400, 'doneDefinition'],
      ['a null position', () => ({ position: null }), 400, 'position'],
      ['a position past the end', () => ({ position: 99 }), 400, 'position'],
      ['an unknown field', () => ({ owner: org.salesHead.id }), 400, 'owner'],
      ['no department while it has an owner', () => ({ departmentId: null }), 400, 'ownerId'],
      ['another department while its owner stays', () => ({ departmentId: org.marketing.id }), 400, 'ownerId'],
      ['an unknown department', () => ({ departmentId: UNKNOWN_ID }), 404, 'departmentId'],
      ['an unknown owner', () => ({ ownerId: UNKNOWN_ID }), 404, 'ownerId'],
      ["another stage's name in other capitals", () => ({ name: 'lead' }), 409, 'name'],
    ])('refuses to change a stage with %s, naming the field, nothing written', async (_case, body, status, field) => {
      const sal = await stageNamed('SAL');
      const before = await state();
      const response = await t.as().patch(`/api/stages/${sal.id}`).send(body());
      expect(response.status).toBe(status);
      expect(response.body.errors).toHaveProperty(field);
      expect(await state()).toEqual(before);
    });

    it('lets a stage change the capitals of its own name', async () => {
      const lost = await stageNamed('Lost');
      expect((await t.as().patch(`/api/stages/${lost.id}`).send({ name: 'LOST' })).body.name).toBe('LOST');
      expect((await t.as().patch(`/api/stages/${lost.id}`).send({ name: 'Lost' })).body.name).toBe('Lost');
    });

    it('answers 404 for unknown stages and 400 naming the id for malformed ones', async () => {
      const before = await state();
      expect((await t.as().get(`/api/stages/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await t.as().patch(`/api/stages/${UNKNOWN_ID}`).send({ name: 'X' })).status).toBe(404);
      expect((await t.as().delete(`/api/stages/${UNKNOWN_ID}`)).status).toBe(404);
      for (const malformed of [t.as().get('/api/stages/sal'), t.as().patch('/api/stages/sal').send({ name: 'X' }), t.as().delete('/api/stages/sal')]) {
        const response = await malformed;
        expect(response.status).toBe(400);
        expect(response.body.errors).toHaveProperty('id');
      }
      const paging = await t.as().get('/api/stages?limit=0');
      expect(paging.status).toBe(400);
      expect(paging.body.errors).toHaveProperty('limit');
      expect(await state()).toEqual(before);
    });
  });

  it('deletes a stage and moves the ones after it up', async () => {
    const enriched = await stageNamed('Enriched');
    const response = await t.as().delete(`/api/stages/${enriched.id}`);
    expect(response.status).toBe(204);
    expect((await t.as().get(`/api/stages/${enriched.id}`)).status).toBe(404);
    const stages = await funnel();
    expect(stages.map((stage) => stage.name)).toEqual([...DEFAULT_FUNNEL, 'Nurture']);
    expectPositionsInOrder(stages);
    const audit = await t.as().get(`/api/audit?entityId=${enriched.id}`);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'delete', entityType: 'stage', before: expect.objectContaining({ name: 'Enriched' }), after: null }),
    );
  });

  it('answers who owns a stage and what is promised about it in one request', async () => {
    const sal = await stageNamed('SAL');
    const callback = await insertAgreement('response', sal.id, 'active', HOT_LEAD_CALLBACK);
    await insertAgreement('response', sal.id, 'superseded', { ...HOT_LEAD_CALLBACK, goalPercent: 80 });
    const mql = await stageNamed('MQL');
    const quota = await insertAgreement('quota', mql.id, 'active', MQL_QUOTA);

    const response = await t.as(org.marketingMember.token).get(`/api/stages/${sal.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'SAL',
      department: { id: org.sales.id, name: 'Sales', slug: 'sales' },
      owner: { id: org.salesHead.id, name: 'Samir Head', email: 'samir@example.com' },
      doneDefinition: 'A seller has opened the lead and booked a first call.',
    });
    expect(response.body.promises).toEqual([
      {
        agreementId: callback.agreementId,
        versionId: callback.versionId,
        version: 1,
        name: 'Hot leads called back',
        kind: 'response',
        providerDepartmentId: org.sales.id,
        consumerDepartmentId: org.marketing.id,
        goalPercent: 95,
        targets: [
          { name: 'hot', within: 'PT1H' },
          { name: 'default', within: 'P2D' },
        ],
      },
    ]);

    const listed = await funnel();
    expect(listed.find((stage) => stage.id === sal.id)).toEqual(response.body);
    expect(listed.find((stage) => stage.id === mql.id)?.promises).toEqual([
      {
        agreementId: quota.agreementId,
        versionId: quota.versionId,
        version: 1,
        name: 'MQLs delivered',
        kind: 'quota',
        providerDepartmentId: org.sales.id,
        consumerDepartmentId: org.marketing.id,
        quota: { period: 'month', minimum: 200 },
      },
    ]);
  });

  it('refuses with 409 to delete a stage that an agreement version names, in force or not', async () => {
    const won = await stageNamed('Won');
    await insertAgreement('response', won.id, 'superseded', HOT_LEAD_CALLBACK);
    const before = await state();
    for (const name of ['SAL', 'Won']) {
      const stage = await stageNamed(name);
      const response = await t.as().delete(`/api/stages/${stage.id}`);
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(/agreement version/);
    }
    expect(await state()).toEqual(before);
  });
});
