import { refuseBody } from './no-body.js';
import { InvalidInputError } from './errors.js';

function errorsOf(body: unknown): Record<string, string[]> | null {
  try {
    refuseBody(body);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).fields as Record<string, string[]>;
  }
}

describe('an action that takes no body', () => {
  it('accepts nothing, or an empty object', () => {
    for (const body of [undefined, null, '', {}]) expect(errorsOf(body)).toBeNull();
  });

  it('names every field it was sent, prototype names included', () => {
    expect(errorsOf({ comment: 'ok', force: true })).toEqual({ comment: ['comment is not a known field'], force: ['force is not a known field'] });
    const hostile = JSON.parse('{"__proto__": {"admin": true}, "constructor": 1}') as object;
    expect(Object.keys(errorsOf(hostile) ?? {})).toEqual(['__proto__', 'constructor']);
  });

  it('refuses a list or a bare value as the body', () => {
    expect(errorsOf([1])).toEqual({ body: ['this action takes no body'] });
    expect(errorsOf([])).toEqual({ body: ['this action takes no body'] });
    expect(errorsOf('text')).toEqual({ body: ['this action takes no body'] });
  });
});
