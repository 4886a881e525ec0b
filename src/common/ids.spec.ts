import { validate, version } from 'uuid';
import { newId } from './ids.js';

describe('newId', () => {
  it('makes valid, distinct UUIDs of version 7 that sort in the order they were made, across many draws of random bytes', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids.slice(0, 300)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect('89ab').toContain(id[19]);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Thousands within one millisecond: the counter keeps them in order.
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(after + 1);
  });

  it('does not repeat the random part of a millisecond: ids made at once differ beyond the counter', () => {
    const tails = new Set(Array.from({ length: 2000 }, () => newId().slice(-12)));
    expect(tails.size).toBe(2000);
  });
});
