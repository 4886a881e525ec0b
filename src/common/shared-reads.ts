import DataLoader from 'dataloader';

/**
 * Reads that callers asking at the same time share, never older than their asking. A read is
 * sent for the keys gathered since the last one went out, and only once the last one is back:
 * while one read is out, callers gather for the next, so under load one statement answers many
 * requests, while a caller alone waits a turn of the event loop at most. A caller never joins a
 * read already sent, so what it gets was read after it asked: whatever was committed before it
 * asked is in its answer (a token revoked, an agreement approved), as if it had read alone.
 *
 * Built on DataLoader (batching by key, a rejected read failing every caller that shared it) with
 * its cache off and batches dispatched one at a time by the scheduler below. `read` answers the
 * keys in their order (an Error for a key fails that caller alone); keys may repeat.
 */
export function sharedReads<K, V>(read: (keys: readonly K[]) => Promise<readonly (V | Error)[]>, maxKeys = 500): DataLoader<K, V> {
  const gathered: (() => void)[] = [];
  let out = false;
  const sendNext = () => {
    // A dispatch that sends nothing (no keys) leaves `out` false: go on to the next.
    while (!out && gathered.length > 0) (gathered.shift() as () => void)();
  };
  return new DataLoader<K, V>(
    async (keys) => {
      out = true;
      try {
        return await read(keys);
      } finally {
        out = false;
        sendNext();
      }
    },
    {
      cache: false,
      maxBatchSize: maxKeys,
      batchScheduleFn: (dispatch) => {
        gathered.push(dispatch);
        // Nothing out: send after this turn's callers have joined. Something out: its end sends this.
        if (!out && gathered.length === 1) setImmediate(sendNext);
      },
    },
  );
}

/**
 * One value that callers asking at the same time share (a sharedReads of no key): `read` runs
 * through the first caller's handle (callers pass equivalent ones, e.g. managers of one data
 * source outside any transaction) and every caller of that read gets its answer.
 */
export function sharedRead<H, V>(read: (handle: H) => Promise<V>): { load(handle: H): Promise<V> } {
  return sharedReads<H, V>(async (handles) => {
    const value = await read(handles[0]);
    return handles.map(() => value);
  });
}
