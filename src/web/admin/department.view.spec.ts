import type { DepartmentView } from '../../org/departments.dto.js';
import { Directory } from '../directory.js';
import { calendarOptions, departmentTitle, presentDepartmentForm, presentDepartmentList } from './department.view.js';

const calendars = [
  { id: 'c-paris', name: 'Paris office', timezone: 'Europe/Paris' },
  { id: 'c-ny', name: 'New York office', timezone: 'America/New_York' },
];

function department(extra: Partial<DepartmentView> = {}): DepartmentView {
  return { id: 'd-sales', name: 'Sales', slug: 'sales', timezone: 'Europe/Paris', calendarId: 'c-paris', headId: 'p-samir', createdAt: '', updatedAt: '', ...extra };
}

describe('the department list', () => {
  it('names each calendar with its zone, and each head', () => {
    const directory = new Directory([{ id: 'p-samir', name: 'Samir' }], []);
    const view = presentDepartmentList({
      page: { items: [department(), department({ id: 'd-legal', name: 'Legal', slug: 'legal', calendarId: null, headId: null }), department({ id: 'd-x', calendarId: 'c-gone', headId: 'p-gone' })], total: 3 },
      calendars,
      directory,
    });
    expect(view.total).toBe(3);
    expect(view.departments[0]).toEqual({ id: 'd-sales', name: 'Sales', slug: 'sales', timezone: 'Europe/Paris', calendar: 'Paris office (Europe/Paris)', head: { id: 'p-samir', name: 'Samir' } });
    expect(view.departments[1]).toMatchObject({ calendar: null, head: null });
    expect(view.departments[2]).toMatchObject({ calendar: null, head: { id: 'p-gone', name: '' } });
  });
});

describe('the department form', () => {
  const values = { name: 'Sales', slug: 'sales', timezone: 'Europe/Paris', calendarId: 'c-paris' };

  it('creates a department on a calendar, or none', () => {
    const view = presentDepartmentForm({ department: null, values: { name: '', slug: '', timezone: '', calendarId: '' }, errors: null, calendars, head: null, members: null });
    expect(departmentTitle(null)).toBe('New department');
    expect(view).toMatchObject({ department: null, action: '/admin/departments', head: null, members: 0, formProblem: null });
    expect(view.calendarOptions).toEqual([
      { value: '', label: 'No calendar' },
      { value: 'c-paris', label: 'Paris office (Europe/Paris)' },
      { value: 'c-ny', label: 'New York office (America/New_York)' },
    ]);
    expect(calendarOptions([])).toEqual([]);
  });

  it('edits one, with its head and how many people it has, and a refused delete at the top', () => {
    const view = presentDepartmentForm({
      department: department(),
      values,
      errors: { form: ['Sales still has 4 people'] },
      calendars,
      head: { id: 'p-samir', name: 'Samir' },
      members: { total: 4 },
    });
    expect(departmentTitle(department())).toBe('Department “Sales”');
    expect(view).toMatchObject({ department: { id: 'd-sales', name: 'Sales' }, action: '/admin/departments/d-sales', values, members: 4 });
    expect(view.head).toEqual({ id: 'p-samir', name: 'Samir' });
    expect(view.formProblem).toEqual(['Sales still has 4 people']);
  });
});
