import { createHash } from 'node:crypto';
import { hashedRowKey } from './funnel-rollup.repository.js';

describe('hashedRowKey', () => {
  const sha = (parts: readonly (string | null)[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

  it('is the SHA-256 of the parts as JSON, whether worked out or remembered', () => {
    const parts = ['source', 'trade-show', 'stage-1', 'reason', 'price', null];
    expect(hashedRowKey(parts)).toBe(sha(parts));
    expect(hashedRowKey([...parts])).toBe(sha(parts));
  });

  it('tells parts apart that would read the same joined (a null is not the text "null")', () => {
    expect(hashedRowKey(['a', null])).not.toBe(hashedRowKey(['a', 'null']));
    expect(hashedRowKey(['a', 'b\u0000c'])).not.toBe(hashedRowKey(['a\u0000b', 'c']));
  });

  it('stays right after more keys than it keeps', () => {
    for (let i = 0; i < 20_050; i++) hashedRowKey(['value', String(i)]);
    for (const i of [0, 19_999, 20_049]) expect(hashedRowKey(['value', String(i)])).toBe(sha(['value', String(i)]));
  });
});
