import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The stairs run one way: a feature folder (the first segment under src/) may import another
 * only if that one does not import it back. Read from the source text, so a back-import fails
 * `npm test` before it lands.
 */

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * Files that wire every feature together and so import them all by design: not feature edges.
 * (src/*.ts such as app.module.ts are outside any folder and skipped as well.)
 */
const COMPOSITION_ROOTS = ['database/entities.ts'];

/** Pairs (sorted "a <-> b") that still import each other; the list can only shrink. */
const REMAINING_TWO_WAY: readonly string[] = [
  // issue 11: to be removed
  'agreements <-> calendars',
  'agreements <-> tracking',
  'audit <-> auth',
  'auth <-> org',
  'calendars <-> org',
];

interface Edge {
  from: string;
  to: string;
  files: string[];
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Path under src/ in posix form, e.g. "tracking/domain/agreement-terms.ts". */
function underSrc(path: string): string {
  return relative(SRC, path).split(sep).join('/');
}

function folderOf(pathUnderSrc: string): string {
  const [first] = pathUnderSrc.split('/');
  return pathUnderSrc.includes('/') ? first : '(root)';
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** Relative imports of one file, resolved to paths under src/ (".js" kept as written). */
function relativeImports(pathUnderSrc: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    found.push(posix.normalize(posix.join(posix.dirname(pathUnderSrc), match[2])));
  }
  return found;
}

function readGraph(): { edges: Map<string, Edge>; imports: Array<{ file: string; target: string }> } {
  const edges = new Map<string, Edge>();
  const imports: Array<{ file: string; target: string }> = [];
  for (const path of sourceFiles(SRC)) {
    const file = underSrc(path);
    if (COMPOSITION_ROOTS.includes(file)) continue;
    for (const target of relativeImports(file, readFileSync(path, 'utf8'))) {
      if (target.startsWith('..')) continue; // outside src/ (migrations, package.json)
      imports.push({ file, target });
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to || from === '(root)' || to === '(root)') continue;
      const key = `${from} -> ${to}`;
      const edge = edges.get(key) ?? { from, to, files: [] };
      if (!edge.files.includes(file)) edge.files.push(file);
      edges.set(key, edge);
    }
  }
  return { edges, imports };
}

function describeEdge(edge: Edge | undefined): string {
  return edge ? `${edge.from} -> ${edge.to} (${edge.files.sort().join(', ')})` : '';
}

function twoWayPairs(edges: Map<string, Edge>): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const edge of edges.values()) {
    const back = edges.get(`${edge.to} -> ${edge.from}`);
    if (!back) continue;
    const [a, b] = [edge.from, edge.to].sort();
    pairs.set(`${a} <-> ${b}`, `${describeEdge(edges.get(`${a} -> ${b}`))}\n    ${describeEdge(edges.get(`${b} -> ${a}`))}`);
  }
  return pairs;
}

describe('feature folders import one way', () => {
  const { edges, imports } = readGraph();
  const pairs = twoWayPairs(edges);

  it('reads the imports it judges (a sanity floor, so a broken reader cannot pass)', () => {
    expect(edges.size).toBeGreaterThan(30);
    expect(edges.get('web -> common')?.files).toEqual(expect.arrayContaining(['web/forms.ts']));
    expect(edges.get('tracking -> notifications')?.files).toEqual(expect.arrayContaining(['tracking/alerts/alert-messages.ts']));
    expect(relativeImports('web/forms.ts', "import { a } from '../common/x.js';\nconst m = await import('../events/y.js');")).toEqual([
      'common/x.js',
      'events/y.js',
    ]);
  });

  it('has no two folders importing each other, except the listed remaining ones', () => {
    const unlisted = [...pairs.keys()].filter((pair) => !REMAINING_TWO_WAY.includes(pair)).sort();
    const report = unlisted.map((pair) => `${pair}:\n    ${pairs.get(pair)}`).join('\n');
    expect(report).toBe('');
  });

  it('lists only pairs that still import each other (the list can only shrink)', () => {
    const gone = REMAINING_TWO_WAY.filter((pair) => !pairs.has(pair));
    expect(gone).toEqual([]);
  });

  it('keeps notifications free of other features\' entities: features hand it their messages', () => {
    const entityImports = [
      ...new Set(
        imports
          .filter(({ file, target }) => folderOf(file) === 'notifications' && folderOf(target) !== 'notifications')
          .filter(({ target }) => /\.entity(\.js|\.ts)?$/.test(target))
          .map(({ target }) => target.replace(/\.(js|ts)$/, '')),
      ),
    ].sort();
    expect(entityImports).toEqual([]);
  });
});
