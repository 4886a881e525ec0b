import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors.js';
import { asRecord, formErrorsOf, statusOf } from './forms.js';

describe('form helpers', () => {
  it('shows a refused form again with the status the API gives the same refusal', () => {
    expect(statusOf(InvalidInputError.of('name', 'x'))).toBe(400);
    expect(statusOf(new NotFoundError('calendar', 'id', 'calendarId'))).toBe(404);
    expect(statusOf(new ConflictError('taken'))).toBe(409);
    expect(statusOf(new ForbiddenError('no'))).toBe(400);
    expect(statusOf(new Error('boom'))).toBe(400);
  });

  it('shows field errors in place, a refusal naming no field at the top, and lets anything else through', () => {
    expect(formErrorsOf(InvalidInputError.of('name', 'x'))).toEqual({ name: ['x'] });
    expect(formErrorsOf(new ConflictError('taken'))).toEqual({ form: ['taken'] });
    expect(() => formErrorsOf(new ForbiddenError('no'))).toThrow('no');
  });

  it('reads a nested part of a posted form, or nothing', () => {
    expect(asRecord({ a: '1' })).toEqual({ a: '1' });
    expect(asRecord(['x'])).toEqual({});
    expect(asRecord('x')).toEqual({});
  });
});
