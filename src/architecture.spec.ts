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

/** What notifications, the delivery service, may import: nothing that knows a feature. */
const NOTIFICATIONS_MAY_IMPORT = ['access', 'common', 'config', 'database', 'i18n', 'notifications'];

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

/** Path under src/ in posix form, e.g. "agreements/domain/agreement-terms.ts". */
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

/**
 * Folders that reach each other through imports (strongly connected, Tarjan), each as one loop
 * read from its alphabetically first folder; a folder alone is no loop.
 */
function folderCycles(edges: Map<string, Edge>): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges.values()) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    onStack.add(folder);
    for (const to of next.get(folder) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(folder, Math.min(low.get(folder)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(folder, Math.min(low.get(folder)!, index.get(to)!));
      }
    }
    if (low.get(folder) === index.get(folder)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== folder);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const folder of [...next.keys()].sort()) if (!index.has(folder)) visit(folder);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
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

  it('has no two folders importing each other', () => {
    const report = [...pairs.keys()].sort().map((pair) => `${pair}:\n    ${pairs.get(pair)}`).join('\n');
    expect(report).toBe('');
  });

  it('has no longer loop either (a -> b -> c -> a): the folders form layers', () => {
    const report = folderCycles(edges)
      .map((cycle) => `${cycle.join(' -> ')}:\n    ${cycle.map((from, k) => describeEdge(edges.get(`${from} -> ${cycle[(k + 1) % cycle.length]}`))).join('\n    ')}`)
      .join('\n');
    expect(report).toBe('');
  });

  it('finds a planted back-import, two-way or around a loop (so the checks above can fail)', () => {
    const planted = new Map(edges);
    planted.set('common -> web', { from: 'common', to: 'web', files: ['common/planted.ts'] });
    expect([...twoWayPairs(planted).keys()]).toContain('common <-> web');
    const loop = new Map<string, Edge>([
      ['a -> b', { from: 'a', to: 'b', files: ['a/x.ts'] }],
      ['b -> c', { from: 'b', to: 'c', files: ['b/x.ts'] }],
      ['c -> a', { from: 'c', to: 'a', files: ['c/x.ts'] }],
      ['c -> d', { from: 'c', to: 'd', files: ['c/y.ts'] }],
    ]);
    expect(folderCycles(loop)).toEqual([['a', 'b', 'c']]);
  });

  it('follows README\'s Layout: every folder imports only folders listed above it there', () => {
    const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'));
    const listed = [...layout.slice(0, layout.indexOf('templates/')).matchAll(/^ {2}([a-z0-9-]+)\/ /gm)].map((match) => match[1]);
    expect(listed).toEqual(expect.arrayContaining(['common', 'notifications', 'tracking', 'web']));
    const upward = [...edges.values()].filter((edge) => !(listed.indexOf(edge.to) >= 0 && listed.indexOf(edge.to) < listed.indexOf(edge.from)));
    expect(upward.map(describeEdge)).toEqual([]);
  });

  it('keeps notifications a delivery service: it imports no feature folder', () => {
    const outside = [...edges.values()].filter((edge) => edge.from === 'notifications' && !NOTIFICATIONS_MAY_IMPORT.includes(edge.to));
    expect(outside.map(describeEdge)).toEqual([]);
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
