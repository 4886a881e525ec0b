import { Directory } from './directory.js';

const people = [
  { id: 'p-ann', name: 'Ann', departmentId: 'd-mkt' },
  { id: 'p-bob', name: 'Bob', departmentId: null },
];
const departments = [
  { id: 'd-mkt', name: 'Marketing' },
  { id: 'd-sales', name: 'Sales' },
];

describe('Directory', () => {
  const directory = new Directory(people, departments);

  it('names people and departments by id', () => {
    expect(directory.personName('p-ann', null)).toBe('Ann');
    expect(directory.departmentName('d-sales', '')).toBe('Sales');
  });

  it('gives the whole record, so a page can read more than the name', () => {
    expect(directory.person('p-ann')?.departmentId).toBe('d-mkt');
    expect(directory.department('d-mkt')).toEqual({ id: 'd-mkt', name: 'Marketing' });
  });

  it('shows an id that names nobody any more as each page says', () => {
    expect(directory.personName('p-removed', 'a former member')).toBe('a former member');
    expect(directory.personName('p-removed', 'a former colleague')).toBe('a former colleague');
    expect(directory.personName('p-removed', null)).toBeNull();
    expect(directory.departmentName('d-removed', 'd-removed')).toBe('d-removed');
  });

  it('names a person who has left as "a former member" on every page, and no one as null', () => {
    expect(directory.memberName('p-ann')).toBe('Ann');
    expect(directory.memberName('p-removed')).toBe('a former member');
    expect(directory.memberName(null)).toBeNull();
    expect(directory.memberName('')).toBeNull();
  });

  it('treats no id at all as unknown, never as someone', () => {
    expect(directory.personName(null, '')).toBe('');
    expect(directory.personName(undefined, null)).toBeNull();
    expect(directory.departmentName('', '–')).toBe('–');
    expect(directory.person(null)).toBeUndefined();
  });

  it('keeps the lists as given, for select boxes', () => {
    expect(directory.people.map((person) => person.name)).toEqual(['Ann', 'Bob']);
    expect(directory.departments.map((department) => department.name)).toEqual(['Marketing', 'Sales']);
  });
});
