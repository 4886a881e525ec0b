import { DataSource } from 'typeorm';
import { createCalendar, hotLeads } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const WRITES = ['post', 'put', 'patch', 'delete'] as const;

interface Operation {
  requestBody?: unknown;
}

/** Every API action that takes no body, as the OpenAPI document describes them. */
async function actionsWithoutBody(t: TestApp): Promise<{ method: (typeof WRITES)[number]; path: string }[]> {
  const document = (await t.as().get('/docs-json')).body as { paths: Record<string, Partial<Record<string, Operation>>> };
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, operations]) => WRITES.filter((method) => operations[method] && !operations[method]?.requestBody).map((method) => ({ method, path })));
}

/** The row count of every table: what a refused request must leave as it was. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const dataSource = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const { tableName } of dataSource.entityMetadatas) {
    counts[tableName] = Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${tableName}`))[0].n);
  }
  return counts;
}

describe('actions that take no body refuse whatever they are sent, naming it', () => {
  let t: TestApp;
  let org: SeededOrg;
  let draftId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    const draft = await t.as(org.salesHead.token).post('/api/agreements').send(hotLeads(org, calendarId));
    expect(draft.status).toBe(201);
    draftId = draft.body.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 400 naming the field on every such action of the API, before reading or writing anything', async () => {
    const actions = await actionsWithoutBody(t);
    const names = actions.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    // The walk covers the actions of every area, not an empty list.
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/agreements/{id}/propose',
        'POST /api/agreements/{id}/retire',
        'POST /api/agreements/{id}/replay',
        'POST /api/briefs/{id}/submit',
        'POST /api/briefs/{id}/start',
        'POST /api/briefs/{id}/complete',
        'POST /api/briefs/{id}/cancel',
        'POST /api/meetings/{id}/cancel',
        'POST /api/meetings/{id}/agenda/build',
        'POST /api/meetings/{id}/minutes/finalize',
        'POST /api/meetings/{id}/minutes/approve',
        'POST /api/meetings/{id}/minutes/corrections',
        'POST /api/meeting-series/{id}/cancel',
        'POST /api/admin/sweep',
        'POST /api/notifications/dispatch',
        'POST /api/notifications/{id}/retry',
        'DELETE /api/people/{id}',
        'DELETE /api/departments/{id}',
        'DELETE /api/calendars/{id}',
      ]),
    );
    const before = await rowCounts(t);
    for (const { method, path } of actions) {
      const url = path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
      const answer = await t.as()[method](url).send({ unexpected: 'dropped in silence until now' });
      expect({ action: `${method.toUpperCase()} ${path}`, status: answer.status, fields: Object.keys(answer.body.errors ?? {}) }).toEqual({
        action: `${method.toUpperCase()} ${path}`,
        status: 400,
        fields: ['unexpected'],
      });
      expect(answer.body.errors.unexpected).toEqual(['unexpected is not a known field']);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('leaves the agreement a draft when a proposal comes with a field, and proposes it without one', async () => {
    const before = await rowCounts(t);
    const refused = await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`).send({ comment: 'please sign' });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors)).toEqual(['comment']);
    const hostile = await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`).type('json').send('{"constructor": {"prototype": {}}, "__proto__": {"x": 1}}');
    expect(hostile.status).toBe(400);
    expect(Object.keys(hostile.body.errors).sort()).toEqual(['__proto__', 'constructor']);
    const listed = await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`).send([{ comment: 'x' }]);
    expect(listed.status).toBe(400);
    expect(Object.keys(listed.body.errors)).toEqual(['body']);
    const form = await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`).type('form').send('comment=please');
    expect(form.status).toBe(400);
    expect(Object.keys(form.body.errors)).toEqual(['comment']);
    expect(await rowCounts(t)).toEqual(before);
    expect((await t.as().get(`/api/agreements/${draftId}`)).body.pending).toMatchObject({ number: 1, status: 'draft' });

    // Nothing changed for a well-formed call: no body, or an empty one.
    const proposed = await t.as(org.salesHead.token).post(`/api/agreements/${draftId}/propose`).send({});
    expect(proposed.status).toBe(200);
    expect(proposed.body.pending).toMatchObject({ number: 1, status: 'proposed' });
    const swept = await t.as().post('/api/admin/sweep');
    expect(swept.status).toBe(200);
  });

  it('still asks who is calling first: no token is a 401 and a role that may not is a 403, whatever the body', async () => {
    expect((await t.anonymous().post('/api/admin/sweep').send({ unexpected: 1 })).status).toBe(401);
    expect((await t.as(org.salesMember.token).post('/api/admin/sweep').send({ unexpected: 1 })).status).toBe(403);
  });
});
