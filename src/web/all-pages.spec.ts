import { MAX_PAGE_SIZE } from '../common/pagination.js';
import { allPages } from './all-pages.js';

describe('allPages', () => {
  const list = (total: number) => async ({ limit, offset }: { limit: number; offset: number }) => {
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { items, total, limit, offset };
  };

  it('reads every page of a long list', async () => {
    const items = await allPages(list(2 * MAX_PAGE_SIZE + 7));
    expect(items).toHaveLength(2 * MAX_PAGE_SIZE + 7);
    expect(items[items.length - 1]).toBe(2 * MAX_PAGE_SIZE + 6);
  });

  it('stops after one call for a short or empty list, and at an exact multiple', async () => {
    const calls: number[] = [];
    const counted = (total: number) => async (window: { limit: number; offset: number }) => {
      calls.push(window.offset);
      return list(total)(window);
    };
    expect(await allPages(counted(0))).toEqual([]);
    expect(calls).toEqual([0]);
    calls.length = 0;
    expect(await allPages(counted(MAX_PAGE_SIZE))).toHaveLength(MAX_PAGE_SIZE);
    expect(calls).toEqual([0]);
  });
});
