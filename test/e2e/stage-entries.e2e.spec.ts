import { DataSource } from 'typeorm';
import { crmEvent } from '../support/agreement-fixture.js';
import { closedLoopEvents, createFunnel, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 14, "Stages entered by events": a stage's `enteredOn` names the event entering it; a
 * subject enters at the first matching event; entries are kept by ingestion and rebuilt when a
 * stage's filter changes.
 */
describe(`stage entries (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;

  /** Entries of a stage: subject → when it entered. */
  const entriesOf = async (stageId: string): Promise<Map<string, string>> => {
    const rows: { subject: string; entered_at: unknown }[] = await t.app
      .get(DataSource)
      .query(`SELECT subject, entered_at FROM stage_entries WHERE stage_id = ${process.env.DATABASE_URL ? '$1' : '?'}`, [stageId]);
    return new Map(rows.map((row) => [row.subject, new Date(row.entered_at instanceof Date ? row.entered_at : `${String(row.entered_at).replace(' ', 'T')}Z`).toISOString()]));
  };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-12-15T08:00:00Z');
    stages = await createFunnel(t, org);
    await sendClosedLoop(t, org);
  });
  afterAll(async () => t?.close());

  it('shows a stage with the event entering it', async () => {
    const stage = await t.as(org.marketingMember.token).get(`/api/stages/${stages.MQL}`);
    expect(stage.status).toBe(200);
    expect(stage.body.enteredOn).toEqual({ type: 'lead.mql' });
  });

  it('counts each subject once per stage, at its first matching event', async () => {
    expect((await entriesOf(stages.MQL)).size).toBe(20);
    expect((await entriesOf(stages.SQL)).size).toBe(8);
    expect((await entriesOf(stages.Won)).size).toBe(3);
    expect((await entriesOf(stages.Lost)).size).toBe(4);
    expect((await entriesOf(stages.Rejected)).size).toBe(4);
    expect((await entriesOf(stages.MQL)).get('TS-1')).toBe('2026-11-02T09:00:00.000Z');
  });

  it('moves an entry back when a late event happened earlier, and ignores a later one', async () => {
    const late = await t
      .as(org.marketingMember.token)
      .post('/api/events')
      .send([crmEvent('lead.sql', 'TS-1', '2026-11-02T15:00:00Z'), crmEvent('lead.sql', 'TS-2', '2026-11-30T15:00:00Z')]);
    expect(late.status).toBeLessThan(300);
    const sql = await entriesOf(stages.SQL);
    expect(sql.get('TS-1')).toBe('2026-11-02T15:00:00.000Z');
    expect(sql.get('TS-2')).toBe('2026-11-04T09:00:00.000Z');
  });

  it('keeps entries for events no agreement measures (unmatched stays about agreements)', async () => {
    const sent = await t.as(org.marketingMember.token).post('/api/events').send([crmEvent('lead.mql', 'NEW-1', '2026-12-14T09:00:00Z', { source: 'ads' })]);
    expect(sent.body.unmatched).toBe(1);
    expect((await entriesOf(stages.MQL)).get('NEW-1')).toBe('2026-12-14T09:00:00.000Z');
  });

  it('rebuilds a stage from the stored events when its filter changes', async () => {
    const changed = await t
      .as()
      .patch(`/api/stages/${stages.MQL}`)
      .send({ enteredOn: { type: 'lead.mql', when: { source: 'trade-show' } } });
    expect(changed.status).toBe(200);
    expect(changed.body.enteredOn).toEqual({ type: 'lead.mql', when: { source: 'trade-show' } });
    const mql = await entriesOf(stages.MQL);
    expect([...mql.keys()].sort()).toEqual(closedLoopEvents().filter((e) => e.type === 'lead.mql' && e.attributes.source === 'trade-show').map((e) => e.subject).sort());

    const cleared = await t.as().patch(`/api/stages/${stages.MQL}`).send({ enteredOn: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.enteredOn).toBeNull();
    expect((await entriesOf(stages.MQL)).size).toBe(0);

    await t.as().patch(`/api/stages/${stages.MQL}`).send({ enteredOn: { type: 'lead.mql' } });
    expect((await entriesOf(stages.MQL)).size).toBe(21);
  });

  it.each([
    [{ type: 'not a type!' }, 'enteredOn.type'],
    [{ type: 'lead.sql', when: {} }, 'enteredOn.when'],
    [{ type: 'lead.sql', extra: 1 }, 'enteredOn.extra'],
    ['lead.sql', 'enteredOn'],
  ])('refuses enteredOn %j with a 400 naming %s, and changes nothing', async (enteredOn, field) => {
    const refused = await t.as().patch(`/api/stages/${stages.MQL}`).send({ enteredOn });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors)).toContain(field);
    const stage = await t.as().get(`/api/stages/${stages.MQL}`);
    expect(stage.body.enteredOn).toEqual({ type: 'lead.mql' });
  });
});
