import fc from 'fast-check';
import { BusinessCalendar } from '../../calendars/business-time/index.js';
import type { ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import { computeClocks, type ResponseVersion, type TrackedEvent } from './clock-cycles.js';
import { complianceOf, isBreachedOpen, partOf, type ClockFigures, type ComplianceCounts } from './compliance.js';

const clock = (state: ClockFigures['state'], outcome: ClockFigures['outcome'], elapsedSeconds: number, targetName = 'hot'): ClockFigures => ({
  targetName,
  state,
  outcome,
  elapsedSeconds,
});

const PARTS = ['met', 'breached', 'running', 'paused', 'cancelled'] as const;
const sumOfParts = (counts: ComplianceCounts) => PARTS.reduce((sum, part) => sum + counts[part], 0);

describe('compliance figures', () => {
  it('counts cancelled clocks neither met nor breached, and leaves them out of the times to stop', () => {
    const figures = complianceOf(
      [
        clock('stopped', 'met', 600),
        clock('stopped', 'met', 1200),
        clock('stopped', 'breached', 7200),
        // Abandoned in time: quick or slow, they say nothing of how fast sales answers.
        clock('cancelled', 'cancelled', 60),
        clock('cancelled', 'cancelled', 30_000),
        // Abandoned after the due time: the breach stands.
        clock('cancelled', 'breached', 9000),
        clock('running', 'pending', 100),
        clock('void', 'pending', 5),
      ],
      95,
      ['hot'],
    );
    expect(figures).toMatchObject({ total: 7, met: 2, breached: 2, breachedOpen: 0, cancelled: 2, running: 1, paused: 0, metPercent: 50, medianSeconds: 1200, p90Seconds: 6000 });
    expect(figures.targets).toEqual([expect.objectContaining({ name: 'hot', total: 7, met: 2, breached: 2, cancelled: 2, metPercent: 50 })]);
  });

  it('has no met share when every clock was cancelled in time', () => {
    const figures = complianceOf([clock('cancelled', 'cancelled', 60)], 95, ['hot']);
    expect(figures).toMatchObject({ total: 1, cancelled: 1, metPercent: null, goalMet: null, medianSeconds: null });
  });

  it('counts a clock past due and still open as breached, not running or paused, and as breached-open', () => {
    const figures = complianceOf(
      [
        clock('stopped', 'met', 600, 'hot'),
        clock('stopped', 'breached', 7200, 'hot'), // called late
        clock('running', 'breached', 3600, 'hot'), // nobody called
        clock('paused', 'breached', 3600, 'warm'), // fell due, then put on hold
        clock('paused', 'pending', 600, 'warm'), // on hold in time
        clock('running', 'pending', 60, 'warm'),
      ],
      95,
      ['hot', 'warm'],
    );
    expect(figures).toMatchObject({ total: 6, met: 1, breached: 3, breachedOpen: 2, running: 1, paused: 1, cancelled: 0, metPercent: 25 });
    expect(figures.targets).toEqual([
      expect.objectContaining({ name: 'hot', total: 3, met: 1, breached: 2, breachedOpen: 1, running: 0, paused: 0 }),
      expect.objectContaining({ name: 'warm', total: 3, met: 0, breached: 1, breachedOpen: 1, running: 1, paused: 1 }),
    ]);
    // Only the stopped clocks tell how fast the answer came.
    expect(figures.medianSeconds).toBe(3900);
  });

  it('puts each clock in exactly one part', () => {
    expect(partOf({ state: 'running', outcome: 'pending' })).toBe('running');
    expect(partOf({ state: 'paused', outcome: 'pending' })).toBe('paused');
    expect(partOf({ state: 'running', outcome: 'breached' })).toBe('breached');
    expect(partOf({ state: 'paused', outcome: 'breached' })).toBe('breached');
    expect(partOf({ state: 'cancelled', outcome: 'breached' })).toBe('breached');
    expect(partOf({ state: 'cancelled', outcome: 'cancelled' })).toBe('cancelled');
    expect(isBreachedOpen({ state: 'paused', outcome: 'breached' })).toBe(true);
    expect(isBreachedOpen({ state: 'stopped', outcome: 'breached' })).toBe(false);
    expect(isBreachedOpen({ state: 'cancelled', outcome: 'breached' })).toBe(false);
  });
});

describe('the compliance partition, for any clocks', () => {
  const anyClock = fc.record({
    targetName: fc.constantFrom('hot', 'warm', 'default', 'unknown'),
    state: fc.constantFrom<ClockFigures['state']>('running', 'paused', 'stopped', 'cancelled', 'void'),
    outcome: fc.constantFrom<ClockFigures['outcome']>('pending', 'met', 'breached', 'cancelled'),
    elapsedSeconds: fc.nat({ max: 10 * 86_400 }),
  });

  it('adds up to the total, in all and per target, and breachedOpen is a share of breached', () => {
    fc.assert(
      fc.property(fc.array(anyClock, { maxLength: 60 }), (clocks) => {
        const figures = complianceOf(clocks, 95, ['hot', 'warm', 'default']);
        const counted = clocks.filter((c) => c.state !== 'void');
        expect(figures.total).toBe(counted.length);
        expect(sumOfParts(figures)).toBe(figures.total);
        expect(figures.breachedOpen).toBeLessThanOrEqual(figures.breached);
        for (const part of PARTS) expect(figures[part]).toBe(counted.filter((c) => partOf(c) === part).length);
        for (const target of figures.targets) {
          expect(sumOfParts(target)).toBe(target.total);
          expect(target.breachedOpen).toBeLessThanOrEqual(target.breached);
        }
        for (const key of ['total', 'breachedOpen', ...PARTS] as const) {
          expect(figures.targets.reduce((sum, target) => sum + target[key], 0)).toBe(figures[key]);
        }
      }),
    );
  });

  const weekdays = [['09:00', '18:00']] as [string, string][];
  const calendar = BusinessCalendar.compile({ timezone: 'Europe/Paris', hours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } });
  const terms: ResponseTerms = {
    startOn: { type: 'start' },
    stopOn: { type: 'stop' },
    pauseOn: { type: 'pause' },
    resumeOn: { type: 'resume' },
    cancelOn: { type: 'cancel' },
    targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { within: 'PT4H' }],
    goalPercent: 95,
  };
  const version: ResponseVersion = { id: 'v1', terms, calendar, calendarVersion: 1, activeFrom: 0, activeUntil: null };
  const MONDAY = Date.parse('2026-11-02T08:00:00Z');
  const anyHistory = fc.array(
    fc.record({ type: fc.constantFrom('start', 'stop', 'pause', 'resume', 'cancel'), minutes: fc.nat({ max: 3 * 24 * 60 }), hot: fc.boolean() }),
    { maxLength: 12 },
  );

  it('never counts a clock past its due time as running or paused, whatever the events and the moment', () => {
    fc.assert(
      fc.property(fc.array(anyHistory, { maxLength: 8 }), fc.nat({ max: 4 * 24 * 60 }), (subjects, nowMinutes) => {
        const now = MONDAY + nowMinutes * 60_000;
        const clocks = subjects.flatMap((history, subject) => {
          const events: TrackedEvent[] = history
            .map((e, i) => ({ id: `s${subject}e${String(i).padStart(2, '0')}`, type: e.type, occurredAt: MONDAY + e.minutes * 60_000, attributes: e.hot ? { score: 'hot' } : {} }))
            .sort((a, b) => a.occurredAt - b.occurredAt || a.id.localeCompare(b.id));
          return computeClocks(events, () => version, now, { figuresOnly: true });
        });
        const figures = complianceOf(clocks, 95, ['hot', 'default']);
        expect(sumOfParts(figures)).toBe(clocks.length);
        const open = clocks.filter((c) => c.state === 'running' || c.state === 'paused');
        const overdue = open.filter((c) => c.dueAt !== null && c.dueAt <= now);
        expect(figures.breachedOpen).toBe(overdue.length);
        expect(figures.running + figures.paused).toBe(open.length - overdue.length);
      }),
    );
  });
});
