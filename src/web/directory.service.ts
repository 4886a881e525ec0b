import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import type { DepartmentView } from '../org/departments.dto.js';
import { DepartmentsService } from '../org/departments.service.js';
import type { PersonView } from '../org/people.dto.js';
import { PeopleService } from '../org/people.service.js';
import { allPages } from './all-pages.js';
import { Directory } from './directory.js';

export type PageDirectory = Directory<PersonView, DepartmentView>;

/** Loads the Directory a page names people and departments with: every department, and everyone or only the people it mentions. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly people: PeopleService,
    private readonly departments: DepartmentsService,
  ) {}

  /** Every department and every person: for pages that also offer people to choose from. */
  async everyone(): Promise<PageDirectory> {
    const [people, departments] = await Promise.all([allPages((window) => this.people.list(window)), this.allDepartments()]);
    return new Directory(people, departments);
  }

  /** Every department and the few people a page mentions; one removed since is left out (the page says how it shows them). */
  async naming(personIds: Iterable<string | null | undefined>): Promise<PageDirectory> {
    const [people, departments] = await Promise.all([this.some(personIds), this.allDepartments()]);
    return new Directory(people, departments);
  }

  private async some(ids: Iterable<string | null | undefined>): Promise<PersonView[]> {
    const found: PersonView[] = [];
    for (const id of new Set([...ids].filter((id): id is string => !!id))) {
      try {
        found.push(await this.people.get(id));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return found;
  }

  private allDepartments(): Promise<DepartmentView[]> {
    return allPages((window) => this.departments.list(window));
  }
}
