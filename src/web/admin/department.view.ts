import type { CalendarView } from '../../calendars/calendars.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { Page } from '../../common/pagination.js';
import type { DepartmentView } from '../../org/departments.dto.js';
import type { Directory, Named } from '../directory.js';
import { formProblemOf, type Option } from './admin-forms.js';
import { inEnglish, type Say } from '../say.js';
import type { DepartmentFormValues } from './department-form.js';

/** What the department pages show: the list with each department's calendar and head, and the form. */

type CalendarName = Pick<CalendarView, 'id' | 'name' | 'timezone'>;

/** The calendars to choose from, each with its time zone: "Paris office (Europe/Paris)". */
export function calendarOptions(calendars: CalendarName[]): Option[] {
  return calendars.map((calendar) => ({ value: calendar.id, label: `${calendar.name} (${calendar.timezone})` }));
}

export function presentDepartmentList(input: { page: Pick<Page<DepartmentView>, 'items' | 'total'>; calendars: CalendarName[]; directory: Directory }) {
  const { page, directory } = input;
  const calendarName = new Map(calendarOptions(input.calendars).map((option) => [option.value, option.label]));
  return {
    total: page.total,
    departments: page.items.map((department) => ({
      id: department.id,
      name: department.name,
      slug: department.slug,
      timezone: department.timezone,
      calendar: department.calendarId ? (calendarName.get(department.calendarId) ?? null) : null,
      head: department.headId ? { id: department.headId, name: directory.personName(department.headId, '') } : null,
    })),
  };
}

export function departmentTitle(department: Pick<DepartmentView, 'name'> | null, say: Say = inEnglish): string {
  return department ? say('admin.department.title', { name: department.name }) : say('admin.department.new');
}

/** The form of a new department or of one that exists, with its head and how many people it has. */
export function presentDepartmentForm(input: {
  department: DepartmentView | null;
  values: DepartmentFormValues;
  errors: FieldErrors | null;
  calendars: CalendarName[];
  head: Named | null;
  /** The department's people (one page is enough: only the total is shown); null for a new one. */
  members: Pick<Page<unknown>, 'total'> | null;
  say?: Say;
}) {
  const say = input.say ?? inEnglish;
  const { department, values, errors, head } = input;
  return {
    department: department ? { id: department.id, name: department.name } : null,
    action: department ? `/admin/departments/${department.id}` : '/admin/departments',
    values,
    errors,
    formProblem: formProblemOf(errors),
    calendarOptions: [{ value: '', label: say('admin.department.noCalendar') }, ...calendarOptions(input.calendars)],
    head: head ? { id: head.id, name: head.name } : null,
    members: input.members ? input.members.total : 0,
  };
}
