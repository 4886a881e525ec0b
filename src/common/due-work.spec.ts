import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ManualClock } from './clock.js';
import { DueWork, type DueWorkPhase } from './due-work.js';

describe('DueWork', () => {
  let logged: jest.SpiedFunction<Logger['error']>;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    logged.mockRestore();
  });

  function job(name: string, phase: DueWorkPhase, run: (now: Date) => Promise<Record<string, number>>, counts: string[] = []) {
    return { name, phase, counts, run };
  }

  it('runs a round phase by phase, whatever order the features registered in, at one instant', async () => {
    const clock = new ManualClock('2026-10-19T06:00:00Z');
    const work = new DueWork(clock);
    const seen: string[] = [];
    work.register(
      job('reminders', 'reminders', async (now) => {
        seen.push(`reminders ${now.toISOString()}`);
        return { actionReminders: 1 };
      }, ['actionReminders']),
    );
    work.register(
      job('reports', 'reports', async (now) => {
        seen.push(`reports ${now.toISOString()}`);
        return { reportsQueued: 2 };
      }, ['reportsQueued']),
    );
    work.register(
      job('sweep', 'facts', async (now) => {
        seen.push(`facts ${now.toISOString()}`);
        clock.advance(5_000); // a slow sweep: the later jobs still see the round's instant
        return { breached: 3, warned: 0 };
      }, ['breached', 'warned']),
    );

    const counts = await work.runDue();

    expect(seen).toEqual(['facts 2026-10-19T06:00:00.000Z', 'reports 2026-10-19T06:00:00.000Z', 'reminders 2026-10-19T06:00:00.000Z']);
    expect(Object.entries(counts)).toEqual([
      ['breached', 3],
      ['warned', 0],
      ['reportsQueued', 2],
      ['actionReminders', 1],
    ]);
  });

  it('keeps registration order within a phase, and runs the rest of the round past a failing job, logging it by name', async () => {
    const work = new DueWork(new ManualClock());
    const ran: string[] = [];
    work.register(
      job('meeting series re-planning', 'facts', async () => {
        ran.push('first');
        throw new Error('database away');
      }, ['meetingSeriesReplanned']),
    );
    work.register(
      job('second', 'facts', async () => {
        ran.push('second');
        return { breached: 1 };
      }, ['breached']),
    );
    work.register(
      job('reports', 'reports', async () => {
        ran.push('reports');
        return { reportsQueued: 0 };
      }, ['reportsQueued']),
    );

    // The failed job's counts are absent: a zero would claim the work was done and found nothing.
    expect(await work.runDue()).toEqual({ breached: 1, reportsQueued: 0 });
    expect(ran).toEqual(['first', 'second', 'reports']);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0][0]).toMatch(/due work "meeting series re-planning" failed/);
    expect(String(logged.mock.calls[0][1])).toMatch(/database away/);
  });

  it('refuses at registration a count or a name another job already has', () => {
    const work = new DueWork(new ManualClock());
    work.register(job('tracking sweep', 'facts', async () => ({ breached: 0 }), ['breached', 'warned']));
    expect(() => work.register(job('alerts', 'reminders', async () => ({ warned: 1 }), ['warned']))).toThrow(
      'due-work job "alerts" answers count "warned", which "tracking sweep" already answers',
    );
    expect(() => work.register(job('twice', 'reports', async () => ({}), ['sent', 'sent']))).toThrow('due-work job "twice" answers count "sent", which "twice" already answers');
    expect(() => work.register(job('tracking sweep', 'reports', async () => ({}), ['other']))).toThrow('a due-work job named "tracking sweep" is already registered');
  });

  it('leaves out, and logs, a count a job answers without having registered it', async () => {
    const work = new DueWork(new ManualClock());
    work.register(job('reports', 'reports', async () => ({ reportsQueued: 2, stray: 1 }), ['reportsQueued']));
    expect(await work.runDue()).toEqual({ reportsQueued: 2 });
    expect(logged.mock.calls[0][0]).toMatch(/"reports" answered count "stray" it did not register/);
  });

  it('answers nothing when nothing is registered', async () => {
    expect(await new DueWork(new ManualClock()).runDue()).toEqual({});
  });
});
