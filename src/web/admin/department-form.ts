import type { DepartmentView } from '../../org/departments.dto.js';
import { asRecord } from '../forms.js';

/** The department form as typed or shown. */
export interface DepartmentFormValues {
  name: string;
  slug: string;
  timezone: string;
  calendarId: string;
}

export function newDepartmentValues(): DepartmentFormValues {
  return { name: '', slug: '', timezone: '', calendarId: '' };
}

export function departmentValuesOf(department: DepartmentView): DepartmentFormValues {
  return { name: department.name, slug: department.slug, timezone: department.timezone, calendarId: department.calendarId ?? '' };
}

/** A posted department form, trimmed; a field missing is empty. */
export function typedDepartment(body: unknown): DepartmentFormValues {
  const form = asRecord(body);
  const read = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
  return { name: read('name'), slug: read('slug'), timezone: read('timezone'), calendarId: read('calendarId') };
}
