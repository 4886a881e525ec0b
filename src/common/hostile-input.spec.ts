import { findInputProblem, MAX_INPUT_DEPTH, textProblem } from './hostile-input.js';

describe('textProblem', () => {
  it('accepts ordinary text, emoji (surrogate pairs) and every other control character', () => {
    expect(textProblem('Łódź — Żaneta 😀 \t\n')).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL character/],
    ['a lone high surrogate', 'a\uD800b', /lone UTF-16 surrogate/],
    ['a lone low surrogate', '\uDC00', /lone UTF-16 surrogate/],
    ['a high surrogate at the end', 'x\uD83D', /lone UTF-16 surrogate/],
    ['two high surrogates', '\uD83D\uD83D\uDE00', /lone UTF-16 surrogate/],
  ])('refuses %s', (_what, text, why) => {
    expect(textProblem(text)).toMatch(why);
  });
});

describe('findInputProblem', () => {
  it('names the path of the first faulty text, as the errors of a 400 name fields', () => {
    expect(findInputProblem({ hours: { mon: [['09:00', '18:00\u0000']] } })).toEqual({ path: 'hours.mon[0][1]', message: expect.stringMatching(/NUL/) });
    expect(findInputProblem([{ ok: 1 }, { note: '\uD800' }])).toEqual({ path: '[1].note', message: expect.stringMatching(/surrogate/) });
    expect(findInputProblem('x\u0000', 'id')).toEqual({ path: 'id', message: expect.stringMatching(/NUL/) });
    expect(findInputProblem('x\u0000')).toEqual({ path: 'body', message: expect.stringMatching(/NUL/) });
  });

  it('refuses keys holding NUL or named __proto__, and accepts constructor and toString', () => {
    expect(findInputProblem(JSON.parse('{"attributes":{"__proto__":{"x":1}}}'))).toEqual({ path: 'attributes.__proto__', message: 'is not accepted as a field name' });
    expect(findInputProblem({ ['a\u0000b']: 1 })).toEqual({ path: 'a\\u0000b', message: expect.stringMatching(/^the field name must not contain a NUL/) });
    expect(findInputProblem({ constructor: 'x', toString: 1, hasOwnProperty: null, valueOf: {} })).toBeUndefined();
  });

  it(`allows ${MAX_INPUT_DEPTH} levels of nesting and refuses one more without overflowing the stack`, () => {
    const nested = (depth: number): unknown => (depth === 1 ? [] : [nested(depth - 1)]);
    expect(findInputProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(findInputProblem(nested(MAX_INPUT_DEPTH + 1))).toEqual({ path: `${'[0]'.repeat(MAX_INPUT_DEPTH)}`, message: expect.stringMatching(/deeper than 32 levels/) });
    expect(findInputProblem(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)))?.message).toMatch(/deeper than 32/);
  });

  it('leaves numbers, booleans and null alone', () => {
    expect(findInputProblem({ a: 1e308, b: -1, c: null, d: true })).toBeUndefined();
  });
});
