import type { Actor } from '../../access/actor.js';
import type { IssuedTokenView, TokenView } from '../../auth/tokens.dto.js';
import type { PersonView } from '../../org/people.dto.js';
import { Directory } from '../directory.js';
import { newPersonValues, personValuesOf } from './person-form.js';
import { blankTokenSection, personTitle, presentPeopleList, presentPersonForm } from './person.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const departments = [
  { id: MARKETING, name: 'Marketing' },
  { id: SALES, name: 'Sales' },
];
const directory = new Directory([], departments);
const admin: Actor = { personId: 'p-admin', email: 'admin@example.com', role: 'admin', departmentId: null, tokenId: 'session:test', scope: 'full' };

function person(extra: Partial<PersonView> = {}): PersonView {
  return { id: 'p-samir', name: 'Samir', email: 'samir@example.com', departmentId: SALES, role: 'head', timezone: 'America/New_York', locale: null, active: true, createdAt: '', updatedAt: '', ...extra };
}

function token(extra: Partial<TokenView> = {}): TokenView {
  return { id: 't1', personId: 'p-samir', name: 'CRM sync', scope: 'events:write', prefix: 'cnc_Xy12ab', createdAt: '', lastUsedAt: null, revokedAt: null, ...extra };
}

describe('the people list', () => {
  it("names each person's department, and none for an admin of no department", () => {
    const view = presentPeopleList({ values: { departmentId: '', role: '' }, errors: null, page: { items: [person(), person({ id: 'p-ada', name: 'Ada', departmentId: null, role: 'admin' }), person({ id: 'p-x', departmentId: 'dep-gone' })], total: 3 }, directory });
    expect(view.people.map((one) => [one.name, one.department])).toEqual([
      ['Samir', 'Sales'],
      ['Ada', null],
      ['Samir', ''],
    ]);
    expect(view).toMatchObject({ total: 3, shown: 3, errors: null, newLink: '/admin/people/new' });
  });

  it('filters by every department and role, and adds a person to the department shown', () => {
    const view = presentPeopleList({ values: { departmentId: SALES, role: 'head' }, errors: null, page: { items: [], total: 0 }, directory });
    expect(view.departmentOptions).toEqual([{ value: '', label: 'All departments' }, { value: MARKETING, label: 'Marketing' }, { value: SALES, label: 'Sales' }]);
    expect(view.roleOptions.map((option) => option.label)).toEqual(['All roles', 'admin', 'head', 'member']);
    expect(view.newLink).toBe(`/admin/people/new?departmentId=${SALES}`);
    expect(view.people).toEqual([]);
  });

  it('adds to no department when the filter was refused', () => {
    const view = presentPeopleList({ values: { departmentId: 'nope', role: '' }, errors: { departmentId: ['departmentId must be a UUID'] }, page: { items: [], total: 0 }, directory });
    expect(view.newLink).toBe('/admin/people/new');
    expect(view.errors).toEqual({ departmentId: ['departmentId must be a UUID'] });
  });
});

describe('the person form', () => {
  const form = (shown: PersonView | null, extra: Partial<Parameters<typeof presentPersonForm>[0]> = {}) =>
    presentPersonForm({
      actor: admin,
      person: shown,
      values: shown ? personValuesOf(shown) : newPersonValues(''),
      errors: null,
      departments,
      tokens: [],
      tokenSection: blankTokenSection(),
      zone: 'Europe/Paris',
      ...extra,
    });

  it('adds a new person, with roles and departments spelled out', () => {
    const view = form(null);
    expect(personTitle(null)).toBe('New person');
    expect(view).toMatchObject({ person: null, action: '/admin/people', formProblem: null, zone: 'Europe/Paris' });
    expect(view.roleOptions).toEqual([
      { value: 'admin', label: 'Admin: manages Concord' },
      { value: 'head', label: 'Head of a department' },
      { value: 'member', label: 'Member of a department' },
    ]);
    expect(view.departmentOptions[0]).toEqual({ value: '', label: 'No department (admins only)' });
    expect(view.departmentOptions.map((option) => option.label)).toEqual(['No department (admins only)', 'Marketing', 'Sales']);
  });

  it("edits a person, knows when it is the admin's own page, and lists their tokens with their scope", () => {
    const view = form(person(), { tokens: [token(), token({ id: 't2', scope: 'full', name: 'Laptop' })] });
    expect(personTitle(person())).toBe('Samir');
    expect(view.person).toEqual({ id: 'p-samir', name: 'Samir', self: false });
    expect(view.action).toBe('/admin/people/p-samir');
    expect(view.tokens.map((one) => [one.name, one.scopeLabel])).toEqual([
      ['CRM sync', 'Events only: for integrations that send events'],
      ['Laptop', 'Full: everything the person may do'],
    ]);
    expect(view.scopeOptions.map((option) => option.value)).toEqual(['full', 'events:write']);
    expect(form(person({ id: 'p-admin' })).person?.self).toBe(true);
  });

  it('shows a token just issued once, with its secret, and a refused one with its errors', () => {
    const issued: IssuedTokenView = { ...token(), token: 'cnc_secret' };
    const shown = form(person(), { tokenSection: { values: { name: '', scope: 'full' }, errors: null, issued } });
    expect(shown.token).toEqual({ values: { token: { name: '', scope: 'full' } }, errors: null, formProblem: null, issued: { name: 'CRM sync', token: 'cnc_secret' } });
    const refused = form(person(), { tokenSection: { values: { name: '', scope: 'root' }, errors: { 'token.name': ['name should not be empty'], form: ['busy'] }, issued: null } });
    expect(refused.token).toMatchObject({ values: { token: { name: '', scope: 'root' } }, errors: { 'token.name': ['name should not be empty'], form: ['busy'] }, formProblem: ['busy'], issued: null });
    expect(refused.formProblem).toBeNull();
  });

  it('puts a refusal that names no field at the top of the person form', () => {
    expect(form(person(), { errors: { form: ['Samir heads Sales'] } }).formProblem).toEqual(['Samir heads Sales']);
  });
});
