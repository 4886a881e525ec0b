/** Splits a list into consecutive parts of at most `size` items (statements with a bounded number of parameters). */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
