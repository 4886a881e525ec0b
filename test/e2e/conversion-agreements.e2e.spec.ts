import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { CONVERSION_EXAMPLE } from '../../src/agreements/agreements.dto.js';
import { createCalendar, crmEvent, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, mqlsBecomeSqls, sendClosedLoop, type FunnelIds } from '../support/funnel-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { createPerson, seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';
import { sendEvents } from '../support/tracking-fixture.js';

const NOVEMBER = { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' };

interface PeriodBody {
  label: string;
  cohort: number;
  converted: number;
  percent: number | null;
  minimumPercent: number;
  status: string;
  projected: number | null;
  closesAt: string;
}

/**
 * Issue 14, "Shared KPIs as agreements": a conversion agreement, signed by both heads, measured
 * per period from the stage entries, closed once the last window has passed, and a missed period
 * a breach both departments own.
 */
describe(`conversion agreements (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;
  let calendarId: string;
  let agreementId: string;
  let seriesId: string;
  let salesAndProductId: string;

  const compliance = async (window = NOVEMBER, token?: string) => {
    const response = await t.as(token).get(`/api/agreements/${agreementId}/compliance`).query(window);
    expect(response.status).toBe(200);
    return response.body as { kind: string; total: number; met: number; breached: number; running: number; metPercent: number | null; periods: unknown[]; conversionPeriods: PeriodBody[] };
  };
  const sweep = async (at: string) => {
    t.clock.set(at);
    const response = await t.as().post('/api/admin/sweep');
    expect(response.status).toBe(200);
    return response.body as { conversionsClosed: number; conversionsMissed: number };
  };

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    t.clock.set('2026-12-05T08:00:00Z');
    stages = await createFunnel(t, org);
    calendarId = await createCalendar(t);
    // The joint meeting after the November figures are final.
    const series = await t.as().post('/api/meeting-series').send(monthlyMeeting(org, { startsOn: '2026-12-15T10:00', rrule: 'FREQ=WEEKLY;COUNT=2' }));
    expect(series.status).toBe(201);
    seriesId = series.body.id;
    const product = await t.as().post('/api/departments').send({ name: 'Product', timezone: 'Europe/Paris' });
    const productHead = await createPerson(t, { name: 'Pia Head', email: 'pia@example.com', role: 'head', departmentId: product.body.id });
    const salesAndProduct = await t
      .as()
      .post('/api/meeting-series')
      .send(
        monthlyMeeting(org, {
          title: 'Sales & Product',
          departmentIds: [org.sales.id, product.body.id],
          startsOn: '2026-12-16T10:00',
          rrule: 'FREQ=WEEKLY;COUNT=1',
          chairId: org.salesHead.id,
          participants: [
            { personId: org.salesHead.id, role: 'required' },
            { personId: productHead.id, role: 'required' },
          ],
        }),
      );
    expect(salesAndProduct.status).toBe(201);
    salesAndProductId = salesAndProduct.body.id;
    await sendClosedLoop(t, org);
    // Measured from 1 November: the approval counts the stored stage entries since then.
    agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages, { measureFrom: '2026-11-01T00:00:00+01:00' }));
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('is a third kind, signed by both heads, its terms shown as written', async () => {
    const agreement = await t.as(org.marketingMember.token).get(`/api/agreements/${agreementId}`);
    expect(agreement.body).toMatchObject({ kind: 'conversion', status: 'active' });
    expect(agreement.body.inForce.conversion).toEqual({ ...CONVERSION_EXAMPLE, fromStageId: stages.MQL, toStageId: stages.SQL });
    expect(agreement.body.inForce.approvals.map((a: { departmentId: string }) => a.departmentId).sort()).toEqual([org.marketing.id, org.sales.id].sort());
    expect(agreement.body.unseenTypes).toEqual([]);
    const listed = await t.as().get('/api/agreements').query({ kind: 'conversion' });
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([agreementId]);
    // The stages it measures stay: their entries are its history.
    const removed = await t.as().delete(`/api/stages/${stages.SQL}`);
    expect(removed.status).toBe(409);
    expect(removed.body.message).toContain('named by 1 agreement version');
    const unentered = await t.as().patch(`/api/stages/${stages.MQL}`).send({ enteredOn: null });
    expect(unentered.status).toBe(409);
    expect(Object.keys(unentered.body.errors)).toEqual(['enteredOn']);
    expect((await t.as().get(`/api/stages/${stages.MQL}`)).body.enteredOn).toEqual({ type: 'lead.mql' });
  });

  it('counts a cohort of 20 with 8 converted (40 %), open while windows run, projected from the decided ones', async () => {
    const figures = await compliance();
    expect(figures).toMatchObject({ kind: 'conversion', total: 1, met: 0, breached: 0, running: 1, periods: [] });
    // On Saturday 5 December, 7 MQLs have seen their ten days pass unconverted, 5 (from 23 November on) are still inside theirs:
    // at the rate of the decided ones (8 of 15), they bring 2.67 more.
    expect(figures.conversionPeriods).toEqual([
      {
        label: '2026-11',
        start: '2026-10-31T23:00:00.000Z',
        end: '2026-11-30T23:00:00.000Z',
        cohort: 20,
        converted: 8,
        percent: 40,
        minimumPercent: 50,
        status: 'open',
        projected: 53.33,
        // WB-10 entered MQL on Friday 27 November at 10:00 Paris: ten business days end Friday 11 December, 10:00.
        closesAt: '2026-12-11T09:00:00.000Z',
      },
    ]);
  });

  it('replays to the same figures as measured live, writing nothing', async () => {
    const live = await compliance();
    const replay = await t.as(org.salesHead.token).post(`/api/agreements/${agreementId}/replay`).query(NOVEMBER);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ ...live, replay: true });
    const stricter = await t.as().get(`/api/agreements/${agreementId}/compliance`).query(NOVEMBER);
    expect(stricter.body).toEqual(live);
  });

  it('counts a late SQL within its window at once, and none outside it', async () => {
    const sent = await sendEvents(t, org.salesMember.token, [
      // WB-10 (MQL Friday 27 November): SQL a week later, within its ten business days.
      crmEvent('lead.sql', 'WB-10', '2026-12-04T10:00:00+01:00'),
      // TS-10 (MQL Friday 13 November): its window ended Friday 27 November.
      crmEvent('lead.sql', 'TS-10', '2026-12-01T10:00:00+01:00'),
      // Entering a stage the KPI does not read: no agreement measures it.
      crmEvent('lead.won', 'TS-6', '2026-12-04T11:00:00+01:00'),
    ]);
    // Events entering the KPI's stages are measured by it: not unmatched.
    expect(sent.results.map((result: { matched: boolean }) => result.matched)).toEqual([true, true, false]);
    const [november] = (await compliance()).conversionPeriods;
    expect(november).toMatchObject({ cohort: 20, converted: 9, percent: 45, status: 'open' });
    const stored = await t.as().post(`/api/agreements/${agreementId}/replay`).query(NOVEMBER);
    expect(stored.body.conversionPeriods[0]).toMatchObject({ cohort: 20, converted: 9 });
  });

  it('stays open until the last window has passed, then the sweep closes it as missed with one joint breach', async () => {
    expect(await sweep('2026-12-11T08:59:00Z')).toMatchObject({ conversionsClosed: 0, conversionsMissed: 0 });
    expect((await compliance()).conversionPeriods[0].status).toBe('open');
    expect(await sweep('2026-12-11T09:00:00Z')).toMatchObject({ conversionsClosed: 1, conversionsMissed: 1 });
    const figures = await compliance();
    expect(figures).toMatchObject({ total: 1, met: 0, breached: 1, running: 0, metPercent: 0 });
    expect(figures.conversionPeriods[0]).toMatchObject({ cohort: 20, converted: 9, percent: 45, status: 'missed', projected: null });
    expect(await sweep('2026-12-11T10:00:00Z')).toMatchObject({ conversionsClosed: 0, conversionsMissed: 0 });

    const breaches = await t.as().get('/api/breaches').query({ agreementId });
    expect(breaches.body.total).toBe(1);
    expect(breaches.body.items[0]).toMatchObject({
      kind: 'conversion',
      joint: true,
      subject: null,
      clockId: null,
      quotaPeriodId: null,
      departmentId: org.marketing.id,
      consumerDepartmentId: org.sales.id,
      dueAt: '2026-12-11T09:00:00.000Z',
      conversion: { label: '2026-11', cohort: 20, converted: 9, percent: 45, minimumPercent: 50 },
    });
    expect(breaches.body.items[0].conversionPeriodId).toEqual(expect.any(String));
  });

  it('replays a closed period as it was decided', async () => {
    const live = await compliance();
    const replay = await t.as().post(`/api/agreements/${agreementId}/replay`).query(NOVEMBER);
    expect(replay.body).toEqual({ ...live, replay: true });
  });

  it('alerts both heads', async () => {
    expect((await t.as().post('/api/notifications/dispatch')).body.failed).toBe(0);
    for (const head of [org.marketingHead, org.salesHead]) {
      const mail = sink.to(head.email).find((message) => message.subject?.startsWith('Breach'));
      expect(mail?.subject).toBe('Breach: MQLs become SQLs — 2026-11');
      expect(mail?.text).toContain('a promise of Marketing and Sales was broken');
      expect(mail?.text).toContain('Conversion: 2026-11: 9 of 20 converted (45 %), at least 50 % promised');
    }
  });

  it('is listed for either department, and both heads see it', async () => {
    for (const [head, department] of [
      [org.marketingHead, org.marketing.id],
      [org.salesHead, org.sales.id],
    ] as const) {
      const listed = await t.as(head.token).get('/api/breaches').query({ departmentId: department });
      expect(listed.body.items.map((b: { agreementId: string }) => b.agreementId)).toContain(agreementId);
      const page = await (await pageSession(t, head.token)).agent.get(`/breaches/${listed.body.items[0].id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('MQLs become SQLs');
      expect(page.text).toContain('9 of 20 converted (45 %)');
      expect(page.text).toContain('Marketing and Sales');
      // Its own breaches and the joint ones are one list, latest due first, paged alike.
      const all = (await t.as(head.token).get('/api/breaches').query({ departmentId: department, limit: 100 })).body;
      expect(all.items).toHaveLength(all.total);
      const dues = all.items.map((breach: { dueAt: string }) => Date.parse(breach.dueAt));
      expect(dues).toEqual([...dues].sort((a, b) => b - a));
      const paged: string[] = [];
      for (let offset = 0; offset < all.total; offset++) {
        paged.push(...(await t.as(head.token).get('/api/breaches').query({ departmentId: department, limit: 1, offset })).body.items.map((breach: { id: string }) => breach.id));
      }
      expect(paged).toEqual(all.items.map((breach: { id: string }) => breach.id));
    }
  });

  it('is explained by either department and reviewed by the other head', async () => {
    const [breach] = (await t.as().get('/api/breaches').query({ agreementId })).body.items;
    const explanation = { cause: 'Webinar leads were students.', correctiveAction: 'Screen webinar sign-ups.' };
    expect((await t.as(org.salesMember.token).post(`/api/breaches/${breach.id}/explanation`).send(explanation)).status).toBe(200);
    expect((await t.as(org.marketingHead.token).post(`/api/breaches/${breach.id}/explanation`).send(explanation)).status).toBe(200);
    // Who wrote it does not review it: the other head does.
    const own = await t.as(org.marketingHead.token).post(`/api/breaches/${breach.id}/explanation/review`).send({ verdict: 'accepted' });
    expect(own.status).toBe(403);
    const other = await t.as(org.salesHead.token).post(`/api/breaches/${breach.id}/explanation/review`).send({ verdict: 'accepted' });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ reviewStatus: 'accepted', explained: true });
  });

  it('is on the agenda of a joint meeting, and of a meeting of either department', async () => {
    const meetings = await t.as().get('/api/meetings').query({ seriesId });
    const first = meetings.body.items[0];
    const built = await t.as(org.marketingHead.token).post(`/api/meetings/${first.id}/agenda/build`);
    expect(built.status).toBe(200);
    const item = built.body.agenda.find((entry: { source: string }) => entry.source === 'breaches');
    expect(item.title).toContain('MQLs become SQLs');
    expect(item.details.breaches[0].subject).toBe('2026-11: 9 of 20 converted (45 %)');

    // Sales meets Product without Marketing: the shared KPI is theirs too.
    const [meeting] = (await t.as().get('/api/meetings').query({ seriesId: salesAndProductId })).body.items;
    const agenda = await t.as(org.salesHead.token).post(`/api/meetings/${meeting.id}/agenda/build`);
    expect(agenda.status).toBe(200);
    expect(agenda.body.agenda.map((entry: { title: string }) => entry.title).join('\n')).toContain('MQLs become SQLs');
  });

  it('shows the agreement, its periods and its breach on the pages both heads read', async () => {
    for (const head of [org.marketingHead, org.salesHead]) {
      const pages = await pageSession(t, head.token);
      const dashboard = await pages.get('/');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('MQLs become SQLs');
      expect(dashboard.text).toContain('shared conversion KPI');
      // November among the months before, as the share of its cohort converted.
      expect(dashboard.text).toContain('title="Nov 2026: 45 %"');
      expect(dashboard.text).toContain('in 2026-12, at least 50 % promised');
      const list = await pages.get('/agreements');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Conversion (shared KPI)');
      const detail = await pages.get(`/agreements/${agreementId}`);
      expect(detail.status).toBe(200);
      expect(detail.text).toContain('MQL → SQL within 10 business days, ≥ 50 % a month');
      expect(detail.text).toMatch(/<tr><td>2026-11<\/td><td>20<\/td><td>9<\/td><td>45 %<\/td><td>50 %<\/td><td><span class="badge bad">missed<\/span>/);
      expect(detail.text).toContain('id="replay-result"');
      const breaches = await pages.get('/breaches?explained=all');
      expect(breaches.status).toBe(200);
      expect(breaches.text).toContain('conversion 2026-11');
      expect(breaches.text).toContain('9 of 20 converted (45 %)');
    }
  });

  it('edits the terms in the editor, and drafts a new conversion agreement there', async () => {
    const pages = await pageSession(t, org.salesHead.token);
    const edit = await pages.get(`/agreements/${agreementId}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('Conversion terms');
    // P10D opens as a number and a unit: 10 business days.
    expect(edit.text).toMatch(/<input type="number" id="f-conversion-within"[^>]*value="10"/);
    expect(edit.text).toMatch(/<option value="days" selected>business days<\/option>/);
    const changed = await pages.post(`/agreements/${agreementId}`, {
      name: 'MQLs become SQLs',
      calendarId,
      conversion: { fromStageId: stages.MQL, toStageId: stages.SQL, within: 'P8D', period: 'month', minimumPercent: '55' },
    });
    expect(changed.status).toBe(303);
    const pending = (await t.as().get(`/api/agreements/${agreementId}`)).body.pending;
    expect(pending.conversion).toEqual({ fromStageId: stages.MQL, toStageId: stages.SQL, within: 'P8D', period: 'month', minimumPercent: 55 });

    // A new agreement, as the editor posts it (minimumPercent typed as text).
    const draft = (name: string, parties: [string, string], conversion: object) =>
      pages.post('/agreements', { kind: 'conversion', name, providerDepartmentId: parties[0], consumerDepartmentId: parties[1], calendarId, conversion });
    const backwards = await draft('Backwards', [org.marketing.id, org.sales.id], { fromStageId: stages.SQL, toStageId: stages.MQL, within: 'P10D', period: 'month', minimumPercent: '50' });
    expect(backwards.status).toBe(400);
    expect(backwards.text).toMatch(/must come after SQL in the funnel/);
    const drafted = await draft('SQLs are won', [org.sales.id, org.marketing.id], { fromStageId: stages.SQL, toStageId: stages.Won, within: 'P30D', period: 'quarter', minimumPercent: '25' });
    expect(drafted.status).toBe(303);
    const created = (await t.as().get('/api/agreements').query({ kind: 'conversion' })).body.items.find((a: { name: string }) => a.name === 'SQLs are won');
    expect(created.pending.conversion).toEqual({ fromStageId: stages.SQL, toStageId: stages.Won, within: 'P30D', period: 'quarter', minimumPercent: 25 });
  });

  describe('refuses terms that cannot be measured, naming the field', () => {
    const refused = async (conversion: object, field: string, extra: object = {}) => {
      const before = (await t.as().get('/api/agreements')).body.total;
      const response = await t.as(org.salesHead.token).post('/api/agreements').send({ ...mqlsBecomeSqls(org, calendarId, stages), conversion, ...extra });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
      expect((await t.as().get('/api/agreements')).body.total).toBe(before);
      return response.body;
    };
    const terms = () => ({ ...CONVERSION_EXAMPLE, fromStageId: stages.MQL, toStageId: stages.SQL });

    it.each([
      ['a minimum above 100', { minimumPercent: 120 }, 'conversion.minimumPercent'],
      ['a negative minimum', { minimumPercent: -1 }, 'conversion.minimumPercent'],
      ['a window in months', { within: 'P1M' }, 'conversion.within'],
      ['an unknown period', { period: 'fortnight' }, 'conversion.period'],
      ['an unknown field', { goalPercent: 50 }, 'conversion.goalPercent'],
    ])('%s', async (_case, change, field) => {
      await refused({ ...terms(), ...change }, field);
    });

    it('a second stage before the first in the funnel', async () => {
      const body = await refused({ ...terms(), fromStageId: stages.SQL, toStageId: stages.MQL }, 'conversion.toStageId');
      expect(body.errors['conversion.toStageId'][0]).toContain('must come after SQL');
    });

    it('an unknown stage, and a stage no event enters', async () => {
      await refused({ ...terms(), fromStageId: '0193a1c4-0000-7000-8000-0000000000ff' }, 'conversion.fromStageId');
      const opportunity = (await t.as().get('/api/stages').query({ limit: 100 })).body.items.find((stage: { name: string }) => stage.name === 'Opportunity');
      const body = await refused({ ...terms(), toStageId: opportunity.id }, 'conversion.toStageId');
      expect(body.errors['conversion.toStageId'][0]).toContain('which no event enters yet');
    });

    it('quota and conversion terms at once, and other terms on a conversion agreement', async () => {
      await refused(terms(), 'quota', { quota: { countOn: { type: 'lead.mql' }, period: 'month', minimum: 10 } });
      const changed = await t.as(org.salesHead.token).patch(`/api/agreements/${agreementId}`).send({ quota: { countOn: { type: 'lead.mql' }, period: 'month', minimum: 10 } });
      expect(changed.status).toBe(400);
      expect(Object.keys(changed.body.errors)).toEqual(['quota']);
      const period = await t.as(org.salesHead.token).patch(`/api/agreements/${agreementId}`).send({ conversion: { ...terms(), period: 'week' } });
      expect(period.status).toBe(400);
      expect(Object.keys(period.body.errors)).toEqual(['conversion.period']);
    });
  });
});

/**
 * The same KPI signed before the leads came: measured by ingestion as entries arrive, and counted
 * again when a stage's filter changes.
 */
describe(`a conversion agreement measured as events arrive (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let stages: FunnelIds;
  let agreementId: string;

  const november = async () => {
    const response = await t.as().get(`/api/agreements/${agreementId}/compliance`).query(NOVEMBER);
    expect(response.status).toBe(200);
    return response.body.conversionPeriods[0] as PeriodBody;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-10-30T08:00:00Z');
    stages = await createFunnel(t, org);
    const calendarId = await createCalendar(t);
    agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages));
    t.clock.set('2026-12-05T08:00:00Z');
    await sendClosedLoop(t, org);
  });
  afterAll(async () => t?.close());

  it('counts the entries as ingestion records them', async () => {
    expect(await november()).toMatchObject({ label: '2026-11', cohort: 20, converted: 8, percent: 40, status: 'open', projected: 53.33 });
  });

  it('an SQL reported earlier than known moves the conversion into the window', async () => {
    // TS-9's MQL was on Thursday 12 November; an SQL on 30 November was too late, one on the 20th is in time.
    await sendEvents(t, org.salesMember.token, [crmEvent('lead.sql', 'TS-9', '2026-11-30T10:00:00+01:00')]);
    expect((await november()).converted).toBe(8);
    await sendEvents(t, org.salesMember.token, [crmEvent('lead.sql', 'TS-9', '2026-11-20T10:00:00+01:00')]);
    expect((await november()).converted).toBe(9);
  });

  it('counts again when the first stage is entered by other events', async () => {
    const changed = await t
      .as()
      .patch(`/api/stages/${stages.MQL}`)
      .send({ enteredOn: { type: 'lead.mql', when: { source: 'trade-show' } } });
    expect(changed.status).toBe(200);
    // The trade-show leads: 10 MQLs, 7 SQLs in time (TS-1…6, and TS-9).
    expect(await november()).toMatchObject({ cohort: 10, converted: 7, percent: 70 });
    const replay = await t.as().post(`/api/agreements/${agreementId}/replay`).query(NOVEMBER);
    expect(replay.body.conversionPeriods[0]).toMatchObject({ cohort: 10, converted: 7, percent: 70 });
  });

  it('closes met when the minimum is reached, with no breach', async () => {
    t.clock.set('2026-12-11T12:00:00Z');
    // October too: signed on 30 October, the agreement measures from that month, in which nobody entered.
    expect((await t.as().post('/api/admin/sweep')).body).toMatchObject({ conversionsClosed: 2, conversionsMissed: 0 });
    expect(await november()).toMatchObject({ status: 'met', cohort: 10, converted: 7 });
    const october = await t.as().get(`/api/agreements/${agreementId}/compliance`).query({ from: '2026-10-01T00:00:00+02:00', to: NOVEMBER.from });
    expect(october.body.conversionPeriods).toEqual([expect.objectContaining({ label: '2026-10', cohort: 0, percent: null, status: 'met' })]);
    expect((await t.as().get('/api/breaches').query({ agreementId })).body.total).toBe(0);
  });

  it('a late MQL that lowers a closed period below its minimum records the breach then', async () => {
    // Four trade-show MQLs reported late, on the first of November, none of them an SQL: 7 of 14, 50 % — still met.
    const late = [1, 2, 3, 4].map((n) => crmEvent('lead.mql', `TS-LATE-${n}`, '2026-11-02T10:00:00+01:00', { source: 'trade-show' }));
    await sendEvents(t, org.marketingMember.token, late);
    expect(await november()).toMatchObject({ status: 'met', cohort: 14, converted: 7, percent: 50 });
    await sendEvents(t, org.marketingMember.token, [crmEvent('lead.mql', 'TS-LATE-5', '2026-11-02T10:00:00+01:00', { source: 'trade-show' })]);
    expect(await november()).toMatchObject({ status: 'missed', cohort: 15, converted: 7 });
    const breaches = (await t.as().get('/api/breaches').query({ agreementId })).body;
    expect(breaches.total).toBe(1);
    expect(breaches.items[0]).toMatchObject({ kind: 'conversion', conversion: { cohort: 15, converted: 7 } });
    // And an SQL in time for one of them makes it met again: the breach is withdrawn.
    await sendEvents(t, org.salesMember.token, [crmEvent('lead.sql', 'TS-LATE-5', '2026-11-03T10:00:00+01:00')]);
    expect(await november()).toMatchObject({ status: 'met', converted: 8 });
    expect((await t.as().get('/api/breaches').query({ agreementId })).body.total).toBe(0);
  });
});

