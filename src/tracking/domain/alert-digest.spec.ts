import { digestGroups, digestKey } from './alert-digest.js';

const alert = (recipientId: string | null, breach: string) => ({ recipientId, breach });
const many = (recipientId: string, count: number) => Array.from({ length: count }, (_, i) => alert(recipientId, `${recipientId}-${i}`));

describe('which alerts are told in a digest', () => {
  it('sends each alert on its own while a recipient gets at most the threshold', () => {
    const alerts = [...many('head', 20), ...many('owner', 3)];
    expect(digestGroups(alerts, 20)).toEqual({ oneByOne: alerts, digests: [] });
  });

  it('puts every alert of a recipient above the threshold in one digest, the others unaffected and in order', () => {
    const head = many('head', 21);
    const owner = many('owner', 2);
    const alerts = [owner[0], ...head.slice(0, 10), owner[1], ...head.slice(10)];
    const { oneByOne, digests } = digestGroups(alerts, 20);
    expect(oneByOne).toEqual(owner);
    expect(digests).toEqual([head]);
  });

  it('makes a digest per recipient above the threshold', () => {
    const { oneByOne, digests } = digestGroups([...many('a', 5), ...many('b', 4), ...many('c', 1)], 3);
    expect(oneByOne).toEqual(many('c', 1));
    expect(digests).toEqual([many('a', 5), many('b', 4)]);
  });

  it('never digests alerts with no known recipient', () => {
    const nobody = Array.from({ length: 30 }, (_, i) => alert(null, `x${i}`));
    expect(digestGroups(nobody, 20)).toEqual({ oneByOne: nobody, digests: [] });
  });

  it('keys a digest by its recipient and its breaches, whatever their order', () => {
    expect(digestKey('p1', ['b2', 'b1'])).toBe(digestKey('p1', ['b1', 'b2']));
    expect(digestKey('p1', ['b1', 'b2'])).not.toBe(digestKey('p2', ['b1', 'b2']));
    expect(digestKey('p1', ['b1', 'b2'])).not.toBe(digestKey('p1', ['b1', 'b3']));
    expect(digestKey('p1', ['b1']).length).toBeLessThanOrEqual(200);
  });
});
