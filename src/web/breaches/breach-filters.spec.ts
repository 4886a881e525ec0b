import { BREACH_PAGE_SIZE, readBreachFilters } from './breach-filters.js';

describe("the breach list's filters", () => {
  it('shows breaches waiting for an explanation unless asked otherwise, from the first page', () => {
    const { values, offset, query, errors } = readBreachFilters({}, 'Europe/Paris');
    expect(values).toEqual({ agreementId: '', departmentId: '', explained: 'unexplained', from: '', to: '' });
    expect(offset).toBe(0);
    expect(query).toEqual({
      agreementId: undefined,
      departmentId: undefined,
      explained: 'false',
      from: undefined,
      to: undefined,
      limit: String(BREACH_PAGE_SIZE),
      offset: '0',
    });
    expect(Object.keys(errors)).toEqual([]);
  });

  it("reads the days typed in the reader's zone, the last one included", () => {
    const { query } = readBreachFilters({ from: ' 2026-11-02 ', to: '2026-11-08', explained: 'explained', agreementId: 'a1', offset: '50' }, 'Europe/Paris');
    expect(query).toMatchObject({ agreementId: 'a1', explained: 'true', from: '2026-11-02T00:00:00.000+01:00', to: '2026-11-09T00:00:00.000+01:00', offset: '50' });
    expect(readBreachFilters({ explained: 'all' }, 'Europe/Paris').query.explained).toBeUndefined();
  });

  it('names a date that is not one under its field, and keeps what was typed', () => {
    const { values, query, errors } = readBreachFilters({ from: '2026-13-01', to: '2 Nov' }, 'Europe/Paris');
    expect(values).toMatchObject({ from: '2026-13-01', to: '2 Nov' });
    expect(query.from).toBeUndefined();
    expect(query.to).toBeUndefined();
    expect({ ...errors }).toEqual({ from: ['from must be a date such as 2026-11-02'], to: ['to must be a date such as 2026-11-02'] });
  });
});
