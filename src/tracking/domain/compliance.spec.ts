import { complianceOf, type ClockFigures } from './compliance.js';

const clock = (state: ClockFigures['state'], outcome: ClockFigures['outcome'], elapsedSeconds: number, targetName = 'hot'): ClockFigures => ({
  targetName,
  state,
  outcome,
  elapsedSeconds,
});

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
    expect(figures).toMatchObject({ total: 7, met: 2, breached: 2, cancelled: 2, running: 1, paused: 0, metPercent: 50, medianSeconds: 1200, p90Seconds: 6000 });
    expect(figures.targets).toEqual([expect.objectContaining({ name: 'hot', total: 7, met: 2, breached: 2, cancelled: 2, metPercent: 50 })]);
  });

  it('has no met share when every clock was cancelled in time', () => {
    const figures = complianceOf([clock('cancelled', 'cancelled', 60)], 95, ['hot']);
    expect(figures).toMatchObject({ total: 1, cancelled: 1, metPercent: null, goalMet: null, medianSeconds: null });
  });
});
