import { blankToken, newPersonValues, personValuesOf, typedPerson, typedToken } from './person-form.js';

describe('the person form', () => {
  it('starts a new person as a member of the department the list was showing', () => {
    expect(newPersonValues('dep-sales')).toEqual({ name: '', email: '', role: 'member', departmentId: 'dep-sales', timezone: '', locale: '', active: true });
    expect(newPersonValues(['dep-sales']).departmentId).toBe('');
  });

  it('shows a person as stored, no department as empty', () => {
    const person = { id: 'p1', name: 'Ada', email: 'ada@example.com', role: 'admin' as const, departmentId: null, timezone: 'Europe/Paris', locale: null, active: false, createdAt: '', updatedAt: '' };
    expect(personValuesOf(person)).toEqual({ name: 'Ada', email: 'ada@example.com', role: 'admin', departmentId: '', timezone: 'Europe/Paris', locale: '', active: false });
  });

  it('reads a post trimmed, a missing field as empty and an unticked box as false', () => {
    expect(typedPerson({ name: ' Ada ', email: 'ada@example.com ', role: 'head', departmentId: 'dep-sales', locale: ' ru ', active: 'on' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      role: 'head',
      departmentId: 'dep-sales',
      timezone: '',
      locale: 'ru',
      active: true,
    });
    expect(typedPerson(undefined)).toEqual({ name: '', email: '', role: '', departmentId: '', timezone: '', locale: '', active: false });
  });

  it("reads the token form under its own prefix, full scope unless chosen", () => {
    expect(typedToken({ name: 'Ada', token: { name: ' CRM sync ', scope: 'events:write' } })).toEqual({ name: 'CRM sync', scope: 'events:write' });
    expect(typedToken({ name: 'Ada' })).toEqual({ name: '', scope: 'full' });
    expect(blankToken()).toEqual({ name: '', scope: 'full' });
  });
});
