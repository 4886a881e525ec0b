import { parse } from 'csv-parse/sync';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { decode } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const NOVEMBER = { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' };
const PARTS = ['met', 'breached', 'running', 'paused', 'cancelled'] as const;
type Counts = Record<(typeof PARTS)[number] | 'total' | 'breachedOpen', number>;

/** Every clock in exactly one part, and the still-open breaches a share of the breached. */
function expectPartition(counts: Counts): void {
  expect(PARTS.reduce((sum, part) => sum + counts[part], 0)).toBe(counts.total);
  expect(counts.breachedOpen).toBeLessThanOrEqual(counts.breached);
}

/**
 * Tuesday 10 November 2026, 15:00 in Paris (09:00–18:00 calendar, hot 1 h, warm 4 h): one clock of
 * each kind, so that each part of the partition holds something to count.
 */
describe('the compliance partition: each clock counted once, the same on every screen', () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));

    // Handed over on Monday at 10:00 and sent at 10:30, before its due time: a running clock the
    // sweep has not seen yet when the figures are read.
    t.clock.set('2026-11-09T09:30:00Z');
    const first = await t.as(org.marketingMember.token).post('/api/events').send(crmEvent('lead.handed_over', 'P-OPEN', '2026-11-09T10:00:00+01:00', { score: 'hot' }));
    expect(first.status).toBe(201);

    t.clock.set('2026-11-10T14:00:00Z');
    const events = [
      crmEvent('lead.handed_over', 'P-MET', '2026-11-09T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'P-MET', '2026-11-09T09:30:00+01:00'), // 30 min: met
      crmEvent('lead.handed_over', 'P-LATE', '2026-11-09T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'P-LATE', '2026-11-09T11:00:00+01:00'), // 2 h: breached, closed
      crmEvent('lead.handed_over', 'P-HOLD-LATE', '2026-11-09T14:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.on_hold', 'P-HOLD-LATE', '2026-11-09T16:00:00+01:00'), // put on hold an hour after its due time
      crmEvent('lead.handed_over', 'P-HOLD', '2026-11-10T14:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.on_hold', 'P-HOLD', '2026-11-10T14:15:00+01:00'), // on hold in time: paused
      crmEvent('lead.handed_over', 'P-DQ', '2026-11-10T13:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.disqualified', 'P-DQ', '2026-11-10T13:10:00+01:00'), // cancelled in time
      crmEvent('lead.handed_over', 'P-WARM', '2026-11-10T14:00:00+01:00', { score: 'warm' }), // due 18:00: running
    ];
    const sent = await t.as(org.marketingMember.token).post('/api/events').send(events);
    expect(sent.body.accepted).toBe(events.length);
  });

  afterAll(async () => {
    await t?.close();
  });

  const live = async () => (await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(NOVEMBER)).body;
  const expected = { total: 7, met: 1, breached: 3, breachedOpen: 2, running: 1, paused: 1, cancelled: 1, metPercent: 25 };

  it('counts the lead nobody called and the one put on hold too late as breached and still open, before and after the sweep', async () => {
    const before = await live();
    expect(before).toMatchObject({ kind: 'response', ...expected });
    expectPartition(before);
    expect(before.targets).toEqual([
      expect.objectContaining({ name: 'hot', total: 6, met: 1, breached: 3, breachedOpen: 2, running: 0, paused: 1, cancelled: 1 }),
      expect.objectContaining({ name: 'warm', total: 1, met: 0, breached: 0, breachedOpen: 0, running: 1, paused: 0, cancelled: 0 }),
      expect.objectContaining({ name: 'default', total: 0 }),
    ]);
    for (const target of before.targets) expectPartition(target);

    // P-OPEN (due Monday 11:00, never called) was counted breached before the sweep saw it; the
    // sweep records its breach and the figures do not move.
    const sweep = await t.as().post('/api/admin/sweep');
    expect(sweep.body.breached).toBe(1);
    expect(await live()).toEqual(before);
    const breaches = await t.as().get('/api/breaches').query({ agreementId: hot });
    expect(breaches.body.items.map((b: { subject: string }) => b.subject).sort()).toEqual(['P-HOLD-LATE', 'P-LATE', 'P-OPEN']);
  });

  it('replays the version in force over the same window to the same partition', async () => {
    const replay = await t.as(org.salesHead.token).post(`/api/agreements/${hot}/replay`).query({ ...NOVEMBER, version: 1 });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ replay: true, ...expected });
    expect({ ...replay.body, replay: false }).toEqual(await live());
  });

  it('shows the same partition in the breach report, in JSON, text and HTML', async () => {
    const report = (format: string) => t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...NOVEMBER, format });
    const json = (await report('json')).body;
    expect(json.responses).toEqual([expect.objectContaining({ agreementId: hot, ...expected })]);
    expectPartition(json.responses[0]);
    const sentence = '7 measured: 1 met, 3 breached (2 still open past due), 1 running, 1 paused, 1 cancelled';
    // The plain-text part keeps to 78 columns: the same words on two lines.
    expect((await report('text')).text).toContain(sentence.replace(' 1 running', '\n      1 running'));
    expect(decode((await report('html')).text)).toContain(sentence);
    // One row per breach: the two still open say so, as does each line of the report.
    const rows: Record<string, string>[] = parse((await report('csv')).text, { bom: true, columns: true });
    expect(rows.map((row) => [row.subject, row.still_open]).sort()).toEqual([
      ['P-HOLD-LATE', 'yes'],
      ['P-LATE', 'no'],
      ['P-OPEN', 'yes'],
    ]);
    expect(json.breaches.filter((line: { stillOpen: boolean }) => line.stillOpen).map((line: { subject: string }) => line.subject).sort()).toEqual(['P-HOLD-LATE', 'P-OPEN']);
    expect((await report('text')).text.match(/still open past due/g)).toHaveLength(3);
  });

  it('shows the same partition on the dashboard and the agreement page, live and replayed', async () => {
    const page = await pageSession(t, org.salesHead.token);
    const parts = '1 met, 3 breached (2 still open past due), 1 running, 1 paused, 1 cancelled';
    const dashboard = decode((await page.get('/')).text);
    expect(dashboard).toContain(`7 clocks this month: ${parts}.`);
    const detail = await page.get(`/agreements/${hot}?from=2026-11-01&to=2026-11-30&version=1`);
    expect(detail.status).toBe(200);
    const text = decode(detail.text);
    // Once for the live figures of this month, once for the replay of the same days.
    expect(text.split(`7 clocks: ${parts}.`)).toHaveLength(3);
    expect(text).toContain('still open past due</span>');
  });
});

