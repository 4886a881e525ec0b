import { inParallel } from './in-parallel.js';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('inParallel', () => {
  it('runs at most `limit` items at once, starting the next as one finishes, each item once', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const done = inParallel([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      await gates[item].opened;
    });
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].open();
    gates[4].open();
    await done;
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('finishes every item before throwing the first failure', async () => {
    const finished: number[] = [];
    await expect(
      inParallel([1, 2, 3, 4], 3, async (item) => {
        await settle();
        if (item === 2) throw new Error('two failed');
        finished.push(item);
      }),
    ).rejects.toThrow('two failed');
    expect(finished.sort()).toEqual([1, 3, 4]);
  });

  it('does nothing for no items, and runs one at a time below a limit of 1', async () => {
    await inParallel([], 4, async () => {
      throw new Error('never');
    });
    let running = 0;
    let most = 0;
    await inParallel([1, 2, 3], 0, async () => {
      most = Math.max(most, ++running);
      await settle();
      running -= 1;
    });
    expect(most).toBe(1);
  });
});
