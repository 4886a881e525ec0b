import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../common/errors.js';
import { formProblemOf, prefixErrors, statusOf } from './admin-forms.js';

describe('admin form helpers', () => {
  it('shows a refused form again with the status the API gives the same refusal', () => {
    expect(statusOf(InvalidInputError.of('name', 'x'))).toBe(400);
    expect(statusOf(new NotFoundError('calendar', 'id', 'calendarId'))).toBe(404);
    expect(statusOf(new ConflictError('taken'))).toBe(409);
    expect(statusOf(new ForbiddenError('no'))).toBe(400);
    expect(statusOf(new Error('boom'))).toBe(400);
  });

  it("puts a second form's errors under its prefix, leaving the form-wide ones at the top", () => {
    expect(prefixErrors({ name: ['a'], form: ['b'] }, 'token')).toEqual({ 'token.name': ['a'], form: ['b'] });
    expect(prefixErrors(null, 'token')).toBeNull();
  });

  it('picks the problems that name no field', () => {
    expect(formProblemOf({ form: ['in use'], name: ['x'] })).toEqual(['in use']);
    expect(formProblemOf({ name: ['x'] })).toBeNull();
    expect(formProblemOf(null)).toBeNull();
  });
});
