import { formProblemOf, prefixErrors } from './admin-forms.js';

describe('admin form helpers', () => {
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
