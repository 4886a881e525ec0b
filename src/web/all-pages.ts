import { MAX_PAGE_SIZE, type Page } from '../common/pagination.js';

/**
 * Every item of a paged list, page after page: select boxes and name lookups on the pages need
 * all people, departments or agreements, not the first 200 (an approver missing from a select
 * box would be cleared by the next save).
 */
export async function allPages<T>(fetch: (window: { limit: number; offset: number }) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await fetch({ limit: MAX_PAGE_SIZE, offset });
    all.push(...page.items);
    if (page.items.length < MAX_PAGE_SIZE || all.length >= page.total) return all;
  }
}
