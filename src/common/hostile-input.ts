/**
 * What no text entering Concord may hold, checked once where input arrives (the global pipe for
 * bodies, queries and paths; the event reader for batches and import lines), before any
 * validation or storage:
 * - a NUL character: PostgreSQL cannot store it in text and SQLite would keep it, so the same
 *   input must not be refused on one database and stored on the other;
 * - a lone UTF-16 surrogate (`\uD800` in JSON): it has no UTF-8 form, so it would be stored as
 *   invalid UTF-8 or fail deep in a driver;
 * - a key named `__proto__`: it is meaningless as data and, copied with `obj[key] = …`, it would
 *   replace an object's prototype instead of adding a field (other names of Object.prototype
 *   members, `constructor` or `toString`, are ordinary names and stay allowed);
 * - JSON nested deeper than MAX_INPUT_DEPTH: recursive copying and validation would overflow the
 *   stack (`RangeError`) long before reaching 10,000 levels.
 * Plain TypeScript, no framework: the import streams use it too.
 */

/** Objects and arrays nested in one another, the body itself being level 1. */
export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  /** Field path as the errors of a 400 name it: `attributes.note`, `entries[2].status`. */
  path: string;
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text may not be taken, or undefined when it may. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (text that has no UTF-8 form)';
  return undefined;
}

/** A key as it is shown in a field path: control characters and lone surrogates escaped as in JSON. */
function shownKey(key: string): string {
  return textProblem(key) === undefined ? key : JSON.stringify(key).slice(1, -1).replace(/[\uD800-\uDFFF]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first thing in a parsed input (a JSON body, a query, a path parameter, an import line)
 * that no field may hold, with the path of the field holding it; undefined when there is none.
 * `path` is the input's own path: empty for a whole body or query (its fields are named alone),
 * the parameter's name for one parameter. A problem with a whole body is named `body`.
 */
export function findInputProblem(value: unknown, path = '', depth = 1): InputProblem | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path: path || 'body', message: problem } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_INPUT_DEPTH) {
    return { path: path || 'body', message: `is nested deeper than ${MAX_INPUT_DEPTH} levels of objects and arrays (the limit)` };
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = findInputProblem(value[index], `${path}[${index}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyPath = join(path, shownKey(key));
    if (key === '__proto__') return { path: keyPath, message: 'is not accepted as a field name' };
    const keyProblem = textProblem(key);
    if (keyProblem) return { path: keyPath, message: `the field name ${keyProblem}` };
    const problem = findInputProblem((value as Record<string, unknown>)[key], keyPath, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
