/** How every page names a person an id still points at but who has left (removed since). */
export const FORMER_MEMBER = 'a former member';

/** A person or a department, as far as a page names it. */
export interface Named {
  id: string;
  name: string;
}

/**
 * People and departments by id: the one lookup every page names them with, loaded once per page
 * (DirectoryService). An id that names nobody any more (a person removed since, a department
 * deleted) is not an error: a person who acted and has left since is "a former member" on
 * every page (memberName); where a page shows something else for an empty reference (a select's
 * blank, a department's own label), it says so in the call.
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

  /** Who acted: their name, "a former member" once they have left, null when no one is named. */
  memberName(id: string | null | undefined): string | null {
    return id ? (this.person(id)?.name ?? FORMER_MEMBER) : null;
  }

  /** The department's name; `unknown` when no id is given or it names none. */
  departmentName<F>(id: string | null | undefined, unknown: F): string | F {
    return this.department(id)?.name ?? unknown;
  }
}
