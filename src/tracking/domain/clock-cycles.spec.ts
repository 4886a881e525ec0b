import { BusinessCalendar } from '../../calendars/business-time/index.js';
import type { ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import { byOccurrence, computeClocks, type ResponseVersion, type TrackedEvent } from './clock-cycles.js';

const weekdays = [['09:00', '18:00']] as [string, string][];
const paris = BusinessCalendar.compile({
  timezone: 'Europe/Paris',
  hours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
});

const HOT_LEADS: ResponseTerms = {
  startOn: { type: 'lead.handed_over' },
  stopOn: { type: 'lead.contacted' },
  pauseOn: { type: 'lead.on_hold' },
  resumeOn: { type: 'lead.resumed' },
  targets: [
    { when: { score: 'hot' }, within: 'PT1H' },
    { when: { score: 'warm' }, within: 'PT4H' },
    { within: 'P2D' },
  ],
  goalPercent: 95,
  warnAtPercent: 80,
};

function version(id: string, terms: ResponseTerms, activeFrom = 0, activeUntil: number | null = null): ResponseVersion {
  return { id, terms, calendar: paris, calendarVersion: 1, activeFrom, activeUntil };
}

const always = (v: ResponseVersion) => (instant: number) =>
  instant >= v.activeFrom && (v.activeUntil === null || instant < v.activeUntil) ? v : undefined;

let sequence = 0;
function event(type: string, local: string, attributes: Record<string, unknown> = {}): TrackedEvent {
  sequence += 1;
  return { id: `e${String(sequence).padStart(4, '0')}`, type, occurredAt: Date.parse(local), attributes };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const NOW = Date.parse('2026-11-20T12:00:00Z');

describe('computeClocks', () => {
  const v1 = version('v1', HOT_LEADS);

  it('meets a one-hour target for a hot lead handed over Friday 17:30 and called Monday 09:20', () => {
    const [clock] = computeClocks(
      [event('lead.handed_over', '2026-11-06T17:30:00+01:00', { score: 'hot' }), event('lead.contacted', '2026-11-09T09:20:00+01:00')],
      always(v1),
      NOW,
    );
    expect(clock).toMatchObject({
      state: 'stopped',
      outcome: 'met',
      targetName: 'hot',
      targetSeconds: 3600,
      elapsedSeconds: 50 * 60,
      breachedAt: null,
    });
    expect(iso(clock.dueAt)).toBe('2026-11-09T08:30:00.000Z');
    expect(iso(clock.warnAt)).toBe('2026-11-09T08:18:00.000Z');
  });

  it('breaches it when the call comes at 10:45, recording when it fell due', () => {
    const [clock] = computeClocks(
      [event('lead.handed_over', '2026-11-06T17:30:00+01:00', { score: 'hot' }), event('lead.contacted', '2026-11-09T10:45:00+01:00')],
      always(v1),
      NOW,
    );
    expect(clock).toMatchObject({ outcome: 'breached', elapsedSeconds: (30 + 105) * 60 });
    expect(iso(clock.breachedAt)).toBe('2026-11-09T08:30:00.000Z');
  });

  it('picks the first matching target, and the catch-all last', () => {
    const clocks = computeClocks(
      [
        event('lead.handed_over', '2026-11-02T10:00:00+01:00', { score: 'warm' }),
        event('lead.contacted', '2026-11-02T11:00:00+01:00'),
        event('lead.handed_over', '2026-11-03T10:00:00+01:00', { score: 'cold' }),
      ],
      always(v1),
      NOW,
    );
    expect(clocks.map((c) => [c.cycle, c.targetName, c.targetSeconds])).toEqual([
      [1, 'warm', 4 * 3600],
      [2, 'default', 2 * 9 * 3600],
    ]);
  });

  it('does not count time on hold', () => {
    const [clock] = computeClocks(
      [
        event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' }),
        event('lead.on_hold', '2026-11-02T09:30:00+01:00'),
        event('lead.resumed', '2026-11-02T14:00:00+01:00'),
        event('lead.contacted', '2026-11-02T14:20:00+01:00'),
      ],
      always(v1),
      NOW,
    );
    expect(clock).toMatchObject({ outcome: 'met', elapsedSeconds: 50 * 60, pausedSeconds: 4.5 * 3600 });
    expect(clock.steps.map((s) => s.action)).toEqual(['start', 'pause', 'resume', 'stop']);
    expect(iso(clock.dueAt)).toBe('2026-11-02T13:30:00.000Z');
  });

  it('has no due time while paused, and one again after resuming', () => {
    const events = [
      event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' }),
      event('lead.on_hold', '2026-11-02T09:30:00+01:00'),
    ];
    const [paused] = computeClocks(events, always(v1), Date.parse('2026-11-02T12:00:00+01:00'));
    expect(paused).toMatchObject({ state: 'paused', outcome: 'pending', dueAt: null, elapsedSeconds: 1800 });
    const [resumed] = computeClocks([...events, event('lead.resumed', '2026-11-02T15:00:00+01:00')], always(v1), Date.parse('2026-11-02T15:10:00+01:00'));
    expect(resumed).toMatchObject({ state: 'running', outcome: 'pending' });
    expect(iso(resumed.dueAt)).toBe('2026-11-02T14:30:00.000Z');
  });

  it('counts a running clock past its due time as breached', () => {
    const [clock] = computeClocks([event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' })], always(v1), Date.parse('2026-11-02T10:00:01+01:00'));
    expect(clock).toMatchObject({ state: 'running', outcome: 'breached' });
    expect(iso(clock.breachedAt)).toBe('2026-11-02T09:00:00.000Z');
  });

  it('starts a new cycle after a stop, and ignores a second start while running', () => {
    const clocks = computeClocks(
      [
        event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' }),
        event('lead.handed_over', '2026-11-02T09:10:00+01:00', { score: 'warm' }),
        event('lead.contacted', '2026-11-02T09:30:00+01:00'),
        event('lead.handed_over', '2026-11-10T09:00:00+01:00', { score: 'warm' }),
      ],
      always(v1),
      NOW,
    );
    expect(clocks.map((c) => [c.cycle, c.targetName, c.state])).toEqual([
      [1, 'hot', 'stopped'],
      [2, 'warm', 'running'],
    ]);
  });

  it('ignores starts that match no target, and events of other types', () => {
    const strict = version('strict', { ...HOT_LEADS, targets: [{ when: { score: ['hot', 'warm'] }, within: 'PT1H' }] });
    const clocks = computeClocks(
      [event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'cold' }), event('deal.won', '2026-11-02T09:05:00+01:00')],
      always(strict),
      NOW,
    );
    expect(clocks).toEqual([]);
  });

  it('reads the attributes of a start only, not of the stops, pauses and resumes its filters do not look into', () => {
    const read: string[] = [];
    const watched = (type: string, local: string, attributes: Record<string, unknown> = {}): TrackedEvent => {
      const { id, occurredAt } = event(type, local, attributes);
      return {
        id,
        type,
        occurredAt,
        get attributes() {
          read.push(type);
          return attributes;
        },
      };
    };
    const clocks = computeClocks(
      [
        watched('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' }),
        watched('lead.on_hold', '2026-11-02T09:10:00+01:00'),
        watched('lead.resumed', '2026-11-02T09:20:00+01:00'),
        watched('lead.contacted', '2026-11-02T09:30:00+01:00'),
      ],
      always(version('v1', HOT_LEADS)),
      NOW,
      { figuresOnly: true },
    );
    expect(clocks.map((clock) => clock.outcome)).toEqual(['met']);
    // The start is read by its filter's targets; nothing else has a `when`.
    expect(read.every((type) => type === 'lead.handed_over')).toBe(true);
  });

  it('pins each clock to the version in force when it started', () => {
    const switchAt = Date.parse('2026-11-04T00:00:00Z');
    const first = version('v1', HOT_LEADS, 0, switchAt);
    const second = version('v2', { ...HOT_LEADS, targets: [{ when: { score: 'hot' }, within: 'PT30M' }, { within: 'P1D' }] }, switchAt);
    const versionAt = (instant: number) => (instant < switchAt ? first : second);
    const clocks = computeClocks(
      [
        event('lead.handed_over', '2026-11-03T17:50:00+01:00', { score: 'hot' }),
        event('lead.contacted', '2026-11-04T09:40:00+01:00'),
        event('lead.handed_over', '2026-11-04T10:00:00+01:00', { score: 'hot' }),
        event('lead.contacted', '2026-11-04T10:40:00+01:00'),
      ],
      versionAt,
      NOW,
    );
    expect(clocks.map((c) => [c.versionId, c.targetSeconds, c.outcome])).toEqual([
      ['v1', 3600, 'met'],
      ['v2', 1800, 'breached'],
    ]);
  });

  it('starts nothing before the agreement came into force', () => {
    const later = version('v1', HOT_LEADS, Date.parse('2026-11-05T00:00:00Z'));
    expect(computeClocks([event('lead.handed_over', '2026-11-04T09:00:00+01:00', { score: 'hot' })], always(later), NOW)).toEqual([]);
  });

  it('is corrected by a late event, whatever order events arrived in', () => {
    const handedOver = event('lead.handed_over', '2026-11-02T09:00:00+01:00', { score: 'hot' });
    const contacted = event('lead.contacted', '2026-11-02T09:40:00+01:00');
    const [before] = computeClocks([handedOver], always(v1), NOW);
    expect(before.outcome).toBe('breached');
    const [after] = computeClocks([contacted, handedOver].sort(byOccurrence), always(v1), NOW);
    expect(after).toMatchObject({ outcome: 'met', startEventId: handedOver.id });
  });
});

describe('computeClocks with cancelOn', () => {
  const v1 = version('v1', { ...HOT_LEADS, cancelOn: { type: 'lead.disqualified' } });
  const hot = (local: string) => event('lead.handed_over', local, { score: 'hot' });
  const disqualified = (local: string) => event('lead.disqualified', local);
  // Long after every due time below: a clock still open then would count as breached.
  const later = Date.parse('2026-11-20T12:00:00Z');
  const clocksOf = (...events: TrackedEvent[]) => computeClocks(events, always(v1), later);

  it('abandons a running clock before it falls due: neither met nor breached, nothing left due', () => {
    const [clock] = clocksOf(hot('2026-11-02T09:00:00+01:00'), disqualified('2026-11-02T09:30:00+01:00'));
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'cancelled', dueAt: null, warnAt: null, breachedAt: null, elapsedSeconds: 1800 });
    expect(iso(clock.stoppedAt)).toBe('2026-11-02T08:30:00.000Z');
    expect(clock.steps.map((s) => [s.action, s.eventType])).toEqual([
      ['start', 'lead.handed_over'],
      ['cancel', 'lead.disqualified'],
    ]);
  });

  it('abandons a paused clock, its time on hold not counted', () => {
    const [clock] = clocksOf(hot('2026-11-02T09:00:00+01:00'), event('lead.on_hold', '2026-11-02T09:30:00+01:00'), disqualified('2026-11-02T14:00:00+01:00'));
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'cancelled', dueAt: null, elapsedSeconds: 1800, pausedSeconds: 4.5 * 3600 });
    expect(clock.steps.map((s) => s.action)).toEqual(['start', 'pause', 'cancel']);
  });

  it('keeps a clock cancelled after its due time breached, late up to the cancel', () => {
    const [clock] = clocksOf(hot('2026-11-02T09:00:00+01:00'), disqualified('2026-11-02T10:30:00+01:00'));
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'breached', elapsedSeconds: 90 * 60 });
    expect(iso(clock.dueAt)).toBe('2026-11-02T09:00:00.000Z');
    expect(iso(clock.breachedAt)).toBe('2026-11-02T09:00:00.000Z');
  });

  it('keeps it breached when it was put on hold after its due time, then cancelled', () => {
    const [clock] = clocksOf(hot('2026-11-02T09:00:00+01:00'), event('lead.on_hold', '2026-11-02T10:10:00+01:00'), disqualified('2026-11-02T15:00:00+01:00'));
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'breached', elapsedSeconds: 70 * 60 });
    expect(iso(clock.breachedAt)).toBe('2026-11-02T09:00:00.000Z');
  });

  it('lets pauses push the due time past the cancel', () => {
    const [clock] = clocksOf(
      hot('2026-11-02T09:00:00+01:00'),
      event('lead.on_hold', '2026-11-02T09:30:00+01:00'),
      event('lead.resumed', '2026-11-02T14:00:00+01:00'),
      disqualified('2026-11-02T14:20:00+01:00'),
    );
    expect(clock).toMatchObject({ state: 'cancelled', outcome: 'cancelled', dueAt: null, elapsedSeconds: 50 * 60 });
  });

  it('compares the due instant with the cancel: at the due time is in time, after the close of a day that ended due is late', () => {
    const [onTime] = clocksOf(hot('2026-11-02T09:00:00+01:00'), disqualified('2026-11-02T10:00:00+01:00'));
    expect(onTime).toMatchObject({ state: 'cancelled', outcome: 'cancelled', dueAt: null });
    // Due at 18:00, the close: the sweep reported it then, so a cancel in the evening does not undo it.
    const [evening] = clocksOf(hot('2026-11-02T17:00:00+01:00'), disqualified('2026-11-02T19:00:00+01:00'));
    expect(evening).toMatchObject({ state: 'cancelled', outcome: 'breached', elapsedSeconds: 3600 });
    expect(iso(evening.breachedAt)).toBe('2026-11-02T17:00:00.000Z');
  });

  it('starts a new cycle after a cancel, and ignores a cancel while nothing runs', () => {
    const clocks = computeClocks(
      [
        disqualified('2026-11-02T08:00:00+01:00'),
        hot('2026-11-02T09:00:00+01:00'),
        disqualified('2026-11-02T09:10:00+01:00'),
        disqualified('2026-11-02T09:20:00+01:00'),
        event('lead.handed_over', '2026-11-10T09:00:00+01:00', { score: 'warm' }),
      ],
      always(v1),
      Date.parse('2026-11-10T09:30:00+01:00'),
    );
    expect(clocks.map((c) => [c.cycle, c.targetName, c.state, c.outcome])).toEqual([
      [1, 'hot', 'cancelled', 'cancelled'],
      [2, 'warm', 'running', 'pending'],
    ]);
  });

  it('stops rather than cancels on an event that matches both', () => {
    const closing = version('closing', { ...HOT_LEADS, stopOn: { type: 'lead.closed', when: { reason: 'won' } }, cancelOn: { type: 'lead.closed' } });
    const clocks = computeClocks(
      [
        hot('2026-11-02T09:00:00+01:00'),
        event('lead.closed', '2026-11-02T09:20:00+01:00', { reason: 'won' }),
        hot('2026-11-03T09:00:00+01:00'),
        event('lead.closed', '2026-11-03T09:20:00+01:00', { reason: 'lost' }),
      ],
      always(closing),
      later,
    );
    expect(clocks.map((c) => [c.state, c.outcome])).toEqual([
      ['stopped', 'met'],
      ['cancelled', 'cancelled'],
    ]);
  });

  it('cancels nothing under a version without cancelOn', () => {
    const [clock] = computeClocks([hot('2026-11-02T09:00:00+01:00'), disqualified('2026-11-02T09:30:00+01:00')], always(version('plain', HOT_LEADS)), later);
    expect(clock).toMatchObject({ state: 'running', outcome: 'breached' });
  });
});