describe('a clock put on hold after it fell due', () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is breached by the sweep even when the pause was sent ahead of time', async () => {
    // Tuesday 10:00 Paris: handed over at 09:30 (due 10:30), and the CRM already books the hold for 11:00.
    t.clock.set('2026-11-10T09:00:00Z');
    const sent = await t.as(org.marketingMember.token).post('/api/events').send([
      crmEvent('lead.handed_over', 'H-1', '2026-11-10T09:30:00+01:00', { score: 'hot' }),
      crmEvent('lead.on_hold', 'H-1', '2026-11-10T11:00:00+01:00'),
    ]);
    expect(sent.body.accepted).toBe(2);
    const compliance = async () => (await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(NOVEMBER)).body;
    expect(await compliance()).toMatchObject({ total: 1, paused: 1, breached: 0, breachedOpen: 0 });

    t.clock.set('2026-11-10T09:45:00Z');
    expect(await compliance()).toMatchObject({ total: 1, paused: 0, breached: 1, breachedOpen: 1 });
    const sweep = await t.as().post('/api/admin/sweep');
    expect(sweep.body.breached).toBe(1);
    const [clock] = (await t.as().get('/api/clocks').query({ subject: 'H-1' })).body.items;
    expect(clock).toMatchObject({ state: 'paused', outcome: 'breached', breachedAt: '2026-11-10T09:30:00.000Z', breachId: expect.any(String) });
    expect(await compliance()).toMatchObject({ total: 1, paused: 0, breached: 1, breachedOpen: 1 });
  });
});
