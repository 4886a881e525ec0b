import fc from 'fast-check';
import { sharedRead, sharedReads } from './shared-reads.js';

/** A store whose reads take until `release` is called; each read answers the version at the moment it was SENT. */
function slowStore() {
  let version = 0;
  let out = 0;
  let mostOut = 0;
  const reads: { keys: readonly string[]; sentAt: number; release: () => void }[] = [];
  const loader = sharedReads<string, string>(
    (keys) =>
      new Promise((resolve) => {
        const sentAt = version;
        mostOut = Math.max(mostOut, ++out);
        reads.push({
          keys,
          sentAt,
          release: () => {
            out--;
            resolve(keys.map((key) => `${key}@${sentAt}`));
          },
        });
      }),
  );
  return {
    loader,
    reads,
    get mostOut() {
      return mostOut;
    },
    write: () => version++,
    get version() {
      return version;
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('sharedReads', () => {
  it('answers a caller alone with a read of its own, sent within a turn', async () => {
    const store = slowStore();
    const answer = store.loader.load('a');
    await turn();
    expect(store.reads).toHaveLength(1);
    store.reads[0].release();
    await expect(answer).resolves.toBe('a@0');
  });

  it('lets callers asking while a read is out share the next one, sent after they asked', async () => {
    const store = slowStore();
    const first = store.loader.load('a');
    await turn();
    expect(store.reads).toHaveLength(1);
    // A write commits while the first read is out: callers asking now must see it.
    store.write();
    const later = ['a', 'b', 'a', 'c'].map((key) => store.loader.load(key));
    await turn();
    expect(store.reads).toHaveLength(1); // nothing sent while the first read is out
    store.reads[0].release();
    await expect(first).resolves.toBe('a@0');
    await turn();
    expect(store.reads).toHaveLength(2);
    expect(store.reads[1].keys).toEqual(['a', 'b', 'a', 'c']);
    store.reads[1].release();
    await expect(Promise.all(later)).resolves.toEqual(['a@1', 'b@1', 'a@1', 'c@1']);
  });

  it('fails every caller of a failed read, and the next read is sent as usual', async () => {
    let fail = true;
    let reads = 0;
    const loader = sharedReads<string, number>(async (keys) => {
      reads++;
      if (fail) throw new Error('connection lost');
      return keys.map((key) => key.length);
    });
    const failed = [loader.load('a'), loader.load('bb')];
    await expect(Promise.all(failed)).rejects.toThrow('connection lost');
    await expect(failed[1]).rejects.toThrow('connection lost');
    fail = false;
    await expect(loader.load('ccc')).resolves.toBe(3);
    expect(reads).toBe(2);
  });

  it('fails only the caller whose key is answered with an error', async () => {
    const loader = sharedReads<string, string>(async (keys) => keys.map((key) => (key === 'bad' ? new Error(`no ${key}`) : key.toUpperCase())));
    const [good, bad] = [loader.load('ok'), loader.load('bad')];
    await expect(good).resolves.toBe('OK');
    await expect(bad).rejects.toThrow('no bad');
  });

  it('sends at most maxKeys keys per read, one read at a time', async () => {
    let out = 0;
    let mostOut = 0;
    const sizes: number[] = [];
    const loader = sharedReads<number, number>(async (keys) => {
      out++;
      mostOut = Math.max(mostOut, out);
      sizes.push(keys.length);
      await turn();
      out--;
      return keys.map((key) => key * 2);
    }, 3);
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => loader.load(i)));
    expect(answers).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(sizes).toEqual([3, 3, 1]);
    expect(mostOut).toBe(1);
  });

  it('never answers a caller with a read sent before it asked, whatever the interleaving (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('write' as const), fc.constant('ask' as const), fc.constant('release' as const), fc.constant('turn' as const)), {
          maxLength: 60,
        }),
        async (steps) => {
          const store = slowStore();
          const asked: { versionAtAsk: number; answer: Promise<string> }[] = [];
          let released = 0;
          const releaseOne = () => {
            if (released < store.reads.length) store.reads[released++].release();
          };
          for (const step of steps) {
            if (step === 'write') store.write();
            else if (step === 'ask') asked.push({ versionAtAsk: store.version, answer: store.loader.load(`k${asked.length % 3}`) });
            else if (step === 'release') releaseOne();
            else await turn();
          }
          // Let everything finish: release reads as they are sent until none is left unanswered.
          const answered = Promise.all(asked.map((a) => a.answer));
          let settled = false;
          void answered.then(() => (settled = true));
          for (let i = 0; i < 200 && !settled; i++) {
            releaseOne();
            await turn();
          }
          const answers = await Promise.all(asked.map((a) => a.answer));
          answers.forEach((answer, i) => {
            const readAt = Number(answer.split('@')[1]);
            expect(readAt).toBeGreaterThanOrEqual(asked[i].versionAtAsk);
          });
          // Shared: never more reads than callers, never two out at once.
          expect(store.reads.length).toBeLessThanOrEqual(asked.length);
          expect(store.mostOut).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shares one keyless value among the callers of a read, through the first caller\'s handle', async () => {
    const handles: string[] = [];
    const shared = sharedRead(async (handle: string) => {
      handles.push(handle);
      return `read through ${handle}`;
    });
    await expect(Promise.all([shared.load('first'), shared.load('second')])).resolves.toEqual(['read through first', 'read through first']);
    expect(handles).toEqual(['first']);
  });
});
