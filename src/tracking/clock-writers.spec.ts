import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * The compliance rollups are kept by the clock repository, which applies to them the change each
 * of its clock writes makes. A clock written anywhere else would leave them wrong until the next
 * `npm run rollups:rebuild`: so no other file may write the clocks table.
 */
describe('writers of the clocks table', () => {
  it('is the clock repository alone', () => {
    // In SQL, or through the ORM.
    const writes = [/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+clocks\b/i, /\.(?:save|insert|update|upsert|delete|remove)\(\s*SlaClock\b|getRepository\(\s*SlaClock\b/];
    const writers = sourceFiles(SRC)
      .filter((path) => writes.some((pattern) => pattern.test(readFileSync(path, 'utf8'))))
      .map((path) => relative(SRC, path).split(sep).join('/'));
    expect(writers).toEqual(['tracking/clock.repository.ts']);
  });
});
