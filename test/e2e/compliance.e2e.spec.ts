import { DataSource } from 'typeorm';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const NOVEMBER_FIRST_HALF = { from: '2026-11-01T00:00:00+01:00', to: '2026-11-15T00:00:00+01:00' };

describe('compliance figures and replays, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let hot: string;
  let quota: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
    quota = await signAgreement(t, org, qualifiedLeads(org, calendarId));

    // A fortnight of leads on the 09:00–18:00 Paris calendar, reported at the end of the month.
    t.clock.set('2026-11-30T12:00:00Z');
    const events = [
      crmEvent('lead.handed_over', 'R-1', '2026-11-06T17:30:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'R-1', '2026-11-09T09:20:00+01:00'), // 50 min: met
      crmEvent('lead.handed_over', 'R-2', '2026-11-06T17:30:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'R-2', '2026-11-09T10:45:00+01:00'), // 2 h 15: breached
      crmEvent('lead.handed_over', 'R-3', '2026-11-10T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.on_hold', 'R-3', '2026-11-10T09:30:00+01:00'),
      crmEvent('lead.resumed', 'R-3', '2026-11-10T14:00:00+01:00'),
      crmEvent('lead.contacted', 'R-3', '2026-11-10T14:20:00+01:00'), // 50 min on the clock: met
      crmEvent('lead.handed_over', 'R-4', '2026-11-11T09:00:00+01:00', { score: 'warm' }),
      crmEvent('lead.contacted', 'R-4', '2026-11-11T12:00:00+01:00'), // 3 h of 4: met
      crmEvent('lead.handed_over', 'R-5', '2026-11-11T09:00:00+01:00', { score: 'hot' }), // never called: breached
      crmEvent('lead.handed_over', 'R-6', '2026-11-12T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'R-6', '2026-11-12T09:40:00+01:00'), // 40 min: met
      crmEvent('lead.handed_over', 'R-7', '2026-11-13T10:00:00+01:00', { score: 'cold' }),
      crmEvent('lead.contacted', 'R-7', '2026-11-16T10:00:00+01:00'), // 9 h of two business days: met
      crmEvent('lead.handed_over', 'R-8', '2026-11-20T10:00:00+01:00', { score: 'hot' }), // outside the window
    ];
    const sent = await t.as(org.marketingMember.token).post('/api/events').send(events);
    expect(sent.body.accepted).toBe(events.length);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts the clocks started in a window: met, breached, running, per target, with percentiles', async () => {
    const live = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(NOVEMBER_FIRST_HALF);
    expect(live.status).toBe(200);
    // R-5, never called, is breached and still open: counted once, as breached, not also as running.
    expect(live.body).toMatchObject({ kind: 'response', replay: false, version: 1, total: 7, met: 5, breached: 2, breachedOpen: 1, running: 0, paused: 0, cancelled: 0 });
    expect(live.body).toMatchObject({ metPercent: 71.43, goalPercent: 95, goalMet: false });
    expect(live.body.targets).toEqual([
      expect.objectContaining({ name: 'hot', total: 5, met: 3, breached: 2, medianSeconds: 3000, p90Seconds: 6570 }),
      expect.objectContaining({ name: 'warm', total: 1, met: 1, breached: 0, medianSeconds: 3 * 3600 }),
      expect.objectContaining({ name: 'default', total: 1, met: 1, breached: 0, medianSeconds: 9 * 3600 }),
    ]);
  });

  it('replays the version in force over the same window to exactly the live figures', async () => {
    const live = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(NOVEMBER_FIRST_HALF);
    const replay = await t.as(org.salesHead.token).post(`/api/agreements/${hot}/replay`).query({ ...NOVEMBER_FIRST_HALF, version: 1 });
    expect(replay.status).toBe(200);
    expect(replay.body.replay).toBe(true);
    expect({ ...replay.body, replay: false }).toEqual(live.body);
  });

  it('refuses a window that ends before it starts, or spans more than five years, naming `to`', async () => {
    for (const window of [
      { from: '2026-11-15T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      { from: '0001-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' },
    ]) {
      const live = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(window);
      expect(live.status).toBe(400);
      expect(Object.keys(live.body.errors)).toEqual(['to']);
      const replay = await t.as(org.salesHead.token).post(`/api/agreements/${quota}/replay`).query(window);
      expect(replay.status).toBe(400);
      expect(Object.keys(replay.body.errors)).toEqual(['to']);
    }
    const fiveYears = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query({ from: '2022-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(fiveYears.status).toBe(200);
  });

  it('replays a draft with other targets on the same events before anyone signs it, writing nothing', async () => {
    const dataSource = t.app.get(DataSource);
    const counts = async () => dataSource.query('SELECT (SELECT COUNT(*) FROM clocks) AS clocks, (SELECT COUNT(*) FROM breaches) AS breaches');
    const lenient = hotLeads(org, '').response;
    lenient.targets[0] = { when: { score: 'hot' }, within: 'PT3H' };
    const draft = await t.as(org.marketingHead.token).patch(`/api/agreements/${hot}`).send({ response: lenient });
    expect(draft.body.pending).toMatchObject({ number: 2, status: 'draft' });
    const before = await counts();

    const replay = await t.as(org.marketingHead.token).post(`/api/agreements/${hot}/replay`).query(NOVEMBER_FIRST_HALF);
    expect(replay.body).toMatchObject({ replay: true, version: 2, met: 6, breached: 1 });
    expect(replay.body.targets[0]).toMatchObject({ name: 'hot', met: 4, breached: 1 });
    expect(await counts()).toEqual(before);
  });

  it('meets one month, misses the next, paces the running one, and a late count turns the miss into met', async () => {
    const mql = (n: number, day: string, region = 'EU') =>
      Array.from({ length: n }, (_, i) => crmEvent('lead.mql', `M-${day}-${region}-${i}`, `${day}T10:00:00+01:00`, { region }));
    const send = async (instant: string, events: object[]) => {
      t.clock.set(instant);
      const sent = await t.as(org.marketingMember.token).post('/api/events').send(events);
      expect(sent.body.accepted).toBe(events.length);
    };
    const periods = async (from: string, to: string) =>
      (await t.as(org.marketingHead.token).get(`/api/agreements/${quota}/compliance`).query({ from, to })).body;

    await send('2026-10-20T10:00:00Z', [...mql(120, '2026-10-05'), ...mql(80, '2026-10-19'), ...mql(30, '2026-10-19', 'US')]);
    await send('2026-11-20T10:00:00Z', mql(150, '2026-11-16'));

    const running = await periods('2026-11-01T00:00:00+01:00', '2026-12-01T00:00:00+01:00');
    expect(running.periods).toEqual([expect.objectContaining({ label: '2026-11', count: 150, minimum: 200, status: 'open' })]);
    // November has 21 working days of 9 h (189 h); by 20 November 11:00 Paris 128 h are gone: 150 × 189 / 128 = 221.
    expect(running.periods[0]).toMatchObject({ projected: 221, onTrack: true, pace: 'at this pace: 221 of 200' });

    t.clock.set('2026-12-01T00:00:30+01:00');
    const sweep = await t.as().post('/api/admin/sweep');
    expect(sweep.body).toMatchObject({ periodsClosed: 2, periodsMissed: 1 });
    const closed = await periods('2026-10-01T00:00:00+02:00', '2026-12-01T00:00:00+01:00');
    expect(closed.periods.map((p: { label: string; count: number; status: string }) => [p.label, p.count, p.status])).toEqual([
      ['2026-10', 200, 'met'],
      ['2026-11', 150, 'missed'],
    ]);
    expect(closed).toMatchObject({ kind: 'quota', met: 1, breached: 1, metPercent: 50 });
    const breaches = await t.as().get(`/api/breaches?agreementId=${quota}`);
    expect(breaches.body.items).toEqual([
      expect.objectContaining({ kind: 'quota', departmentId: org.marketing.id, shortfall: 50, dueAt: '2026-11-30T23:00:00.000Z' }),
    ]);

    const replay = await t.as(org.marketingHead.token).post(`/api/agreements/${quota}/replay`).query({ from: '2026-10-01T00:00:00+02:00', to: '2026-12-01T00:00:00+01:00' });
    expect(replay.body.periods.map((p: { label: string; count: number; status: string }) => [p.label, p.count, p.status])).toEqual([
      ['2026-10', 200, 'met'],
      ['2026-11', 150, 'missed'],
    ]);

    // The CRM re-sends a late export: fifty more qualified leads from 27 November.
    await send('2026-12-01T09:00:00Z', mql(50, '2026-11-27'));
    const corrected = await periods('2026-11-01T00:00:00+01:00', '2026-12-01T00:00:00+01:00');
    expect(corrected.periods[0]).toMatchObject({ count: 200, status: 'met' });
    expect((await t.as().get(`/api/breaches?agreementId=${quota}`)).body.total).toBe(0);
  });
});

describe('replays of filters that look at attributes', () => {
    it('replays to the live figures when stop, pause and cancel look at attributes too (a replay reads only the attributes it needs)', async () => {
      const t = await TestApp.start();
      const org = await seedOrg(t);
      const calendarId = await createCalendar(t);
      t.clock.set('2026-10-01T07:00:00Z');
      const picky = await signAgreement(t, org, {
        ...hotLeads(org, calendarId),
        name: 'Hot leads are phoned fast',
        response: {
          startOn: { type: 'lead.handed_over' },
          stopOn: { type: 'lead.contacted', when: { channel: 'phone' } },
          pauseOn: { type: 'lead.on_hold', when: { reason: 'customer' } },
          resumeOn: { type: 'lead.resumed' },
          cancelOn: { type: 'lead.disqualified', when: { reason: ['spam', 'duplicate'] } },
          targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { within: 'PT4H' }],
          goalPercent: 90,
        },
      });
      t.clock.set('2026-11-30T12:00:00Z');
      const events = [
        crmEvent('lead.handed_over', 'P-1', '2026-11-03T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.contacted', 'P-1', '2026-11-03T09:10:00+01:00', { channel: 'email' }), // not a stop
        crmEvent('lead.contacted', 'P-1', '2026-11-03T11:00:00+01:00', { channel: 'phone' }), // 2 h: breached
        crmEvent('lead.handed_over', 'P-2', '2026-11-04T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.on_hold', 'P-2', '2026-11-04T09:10:00+01:00', { reason: 'customer' }), // paused
        crmEvent('lead.resumed', 'P-2', '2026-11-04T15:00:00+01:00'),
        crmEvent('lead.contacted', 'P-2', '2026-11-04T15:30:00+01:00', { channel: 'phone' }), // 40 min on the clock: met
        crmEvent('lead.handed_over', 'P-3', '2026-11-05T09:00:00+01:00', { score: 'hot' }),
        crmEvent('lead.on_hold', 'P-3', '2026-11-05T09:10:00+01:00', { reason: 'internal' }), // not a pause
        crmEvent('lead.contacted', 'P-3', '2026-11-05T12:00:00+01:00', { channel: 'phone' }), // 3 h: breached
        crmEvent('lead.handed_over', 'P-4', '2026-11-06T09:00:00+01:00', { score: 'warm' }),
        crmEvent('lead.disqualified', 'P-4', '2026-11-06T09:30:00+01:00', { reason: 'spam' }), // cancelled
        crmEvent('lead.handed_over', 'P-5', '2026-11-06T10:00:00+01:00', { score: 'warm' }),
        crmEvent('lead.disqualified', 'P-5', '2026-11-06T10:30:00+01:00', { reason: 'budget' }), // not a cancel
        crmEvent('lead.contacted', 'P-5', '2026-11-06T11:00:00+01:00', { channel: 'phone' }), // 1 h of 4: met
      ];
      expect((await t.as(org.marketingMember.token).post('/api/events').send(events)).body.accepted).toBe(events.length);
      const live = await t.as(org.salesHead.token).get(`/api/agreements/${picky}/compliance`).query(NOVEMBER_FIRST_HALF);
      expect(live.body).toMatchObject({ total: 5, met: 2, breached: 2, cancelled: 1 });
      const replay = await t.as(org.salesHead.token).post(`/api/agreements/${picky}/replay`).query({ ...NOVEMBER_FIRST_HALF, version: 1 });
      expect(replay.status).toBe(200);
      expect({ ...replay.body, replay: false }).toEqual(live.body);
      await t.close();
    });
});
