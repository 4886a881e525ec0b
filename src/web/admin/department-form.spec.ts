import { departmentValuesOf, newDepartmentValues, typedDepartment } from './department-form.js';

describe('the department form', () => {
  it('starts empty: slug and time zone take their defaults', () => {
    expect(newDepartmentValues()).toEqual({ name: '', slug: '', timezone: '', calendarId: '' });
  });

  it('shows a department as stored, no calendar as empty', () => {
    const department = { id: 'd1', name: 'Sales', slug: 'sales', timezone: 'Europe/Paris', calendarId: null, headId: null, createdAt: '', updatedAt: '' };
    expect(departmentValuesOf(department)).toEqual({ name: 'Sales', slug: 'sales', timezone: 'Europe/Paris', calendarId: '' });
  });

  it('reads a post trimmed, anything but text as empty', () => {
    expect(typedDepartment({ name: ' Legal ', slug: 'legal', timezone: 3, calendarId: ['c1'] })).toEqual({ name: 'Legal', slug: 'legal', timezone: '', calendarId: '' });
    expect(typedDepartment(null)).toEqual({ name: '', slug: '', timezone: '', calendarId: '' });
  });
});
