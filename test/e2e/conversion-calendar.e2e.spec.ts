import { DataSource } from 'typeorm';
import { createCalendar, PARIS_OFFICE, signAgreement } from '../support/agreement-fixture.js';
import { createFunnel, mqlsBecomeSqls, sendClosedLoop } from '../support/funnel-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

/** Tuesday 8 December 2026, inside the ten business days of every MQL from 24 November on. */
const HOLIDAY = '2026-12-08';
/** When November closes: the ten business days of WB-10 (MQL Friday 27 November, 10:00 Paris) end Friday 11 December, 10:00… */
const FRIDAY = '2026-12-11T09:00:00.000Z';
/** …or, with the holiday, Monday 14 December, 10:00. */
const MONDAY = '2026-12-14T09:00:00.000Z';

interface Kpi {
  t: TestApp;
  org: SeededOrg;
  calendarId: string;
  agreementId: string;
}

/** The closed-loop leads and issue 14's KPI on a calendar of their own, signed on Saturday 5 December, measuring from 1 November. */
async function kpiOn(calendar: object): Promise<Kpi> {
  const t = await TestApp.start();
  const org = await seedOrg(t);
  t.clock.set('2026-12-05T08:00:00Z');
  const stages = await createFunnel(t, org);
  const calendarId = await createCalendar(t, calendar);
  await sendClosedLoop(t, org);
  const agreementId = await signAgreement(t, org, mqlsBecomeSqls(org, calendarId, stages, { measureFrom: '2026-11-01T00:00:00+01:00' }));
  return { t, org, calendarId, agreementId };
}

/** November's stored row: what the sweep closes by. */
async function november({ t, agreementId }: Kpi): Promise<{ status: string; closesAt: string; cohort: number; converted: number }> {
  const parameter = process.env.DATABASE_URL ? '$1' : '?';
  const [row] = await t.app
    .get(DataSource)
    .query(`SELECT status, closes_at, cohort, converted FROM conversion_periods WHERE agreement_id = ${parameter} AND label = '2026-11'`, [agreementId]);
  const closesAt = row.closes_at instanceof Date ? row.closes_at : new Date(`${String(row.closes_at).replace(' ', 'T')}Z`);
  return { status: row.status, closesAt: closesAt.toISOString(), cohort: Number(row.cohort), converted: Number(row.converted) };
}

/** The calendar change is recounted after it commits, beside the answer: waits until the stored row shows it. */
async function until(kpi: Kpi, expected: Partial<Awaited<ReturnType<typeof november>>>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const row = await november(kpi);
    if (Object.entries(expected).every(([key, value]) => row[key as keyof typeof row] === value) || Date.now() > deadline) {
      expect(row).toMatchObject(expected);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sweep({ t }: Kpi, at: string): Promise<{ conversionsClosed: number; conversionsMissed: number }> {
  t.clock.set(at);
  const answer = await t.as().post('/api/admin/sweep');
  expect(answer.status).toBe(200);
  return answer.body;
}

/**
 * An open conversion period closes once the window of its last subject has passed, a window
 * measured in business time: when the calendar changes, its closing time — the one the sweep goes
 * by — moves with it.
 */
describe(`conversion periods when their calendar changes (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  let kpi: Kpi | undefined;
  afterEach(async () => {
    await kpi?.t.close();
    kpi = undefined;
  });

  it('a holiday added moves closes_at later, and the sweep closes the period then, not before', async () => {
    kpi = await kpiOn(PARIS_OFFICE);
    expect(await november(kpi)).toEqual({ status: 'open', closesAt: FRIDAY, cohort: 20, converted: 8 });
    const changed = await kpi.t.as().patch(`/api/calendars/${kpi.calendarId}`).send({ holidays: [HOLIDAY] });
    expect(changed.status).toBe(200);
    await until(kpi, { status: 'open', closesAt: MONDAY });

    expect(await sweep(kpi, FRIDAY)).toMatchObject({ conversionsClosed: 0 });
    expect(await sweep(kpi, '2026-12-14T08:59:59Z')).toMatchObject({ conversionsClosed: 0 });
    expect(await november(kpi)).toMatchObject({ status: 'open', closesAt: MONDAY });
    expect(await sweep(kpi, MONDAY)).toMatchObject({ conversionsClosed: 1, conversionsMissed: 1 });
    expect(await november(kpi)).toEqual({ status: 'missed', closesAt: MONDAY, cohort: 20, converted: 8 });
    const breaches = await kpi.t.as().get('/api/breaches').query({ agreementId: kpi.agreementId });
    expect(breaches.body.items).toEqual([expect.objectContaining({ kind: 'conversion', dueAt: MONDAY })]);
  });

  it('a holiday removed after the new closing time has passed closes the period at once, as the sweep would have', async () => {
    kpi = await kpiOn({ ...PARIS_OFFICE, holidays: [HOLIDAY] });
    expect(await november(kpi)).toMatchObject({ status: 'open', closesAt: MONDAY });
    // Saturday 12 December: without the holiday, the last window ended yesterday.
    kpi.t.clock.set('2026-12-12T08:00:00Z');
    const changed = await kpi.t.as().patch(`/api/calendars/${kpi.calendarId}`).send({ holidays: [] });
    expect(changed.status).toBe(200);
    await until(kpi, { status: 'missed', closesAt: FRIDAY });
    const breaches = await kpi.t.as().get('/api/breaches').query({ agreementId: kpi.agreementId });
    expect(breaches.body.items).toEqual([expect.objectContaining({ kind: 'conversion', dueAt: FRIDAY, conversion: expect.objectContaining({ cohort: 20, converted: 8 }) })]);
    expect(await sweep(kpi, '2026-12-12T08:01:00Z')).toMatchObject({ conversionsClosed: 0, conversionsMissed: 0 });
  });

  it('a change this instance did not make (another instance, on the same database) is caught up by the sweep', async () => {
    kpi = await kpiOn(PARIS_OFFICE);
    // A first sweep has seen the calendar as it is.
    expect(await sweep(kpi, '2026-12-07T08:00:00Z')).toMatchObject({ conversionsClosed: 0 });
    const parameter = process.env.DATABASE_URL ? '$1' : '?';
    await kpi.t.app.get(DataSource).query(`UPDATE calendars SET holidays = '["${HOLIDAY}"]', version = version + 1 WHERE id = ${parameter}`, [kpi.calendarId]);
    expect(await november(kpi)).toMatchObject({ closesAt: FRIDAY });
    expect(await sweep(kpi, '2026-12-07T08:01:00Z')).toMatchObject({ conversionsClosed: 0 });
    expect(await november(kpi)).toMatchObject({ status: 'open', closesAt: MONDAY });
    expect(await sweep(kpi, FRIDAY)).toMatchObject({ conversionsClosed: 0 });
    expect(await sweep(kpi, MONDAY)).toMatchObject({ conversionsClosed: 1, conversionsMissed: 1 });
  });
});
