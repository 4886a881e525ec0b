import { LOCALE_NAMES, LOCALES } from '../../i18n/locales.js';
import type { Actor } from '../../access/actor.js';
import { ROLES } from '../../access/roles.js';
import { TOKEN_SCOPES } from '../../access/token-scopes.js';
import type { IssuedTokenView, TokenView } from '../../auth/tokens.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { Page } from '../../common/pagination.js';
import type { PersonView } from '../../org/people.dto.js';
import type { Directory, Named } from '../directory.js';
import { formProblemOf } from './admin-forms.js';
import { inEnglish, type Say } from '../say.js';
import { blankToken, type PersonFormValues, type TokenFormValues } from './person-form.js';

/** What the people pages show: the list by department and role, and one person with their API tokens. */

/** A role as the list names it ("head"), and as the form explains it ("Head of a department"). */
const roleName = (say: Say, role: string) => say(`admin.role.${role}`);
const roleLabel = (say: Say, role: string) => say(`admin.roleLong.${role}`);
const SCOPE_KEYS: Record<string, string> = { full: 'admin.scope.full', 'events:write': 'admin.scope.eventsWrite' };
const scopeLabel = (say: Say, scope: string) => (SCOPE_KEYS[scope] ? say(SCOPE_KEYS[scope]) : scope);

/** What the person page's token section shows next to the person form. */
export interface TokenSection {
  values: TokenFormValues;
  errors: FieldErrors | null;
  /** A token just issued: its secret is shown this once. */
  issued: IssuedTokenView | null;
}

export function blankTokenSection(): TokenSection {
  return { values: blankToken(), errors: null, issued: null };
}

export function presentPeopleList(input: {
  values: { departmentId: string; role: string };
  errors: FieldErrors | null;
  page: Pick<Page<PersonView>, 'items' | 'total'>;
  directory: Directory;
  say?: Say;
}) {
  const { values, errors, page, directory } = input;
  const say = input.say ?? inEnglish;
  return {
    values,
    errors,
    departmentOptions: [{ value: '', label: say('admin.people.allDepartments') }, ...directory.departments.map((department) => ({ value: department.id, label: department.name }))],
    roleOptions: [{ value: '', label: say('admin.people.allRoles') }, ...ROLES.map((role) => ({ value: role, label: roleName(say, role) }))],
    total: page.total,
    shown: page.items.length,
    people: page.items.map((person) => ({ ...person, roleLabel: roleName(say, person.role), department: person.departmentId ? directory.departmentName(person.departmentId, '') : null })),
    // A person added from a department's list joins that department.
    newLink: values.departmentId && !errors ? `/admin/people/new?departmentId=${encodeURIComponent(values.departmentId)}` : '/admin/people/new',
  };
}

export function personTitle(person: PersonView | null, say: Say = inEnglish): string {
  return person ? person.name : say('admin.person.new');
}

/** The person form (new or edit) and, for an existing person, their tokens and the form that issues one. */
export function presentPersonForm(input: {
  actor: Actor;
  person: PersonView | null;
  values: PersonFormValues;
  errors: FieldErrors | null;
  departments: Named[];
  tokens: TokenView[];
  tokenSection: TokenSection;
  zone: string;
  say?: Say;
}) {
  const { person, values, errors, tokenSection } = input;
  const say = input.say ?? inEnglish;
  return {
    person: person ? { id: person.id, name: person.name, self: person.id === input.actor.personId } : null,
    action: person ? `/admin/people/${person.id}` : '/admin/people',
    values,
    errors,
    formProblem: formProblemOf(errors),
    roleOptions: ROLES.map((role) => ({ value: role, label: roleLabel(say, role) })),
    localeOptions: [{ value: '', label: say('admin.person.defaultLanguage') }, ...LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] }))],
    departmentOptions: [{ value: '', label: say('admin.person.noDepartment') }, ...input.departments.map((department) => ({ value: department.id, label: department.name }))],
    tokens: input.tokens.map((token) => ({ ...token, scopeLabel: scopeLabel(say, token.scope) })),
    token: {
      values: { token: tokenSection.values },
      errors: tokenSection.errors,
      formProblem: formProblemOf(tokenSection.errors),
      issued: tokenSection.issued ? { name: tokenSection.issued.name, token: tokenSection.issued.token } : null,
    },
    scopeOptions: TOKEN_SCOPES.map((scope) => ({ value: scope, label: scopeLabel(say, scope) })),
    zone: input.zone,
  };
}
