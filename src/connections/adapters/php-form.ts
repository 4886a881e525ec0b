import { textProblem } from '../../common/hostile-input.js';
import { emptyRecord } from './adapter-values.js';

/**
 * application/x-www-form-urlencoded bodies with PHP-style nested keys, as amoCRM and Bitrix24 post
 * them: `leads[status][0][id]=7&account[subdomain]=acme` becomes
 * `{ leads: { status: { "0": { id: "7" } } }, account: { subdomain: "acme" } }`.
 * Lists stay objects keyed by index text ("0", "1", …; `a[]` appends); listItems() reads them in order.
 * Written here rather than with URLSearchParams so that bytes that are not UTF-8 (`%FF`) are refused
 * instead of silently replaced, and bounded so hostile input cannot exhaust memory or the stack.
 */

export interface FormTree {
  [key: string]: string | FormTree;
}

export const FORM_LIMITS = { maxFields: 5000, maxDepth: 10, maxKeyLength: 200 } as const;

export type FormResult = { ok: true; form: FormTree } | { ok: false; reason: string };

function percentDecode(text: string): string | undefined {
  const plus = text.replace(/\+/g, ' ');
  if (!plus.includes('%')) return plus;
  const bytes: number[] = [];
  for (let i = 0; i < plus.length; i++) {
    const code = plus.charCodeAt(i);
    if (code === 0x25) {
      const hex = plus.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const next = plus.indexOf('%', i);
      const end = next === -1 ? plus.length : next;
      for (const byte of Buffer.from(plus.slice(i, end), 'utf8')) bytes.push(byte);
      i = end - 1;
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** `a[b][0][]` → ["a", "b", "0", ""]; undefined when the brackets are not well formed. */
function keyPath(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  if (open === 0) return undefined;
  const path = [key.slice(0, open)];
  const rest = key.slice(open);
  const segment = /\[([^[\]]*)\]/y;
  let at = 0;
  while (at < rest.length) {
    segment.lastIndex = at;
    const match = segment.exec(rest);
    if (!match) return undefined;
    path.push(match[1]);
    at = segment.lastIndex;
  }
  return path;
}

export function parsePhpForm(text: string): FormResult {
  const form = emptyRecord<string | FormTree>() as FormTree;
  if (text.trim() === '') return { ok: false, reason: 'body is empty (expected form fields)' };
  const pairs = text.split('&');
  if (pairs.length > FORM_LIMITS.maxFields) return { ok: false, reason: `body has more than ${FORM_LIMITS.maxFields} form fields (the limit)` };
  for (const pair of pairs) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals === -1 ? pair : pair.slice(0, equals);
    const key = percentDecode(rawKey);
    const value = percentDecode(equals === -1 ? '' : pair.slice(equals + 1));
    if (key === undefined || value === undefined) return { ok: false, reason: `form field ${JSON.stringify(rawKey.slice(0, 60))} is not valid percent-encoded UTF-8` };
    if (key.length > FORM_LIMITS.maxKeyLength) return { ok: false, reason: `a form field name is longer than ${FORM_LIMITS.maxKeyLength} characters` };
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) return { ok: false, reason: `form field ${JSON.stringify(key.slice(0, 60))} ${problem}` };
    const path = keyPath(key);
    if (!path) return { ok: false, reason: `form field name ${JSON.stringify(key.slice(0, 60))} has unbalanced brackets` };
    if (path.length > FORM_LIMITS.maxDepth) return { ok: false, reason: `form field ${JSON.stringify(key.slice(0, 60))} is nested deeper than ${FORM_LIMITS.maxDepth} levels (the limit)` };
    if (path.includes('__proto__')) return { ok: false, reason: `form field ${JSON.stringify(key.slice(0, 60))}: __proto__ is not accepted as a field name` };
    let node = form;
    for (let depth = 0; depth < path.length; depth++) {
      let name = path[depth];
      if (name === '') name = String(Object.keys(node).length);
      const last = depth === path.length - 1;
      const existing = node[name];
      if (last) {
        if (typeof existing === 'object') return { ok: false, reason: `form field ${JSON.stringify(key.slice(0, 60))} is given both as a value and as a group` };
        node[name] = value;
      } else {
        if (typeof existing === 'string') return { ok: false, reason: `form field ${JSON.stringify(key.slice(0, 60))} is given both as a value and as a group` };
        if (existing === undefined) node[name] = emptyRecord<string | FormTree>() as FormTree;
        node = node[name] as FormTree;
      }
    }
  }
  return { ok: true, form };
}

/** The items of a PHP list (`x[0]`, `x[1]`, …) in index order; other keys are left out. */
export function listItems(node: string | FormTree | undefined): Array<{ index: string; item: string | FormTree }> {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((key) => /^\d{1,6}$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((index) => ({ index, item: node[index] }));
}

/** A nested field as text (`field(form, "auth", "application_token")`), undefined when absent or a group. */
export function field(node: string | FormTree | undefined, ...path: string[]): string | undefined {
  let at: string | FormTree | undefined = node;
  for (const name of path) {
    if (at === undefined || typeof at === 'string') return undefined;
    at = Object.prototype.hasOwnProperty.call(at, name) ? at[name] : undefined;
  }
  return typeof at === 'string' ? at : undefined;
}

/** Encodes a tree back into a PHP-style form body (tests and payload builders). */
export function encodePhpForm(tree: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return;
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) walk(`${prefix}[${key}]`, child);
    } else parts.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(value === null ? '' : String(value))}`);
  };
  for (const [key, value] of Object.entries(tree)) {
    if (value !== null && typeof value === 'object') {
      for (const [child, inner] of Object.entries(value as Record<string, unknown>)) walk(`${key}[${child}]`, inner);
    } else walk(key, value);
  }
  return parts.join('&');
}
