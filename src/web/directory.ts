/** A person or a department, as far as a page names it. */
export interface Named {
  id: string;
  name: string;
}

/**
 * People and departments by id: the one lookup every page names them with, loaded once per page
 * (DirectoryService). An id that names nobody any more (a person removed since, a department
 * deleted) is not an error: each page says how it shows one — the agreement pages "a former
 * member", the brief pages "a former colleague", the breach pages nothing — and says it here,
 * in the call, so the differences are in plain sight rather than in five copies of a map.
 */
export class Directory<P extends Named = Named, D extends Named = Named> {
  private readonly peopleById: ReadonlyMap<string, P>;
  private readonly departmentsById: ReadonlyMap<string, D>;

  constructor(
    /** Everyone loaded, in the order given (by name, as the people list is): select boxes list them. */
    readonly people: readonly P[],
    /** Every department, in the order given. */
    readonly departments: readonly D[],
  ) {
    this.peopleById = new Map(people.map((person) => [person.id, person]));
    this.departmentsById = new Map(departments.map((department) => [department.id, department]));
  }

  person(id: string | null | undefined): P | undefined {
    return id ? this.peopleById.get(id) : undefined;
  }

  department(id: string | null | undefined): D | undefined {
    return id ? this.departmentsById.get(id) : undefined;
  }

  /** The person's name; `unknown` when no id is given or it names nobody. */
  personName<F>(id: string | null | undefined, unknown: F): string | F {
    return this.person(id)?.name ?? unknown;
  }

  /** The department's name; `unknown` when no id is given or it names none. */
  departmentName<F>(id: string | null | undefined, unknown: F): string | F {
    return this.department(id)?.name ?? unknown;
  }
}
