import { quorumMet, type QuorumInput } from './quorum.js';

function input(attendance: [string, 'present' | 'absent' | 'excused' | 'delegate', string?][], rule: QuorumInput['rule'] = 'heads'): QuorumInput {
  return {
    rule,
    heads: ['maelle', 'samir'],
    required: ['maelle', 'samir', 'sofia'],
    delegates: new Map([['maelle', 'marc']]),
    attendance: new Map(attendance.map(([person, status, delegateFor]) => [person, { status, delegateFor: delegateFor ?? null }])),
  };
}

describe('quorum', () => {
  it('needs the head of each department', () => {
    expect(quorumMet(input([['maelle', 'present'], ['samir', 'present']]))).toBe(true);
    expect(quorumMet(input([['maelle', 'present'], ['samir', 'excused']]))).toBe(false);
  });

  it("accepts a head's named delegate, and nobody else for them", () => {
    expect(quorumMet(input([['marc', 'delegate', 'maelle'], ['samir', 'present']]))).toBe(true);
    expect(quorumMet(input([['sofia', 'delegate', 'maelle'], ['samir', 'present']]))).toBe(false);
  });

  it('can require every required participant', () => {
    expect(quorumMet(input([['maelle', 'present'], ['samir', 'present']], 'all-required'))).toBe(false);
    expect(quorumMet(input([['maelle', 'present'], ['samir', 'present'], ['sofia', 'present']], 'all-required'))).toBe(true);
  });

  it('counts a required participant standing in for someone as there for their own seat too', () => {
    // Sofia, required, stands in for Samir: Samir is represented and Sofia is in the room.
    expect(quorumMet({ ...input([['maelle', 'present'], ['sofia', 'delegate', 'samir']], 'all-required'), delegates: new Map() })).toBe(true);
  });

  it('is never met when a department has no head', () => {
    expect(quorumMet({ ...input([['maelle', 'present']]), heads: ['maelle', null] })).toBe(false);
  });
});
