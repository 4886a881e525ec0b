import type { PersonView } from '../../org/people.dto.js';
import { asRecord, checkbox } from '../forms.js';

/** The person form as typed or shown. */
export interface PersonFormValues {
  name: string;
  email: string;
  role: string;
  departmentId: string;
  timezone: string;
  /** One of LOCALES, or empty: the organisation's default. */
  locale: string;
  /** Edit form only: unticked takes the person's access away. */
  active: boolean;
}

/** The token form beside it, for the person's API tokens. */
export interface TokenFormValues {
  name: string;
  scope: string;
}

/** A new person: a member, in the department the list was filtered by, if any. */
export function newPersonValues(departmentId: unknown): PersonFormValues {
  return { name: '', email: '', role: 'member', departmentId: typeof departmentId === 'string' ? departmentId : '', timezone: '', locale: '', active: true };
}

export function personValuesOf(person: PersonView): PersonFormValues {
  return { name: person.name, email: person.email, role: person.role, departmentId: person.departmentId ?? '', timezone: person.timezone, locale: person.locale ?? '', active: person.active };
}

/** A posted person form, trimmed; a field missing is empty, an unticked box false. */
export function typedPerson(body: unknown): PersonFormValues {
  const form = asRecord(body);
  const read = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
  return { name: read('name'), email: read('email'), role: read('role'), departmentId: read('departmentId'), timezone: read('timezone'), locale: read('locale'), active: checkbox(form.active) };
}

/** The token form posts as `token[name]`, `token[scope]`: the person's own `name` is on the same page. */
export function typedToken(body: unknown): TokenFormValues {
  const form = asRecord(asRecord(body).token);
  return { name: typeof form.name === 'string' ? form.name.trim() : '', scope: typeof form.scope === 'string' ? form.scope : 'full' };
}

/** The token form before anything is typed. */
export function blankToken(): TokenFormValues {
  return { name: '', scope: 'full' };
}
