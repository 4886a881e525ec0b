import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ComplianceService } from '../../src/tracking/compliance.service.js';
import { RollupsService } from '../../src/tracking/rollups.service.js';
import { createCalendar, crmEvent, hotLeads, PARIS_OFFICE, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { rollupSnapshot } from '../support/rollup-snapshot.js';
import { TestApp } from '../support/test-app.js';
import { sendEvents, sweepAt } from '../support/tracking-fixture.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Leads are handed over from Monday 2 November 2026 for two weeks (Paris, 09:00 = 08:00 UTC). */
const FIRST_DAY = Date.parse('2026-11-02T08:00:00Z');

type Event = ReturnType<typeof crmEvent> & { at: number };

/** One lead's story: handed over, then called, put on hold, disqualified, or left; maybe a second round. */
const story = fc.record({
  day: fc.nat(11),
  minute: fc.nat(9 * 60 - 1),
  score: fc.constantFrom('hot', 'warm', 'cold', null),
  ending: fc.constantFrom('called', 'called', 'on hold, then called', 'on hold', 'disqualified', 'never called'),
  delayMinutes: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 50, max: 300 }), fc.integer({ min: 300, max: 4 * 24 * 60 })),
  again: fc.boolean(),
});

/** Events of a seeded scenario in the order they happened, and the deliveries that send them, some late. */
function scenario(seed: number): { deliveries: Event[][]; leads: number } {
  const [{ stories, lateness }] = fc.sample(
    fc.record({ stories: fc.array(story, { minLength: 40, maxLength: 60 }), lateness: fc.array(fc.nat(4), { minLength: 400, maxLength: 400 }) }),
    { seed, numRuns: 1 },
  );
  const events: Event[] = [];
  const add = (type: string, subject: string, at: number, attributes: Record<string, unknown> = {}) => events.push({ ...crmEvent(type, subject, new Date(at).toISOString(), attributes), at });
  stories.forEach((s, i) => {
    const subject = `R${seed}-${i}`;
    const start = FIRST_DAY + s.day * DAY + s.minute * MINUTE;
    const delay = s.delayMinutes * MINUTE;
    add('lead.handed_over', subject, start, s.score ? { score: s.score, source: 'webinar' } : { source: 'webinar' });
    if (s.ending === 'called') add('lead.contacted', subject, start + delay);
    if (s.ending === 'on hold, then called' || s.ending === 'on hold') add('lead.on_hold', subject, start + delay / 3);
    if (s.ending === 'on hold, then called') {
      add('lead.resumed', subject, start + delay);
      add('lead.contacted', subject, start + delay + 20 * MINUTE);
    }
    if (s.ending === 'disqualified') add('lead.disqualified', subject, start + delay, { reason: 'student' });
    if (s.again && s.ending === 'called') {
      add('lead.handed_over', subject, start + delay + HOUR, { score: 'hot' });
      add('lead.contacted', subject, start + 2 * delay + HOUR);
    }
  });
  events.sort((a, b) => a.at - b.at);
  // Eight deliveries in time order; about one event in five arrives one to four deliveries late.
  const deliveries: Event[][] = Array.from({ length: 8 }, () => []);
  events.forEach((event, i) => {
    const due = Math.floor((i * deliveries.length) / events.length);
    const late = lateness[i % lateness.length] === 4 ? 1 + (i % 4) : 0;
    deliveries[Math.min(deliveries.length - 1, due + late)].push(event);
  });
  return { deliveries, leads: stories.length };
}

/** Windows a head might ask for: a Paris month and week, odd minutes, the year, and an hour. */
const WINDOWS = [
  { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' },
  { from: '2026-11-02T00:00:00+01:00', to: '2026-11-09T00:00:00+01:00' },
  { from: '2026-11-03T10:17:00Z', to: '2026-11-12T15:43:30Z' },
  { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
  { from: '2026-11-05T09:00:00+01:00', to: '2026-11-05T10:00:00+01:00' },
];

describe.each([14, 1414])('compliance rollups over HTTP, seed %i', (seed) => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let hot: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    t.clock.set('2026-10-01T07:00:00Z');
    hot = await signAgreement(t, org, hotLeads(org, calendarId));
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every window read from the rollups, over HTTP, equals the figures recomputed from every clock. */
  async function expectFiguresOfEveryClock(): Promise<void> {
    const compliance = t.app.get(ComplianceService);
    for (const window of WINDOWS) {
      const read = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(window);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(JSON.parse(JSON.stringify(await compliance.live(hot, window, 'clocks'))));
    }
  }

  async function expectRollupsOfARebuild(): Promise<void> {
    const dataSource = t.app.get(DataSource);
    const kept = await rollupSnapshot(dataSource);
    await t.app.get(RollupsService).rebuild();
    expect(kept).toEqual(await rollupSnapshot(dataSource));
  }

  it('reads the figures of every clock, and keeps the rollups a rebuild makes, through late events, cancels, sweeps and a calendar change', async () => {
    const { deliveries, leads } = scenario(seed);
    let sentUpTo = 0;
    let total = 0;
    for (const [index, delivery] of deliveries.entries()) {
      if (delivery.length === 0) continue;
      sentUpTo = Math.max(sentUpTo, ...delivery.map((event) => event.at));
      t.clock.set(new Date(sentUpTo + ((index * 37) % 120) * MINUTE).toISOString());
      await sendEvents(t, org.marketingMember.token, delivery.map(({ at: _at, ...event }) => event));
      total += delivery.length;
      // Between sweeps clocks fall due unswept: the figures must count them breached already.
      await expectFiguresOfEveryClock();
      if (index % 2 === 1) {
        await sweepAt(t, new Date(sentUpTo + 3 * HOUR).toISOString());
        await expectFiguresOfEveryClock();
      }
      if (index === 3) {
        // The desk opens on Saturday mornings from now on: open clocks get earlier due times.
        const changed = await t.as().patch(`/api/calendars/${calendarId}`).send({ hours: { ...PARIS_OFFICE.hours, sat: [['10:00', '12:00']] } });
        expect(changed.status).toBe(200);
        await t.as().post('/api/admin/sweep');
        await expectFiguresOfEveryClock();
        await expectRollupsOfARebuild();
      }
    }
    expect(total).toBe(deliveries.flat().length);

    await sweepAt(t, '2026-12-01T12:00:00Z');
    const month = await t.as(org.salesHead.token).get(`/api/agreements/${hot}/compliance`).query(WINDOWS[0]);
    // Every lead handed over once or twice; nothing runs on time any more a fortnight later.
    expect(month.body.total).toBeGreaterThanOrEqual(leads);
    expect(month.body.running).toBe(0);
    expect(month.body.met + month.body.breached + month.body.paused + month.body.cancelled).toBe(month.body.total);
    await expectFiguresOfEveryClock();
    await expectRollupsOfARebuild();
  });
});
