import { ManualClock } from './clock.js';
import { DueWork } from './due-work.js';

describe('DueWork', () => {
  it('runs a round phase by phase, whatever order the features registered in, at one instant', async () => {
    const clock = new ManualClock('2026-10-19T06:00:00Z');
    const work = new DueWork(clock);
    const seen: string[] = [];
    work.register('reminders', async (now) => {
      seen.push(`reminders ${now.toISOString()}`);
      return { actionReminders: 1 };
    });
    work.register('reports', async (now) => {
      seen.push(`reports ${now.toISOString()}`);
      return { reportsQueued: 2 };
    });
    work.register('facts', async (now) => {
      seen.push(`facts ${now.toISOString()}`);
      clock.advance(5_000); // a slow sweep: the later jobs still see the round's instant
      return { breached: 3, warned: 0 };
    });

    const counts = await work.runDue();

    expect(seen).toEqual(['facts 2026-10-19T06:00:00.000Z', 'reports 2026-10-19T06:00:00.000Z', 'reminders 2026-10-19T06:00:00.000Z']);
    expect(Object.entries(counts)).toEqual([
      ['breached', 3],
      ['warned', 0],
      ['reportsQueued', 2],
      ['actionReminders', 1],
    ]);
  });

  it('keeps registration order within a phase, and stops the round at a failing job', async () => {
    const work = new DueWork(new ManualClock());
    const ran: string[] = [];
    work.register('reports', async () => {
      ran.push('first');
      throw new Error('database away');
    });
    work.register('reports', async () => {
      ran.push('second');
      return {};
    });
    await expect(work.runDue()).rejects.toThrow('database away');
    expect(ran).toEqual(['first']);
  });

  it('answers nothing when nothing is registered', async () => {
    expect(await new DueWork(new ManualClock()).runDue()).toEqual({});
  });
});
