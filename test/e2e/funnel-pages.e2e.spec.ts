import request from 'supertest';
import { DataSource } from 'typeorm';
import { createCalendar, qualifiedLeads } from '../support/agreement-fixture.js';
import { createFunnel, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { decode, errorAt, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const HOSTILE = `<script>window.__pwned=1</script>"'&`;

/** The stage form as a browser posts it: the type, condition rows (blank ones included). */
function stageForm(overrides: Record<string, unknown> = {}) {
  return {
    name: 'MQL',
    doneDefinition: 'Marketing qualified the lead.',
    ownerId: '',
    enteredOn: { type: 'lead.mql', when: [{ attribute: '', values: '' }, { attribute: '', values: '' }] },
    ...overrides,
  };
}

describe(`funnel pages (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;
  let admin: Session;
  let marketingHead: Session;
  let salesHead: Session;
  let member: Session;

  const entriesOf = async (stageId: string): Promise<number> => {
    const placeholder = t.database.kind === 'postgres' ? '$1' : '?';
    return Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM stage_entries WHERE stage_id = ${placeholder}`, [stageId]))[0].n);
  };
  const stageOf = async (id: string) => (await t.as().get(`/api/stages/${id}`)).body;

  /** A stage's row on the funnel page, as text (tags dropped, escapes undone, spaces folded). */
  const rowOf = (html: string, stageId: string): string => {
    const match = new RegExp(`<tr id="stage-${stageId}">([\\s\\S]*?)</tr>`).exec(html);
    if (!match) throw new Error(`no row for stage ${stageId}`);
    return decode(match[1].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-12-15T08:00:00Z');
    stages = await createFunnel(t, org);
    await sendClosedLoop(t, org);
    // MQL is marketing's (its head owns it), SQL sales'.
    expect((await t.as().patch(`/api/stages/${stages.MQL}`).send({ departmentId: org.marketing.id, ownerId: org.marketingHead.id })).status).toBe(200);
    expect((await t.as().patch(`/api/stages/${stages.SQL}`).send({ departmentId: org.sales.id })).status).toBe(200);
    admin = await pageSession(t, TEST_ADMIN_TOKEN);
    marketingHead = await pageSession(t, org.marketingHead.token);
    salesHead = await pageSession(t, org.salesHead.token);
    member = await pageSession(t, org.salesMember.token);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows everyone signed in the stages in funnel order, the event entering each in words and how many subjects entered it', async () => {
    const visitor = await request(t.server).get('/funnel');
    expect({ status: visitor.status, location: visitor.headers.location }).toEqual({ status: 303, location: '/sign-in?next=%2Ffunnel' });
    expect((await member.get('/')).text).toContain('href="/funnel"');
    const page = await member.get('/funnel');
    expect(page.status).toBe(200);
    const list = (await t.as().get('/api/stages?limit=100')).body.items as { id: string; name: string }[];
    const order = [...page.text.matchAll(/<tr id="stage-([0-9a-f-]{36})">/g)].map((match) => match[1]);
    expect(order).toEqual(list.map((stage) => stage.id));
    expect(list.map((stage) => stage.name)).toEqual(['Lead', 'MQL', 'Rejected', 'SAL', 'SQL', 'Opportunity', 'Won', 'Lost', 'Recycled']);

    expect(rowOf(page.text, stages.MQL)).toBe(
      `2 MQL Marketing · Maëlle Head ${(await stageOf(stages.MQL)).doneDefinition} entered when “Lead qualified by marketing (MQL)” ( lead.mql ) arrives 20 subjects`,
    );
    expect(rowOf(page.text, stages.SQL)).toContain('entered when “Lead qualified by sales (SQL)” ( lead.sql ) arrives 8 subjects');
    expect(rowOf(page.text, stages.Won)).toContain('3 subjects');
    expect(rowOf(page.text, stages.Rejected)).toContain('entered when “Lead rejected by sales” ( lead.rejected ) arrives 4 subjects');
    expect(rowOf(page.text, list[0].id)).toMatch(/^1 Lead no department .* not counted by the funnel not counted$/);
    expect(page.text).toContain('<caption>');
    // A member edits nothing and creates nothing.
    expect(page.text).not.toContain('/edit"');
    expect(page.text).not.toContain('href="/funnel/new"');
  });

  it("offers a head the edit of their own department's stages only", async () => {
    const page = await marketingHead.get('/funnel');
    expect(page.text).toContain(`href="/funnel/${stages.MQL}/edit" aria-label="Edit stage MQL"`);
    expect(page.text).not.toContain(`/funnel/${stages.SQL}/edit`);
    expect(page.text).not.toContain('href="/funnel/new"');
    const admins = await admin.get('/funnel');
    expect(admins.text).toContain(`/funnel/${stages.SQL}/edit`);
    expect(admins.text).toContain('href="/funnel/new"');
  });

  it("lets a head change the event entering their department's stage: conditions as rows, and the entries are counted again", async () => {
    const form = await marketingHead.get(`/funnel/${stages.MQL}/edit`);
    expect(form.status).toBe(200);
    expect(shownValue(form.text, 'enteredOn.type')).toBe('lead.mql');
    expect(form.text).toContain('<datalist id="event-types"><option value="lead.lost">Deal lost — lead.lost (4 received)</option>');
    // No department or position for a head.
    expect(shownValue(form.text, 'departmentId')).toBeNull();
    expect(shownValue(form.text, 'position')).toBeNull();
    expect(shownValue(form.text, 'ownerId')).toBe(org.marketingHead.id);

    const saved = await marketingHead.post(
      `/funnel/${stages.MQL}`,
      stageForm({ ownerId: org.marketingHead.id, enteredOn: { type: 'lead.mql', when: [{ attribute: '', values: '' }, { attribute: 'source', values: 'trade-show' }] } }),
    );
    expect(saved.status).toBe(303);
    expect(decodeURIComponent(saved.headers.location)).toMatch(new RegExp(`^/funnel\\?notice=Stage MQL saved\\.&n=[^#]+#stage-${stages.MQL}$`));
    expect((await stageOf(stages.MQL)).enteredOn).toEqual({ type: 'lead.mql', when: { source: 'trade-show' } });
    expect(await entriesOf(stages.MQL)).toBe(10);
    expect(rowOf((await member.get('/funnel')).text, stages.MQL)).toMatch(/entered when “Lead qualified by marketing \(MQL\)” \( lead\.mql \) arrives where source is trade-show 10 subjects$/);

    const both = await marketingHead.post(`/funnel/${stages.MQL}`, stageForm({ ownerId: org.marketingHead.id, enteredOn: { type: 'lead.mql', when: [{ attribute: 'source', values: 'trade-show, webinar' }] } }));
    expect(both.status).toBe(303);
    expect((await stageOf(stages.MQL)).enteredOn).toEqual({ type: 'lead.mql', when: { source: ['trade-show', 'webinar'] } });
    expect(await entriesOf(stages.MQL)).toBe(20);
    expect(rowOf((await member.get('/funnel')).text, stages.MQL)).toMatch(/where source is trade-show or webinar 20 subjects$/);

    const reopened = await marketingHead.get(`/funnel/${stages.MQL}/edit`);
    expect(shownValue(reopened.text, 'enteredOn.when[0].attribute')).toBe('source');
    expect(shownValue(reopened.text, 'enteredOn.when[0].values')).toBe('trade-show, webinar');
  });

  it('shows a bad type beside its field with what was typed kept, and changes nothing', async () => {
    const before = await stageOf(stages.MQL);
    const refused = await marketingHead.post(
      `/funnel/${stages.MQL}`,
      stageForm({ name: 'MQL renamed', ownerId: org.marketingHead.id, enteredOn: { type: 'lead mql', when: [{ attribute: 'source', values: 'webinar' }] } }),
    );
    expect(refused.status).toBe(400);
    expect(errorAt(refused.text, 'enteredOn.type')).toBe('enteredOn.type must be an event type such as "lead.handed_over"');
    expect(shownValue(refused.text, 'enteredOn.type')).toBe('lead mql');
    expect(shownValue(refused.text, 'name')).toBe('MQL renamed');
    expect(shownValue(refused.text, 'enteredOn.when[0].values')).toBe('webinar');
    expect(await stageOf(stages.MQL)).toEqual(before);
    expect(await entriesOf(stages.MQL)).toBe(20);

    // A condition with no values is named on its row's values.
    const empty = await marketingHead.post(`/funnel/${stages.MQL}`, stageForm({ ownerId: org.marketingHead.id, enteredOn: { type: 'lead.mql', when: [{ attribute: 'source', values: '' }] } }));
    expect(empty.status).toBe(400);
    expect(errorAt(empty.text, 'enteredOn.when[0].values')).toBe('enteredOn.when.source must list at least one value');
    expect(await stageOf(stages.MQL)).toEqual(before);
  });

  it("refuses a head another department's stage (403 page), members every edit, and what only admins may change", async () => {
    const before = await stageOf(stages.SQL);
    const form = await marketingHead.get(`/funnel/${stages.SQL}/edit`);
    expect(form.status).toBe(403);
    expect(decode(form.text)).toContain('only an admin or the head of the department may change this funnel stage');
    const posted = await marketingHead.post(`/funnel/${stages.SQL}`, stageForm({ name: 'SQL', enteredOn: { type: 'lead.mql' } }));
    expect(posted.status).toBe(403);
    expect(await stageOf(stages.SQL)).toEqual(before);
    expect(await entriesOf(stages.SQL)).toBe(8);

    expect((await member.get(`/funnel/${stages.SQL}/edit`)).status).toBe(403);
    expect((await member.post(`/funnel/${stages.SQL}`, stageForm({ name: 'SQL' }))).status).toBe(403);
    expect((await salesHead.get('/funnel/new')).status).toBe(403);
    expect((await salesHead.post('/funnel', stageForm({ name: 'Demo' }))).status).toBe(403);
    expect((await salesHead.post(`/funnel/${stages.SQL}/delete`)).status).toBe(403);
    expect((await salesHead.forge(`/funnel/${stages.SQL}`, stageForm({ name: 'SQL' }))).status).toBe(403);

    // A head's post naming a department or position changes neither: only an admin's form sends them.
    const moved = await salesHead.post(`/funnel/${stages.SQL}`, stageForm({ name: 'SQL', doneDefinition: before.doneDefinition, departmentId: org.marketing.id, position: '1', enteredOn: { type: 'lead.sql' } }));
    expect(moved.status).toBe(303);
    expect(await stageOf(stages.SQL)).toMatchObject({ department: { id: org.sales.id }, position: before.position, enteredOn: { type: 'lead.sql' } });
    expect(await entriesOf(stages.SQL)).toBe(8);
  });

  it('lets an admin create a stage anywhere in the funnel, hostile text shown as text, and a taken name named', async () => {
    const taken = await admin.post('/funnel', stageForm({ name: 'mql', doneDefinition: 'x', enteredOn: { type: '', when: [] } }));
    expect(taken.status).toBe(409);
    expect(errorAt(taken.text, 'name')).toBe('"mql" is already the name of stage MQL');

    const created = await admin.post(
      '/funnel',
      stageForm({ name: HOSTILE, doneDefinition: HOSTILE, position: '2', departmentId: org.sales.id, ownerId: org.salesMember.id, enteredOn: { type: 'lead.demo', when: [{ attribute: 'channel', values: HOSTILE }] } }),
    );
    expect(created.status).toBe(303);
    const stored = ((await t.as().get('/api/stages?limit=100')).body.items as { id: string; name: string; position: number; owner: { id: string } | null; enteredOn: unknown }[]).find((stage) => stage.name === HOSTILE)!;
    expect(stored).toMatchObject({ position: 2, owner: { id: org.salesMember.id }, enteredOn: { type: 'lead.demo', when: { channel: HOSTILE } } });
    const page = await member.get('/funnel');
    expect(page.text).not.toContain('<script>window.__pwned');
    expect(rowOf(page.text, stored.id)).toBe(`2 ${HOSTILE} Sales · Sofia Member ${HOSTILE} entered when lead.demo arrives where channel is ${HOSTILE} 0 subjects`);

    // An owner outside the stage's department is named beside the owner.
    const outsider = await admin.post(`/funnel/${stored.id}`, stageForm({ name: 'Demo', doneDefinition: 'A demo was held.', position: '2', departmentId: org.sales.id, ownerId: org.marketingMember.id }));
    expect(outsider.status).toBe(400);
    expect(errorAt(outsider.text, 'ownerId')).toBe("Marc Member does not belong to the stage's department");
    expect(shownValue(outsider.text, 'departmentId')).toBe(org.sales.id);
    expect(shownValue(outsider.text, 'ownerId')).toBe(org.marketingMember.id);

    const deleted = await admin.post(`/funnel/${stored.id}/delete`);
    expect(deleted.status).toBe(303);
    expect((await t.as().get(`/api/stages/${stored.id}`)).status).toBe(404);
  });

  it('refuses to delete a stage an agreement names, saying why, and deletes nothing', async () => {
    const calendarId = await createCalendar(t);
    const draft = await t.as(org.marketingHead.token).post('/api/agreements').send({ ...qualifiedLeads(org, calendarId), stageId: stages.Won });
    expect(draft.status).toBe(201);
    const refused = await admin.post(`/funnel/${stages.Won}/delete`);
    expect(refused.status).toBe(409);
    expect(decode(refused.text)).toContain('<p class="problem" id="f-form">stage Won is named by 1 agreement version(s); it cannot be deleted </p>');
    expect((await t.as().get(`/api/stages/${stages.Won}`)).status).toBe(200);
    expect(await entriesOf(stages.Won)).toBe(3);
  });
});
