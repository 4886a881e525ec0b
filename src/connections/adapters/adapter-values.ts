import { createHash, timingSafeEqual } from 'node:crypto';
import { textProblem } from '../../common/hostile-input.js';

/**
 * Small pieces the pure CRM adapters (pipedrive, amocrm, bitrix24, salesforce) share: constant-time
 * comparison of secrets, strict decoding of a body's bytes, and CRM values read as text (rules
 * compare values as text, and what is kept must be storable on SQLite and PostgreSQL alike).
 */

/**
 * Whether two secrets are equal, in time that depends on neither: both are hashed first, so
 * timingSafeEqual compares digests of equal length and a wrong length leaks nothing either.
 */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as text, or why it cannot be read: invalid UTF-8, a NUL, a lone surrogate. */
export function bodyText(rawBody: Buffer): { ok: true; text: string } | { ok: false; reason: string } {
  let text: string;
  try {
    text = UTF8.decode(rawBody);
  } catch {
    return { ok: false, reason: 'body is not valid UTF-8' };
  }
  const problem = textProblem(text);
  return problem ? { ok: false, reason: `body ${problem}` } : { ok: true, text };
}

/**
 * A CRM value as Concord keeps it: text for a string, number or boolean, null for null; undefined
 * for what has no text form (objects, arrays) or holds what no field may (NUL, lone surrogate).
 */
export function valueText(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return textProblem(value) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** A record with no prototype, so a CRM field named like an Object.prototype member stays data. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A time given as unix seconds, milliseconds (numbers or digit strings: below 10^11 is seconds,
 * i.e. before year 5138) or an ISO 8601 text; undefined when it is none of these.
 */
export function timeFrom(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d{1,16}(\.\d+)?$/.test(value)) {
    const n = Number(value);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) {
    // A time without zone is taken as UTC (Pipedrive's update_time style), never as the server's zone.
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
    ms = Date.parse(zoned.replace(' ', 'T'));
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return undefined;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Short stable hash for keys built from a change's content. */
export function contentHash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex').slice(0, 32);
}