/**
 * The stored periods are kept by ingestion a batch at a time; whatever the batches — late events,
 * entries moved earlier, SQLs before or long after the MQL — they equal a count from scratch (a
 * replay) of the same stage entries.
 */
describe(`stored conversion periods after random batches (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let agreementId: string;
  const WINDOW = { from: '2026-11-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' };

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2027-01-20T08:00:00Z');
    const stages = await createFunnel(t, org);
    const calendarId = await createCalendar(t);
    agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages, { measureFrom: '2026-11-01T00:00:00+01:00' }));
  });
  afterAll(async () => t?.close());

  const stored = async () => {
    const dialect = process.env.DATABASE_URL ? '$1' : '?';
    const rows: { label: string; cohort: number; converted: number; status: string; closes_at: unknown }[] = await t.app
      .get(DataSource)
      .query(`SELECT label, cohort, converted, status, closes_at FROM conversion_periods WHERE agreement_id = ${dialect} ORDER BY period_start`, [agreementId]);
    const instant = (value: unknown) => new Date(value instanceof Date ? value : `${String(value).replace(' ', 'T')}Z`).toISOString();
    return rows.map((row) => ({ label: row.label, cohort: Number(row.cohort), converted: Number(row.converted), status: row.status, closesAt: instant(row.closes_at) }));
  };

  it('equal a replay of the same entries', async () => {
    const start = Date.parse('2026-11-01T08:00:00Z');
    const HOUR = 3_600_000;
    const event = fc.record({
      subject: fc.integer({ min: 1, max: 6 }),
      type: fc.constantFrom('lead.mql', 'lead.sql'),
      // November and December, to the hour.
      hours: fc.integer({ min: 0, max: 60 * 24 - 1 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        run += 1;
        for (const batch of batches) {
          const events = batch.map((e) => crmEvent(e.type, `R${run}-${e.subject}`, new Date(start + e.hours * HOUR).toISOString()));
          expect((await t.as(org.marketingMember.token).post('/api/events').send(events)).status).toBe(200);
          // After every batch: a later batch recounting a period must not be what makes it right.
          const replay = await t.as().post(`/api/agreements/${agreementId}/replay`).query(WINDOW);
          const expected = (replay.body.conversionPeriods as PeriodBody[]).map(({ label, cohort, converted, status, closesAt }) => ({ label, cohort, converted, status, closesAt }));
          expect((await stored()).filter((row) => row.label !== '2027-01')).toEqual(expected);
        }
      }),
      { numRuns: 15 },
    );
  });
});

/**
 * Two batches stored at once, one with leads' MQLs and the other with their SQLs: on PostgreSQL
 * they run in parallel transactions, and whichever commits second must count what the first wrote.
 */
describe(`a conversion agreement fed by concurrent batches (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let org: SeededOrg;
  let agreementId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-12-05T08:00:00Z');
    const stages = await createFunnel(t, org);
    const calendarId = await createCalendar(t);
    agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages, { measureFrom: '2026-11-01T00:00:00+01:00' }));
  });
  afterAll(async () => t?.close());

  it('counts every conversion', async () => {
    const SUBJECTS = 15;
    for (let round = 1; round <= 6; round++) {
      const subjects = Array.from({ length: SUBJECTS }, (_, i) => `C${round}-${i}`);
      const mqls = subjects.map((subject) => crmEvent('lead.mql', subject, '2026-11-16T10:00:00+01:00'));
      const sqls = subjects.map((subject) => crmEvent('lead.sql', subject, '2026-11-17T10:00:00+01:00'));
      const [first, second] = await Promise.all([
        t.as(org.marketingMember.token).post('/api/events').send(mqls),
        t.as(org.salesMember.token).post('/api/events').send(sqls),
      ]);
      expect([first.status, second.status]).toEqual([200, 200]);
      const figures = await t.as().get(`/api/agreements/${agreementId}/compliance`).query(NOVEMBER);
      const dialect = process.env.DATABASE_URL ? '$1' : '?';
      const [row] = await t.app.get(DataSource).query(`SELECT cohort, converted FROM conversion_periods WHERE agreement_id = ${dialect} AND label = '2026-11'`, [agreementId]);
      expect(figures.body.conversionPeriods[0]).toMatchObject({ cohort: round * SUBJECTS, converted: round * SUBJECTS });
      expect({ cohort: Number(row.cohort), converted: Number(row.converted) }).toEqual({ cohort: round * SUBJECTS, converted: round * SUBJECTS });
    }
  });
});
