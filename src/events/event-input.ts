import { createHash } from 'node:crypto';
import { findInputProblem } from '../common/hostile-input.js';
import { isInstant } from '../common/instant.validator.js';
import { fieldErrors, type FieldErrors } from '../common/errors.js';
import { EVENT_TYPE_PATTERN } from '../common/event-type.js';
import type { EventAttributes } from './event.entity.js';

/**
 * Reading one event as sent by a CRM, by hand rather than with class-validator: a batch of 1,000
 * is read in a millisecond, and each item gets its own verdict.
 */
export interface EventInput {
  type: string;
  subject: string;
  occurredAt: Date;
  attributes: EventAttributes;
  key: string | null;
  /** "k:<key>" or "h:<hash of the content>": what makes a repeat a repeat. */
  dedupeKey: string;
}

export type EventReading = { event: EventInput } | { errors: FieldErrors };

const FIELDS = new Set(['type', 'subject', 'occurredAt', 'attributes', 'key']);
const MAX_ATTRIBUTES = 50;
const MAX_TEXT = 1000;
/** Clocks on CRMs drift; a day ahead is a mistake, not drift. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;
const EARLIEST = Date.UTC(1901, 0, 1);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The content hash of a keyless event: the same fact sent twice hashes the same. */
export function contentHash(type: string, subject: string, occurredAt: number, attributes: EventAttributes): string {
  const sorted = Object.keys(attributes)
    .sort()
    .map((name) => [name, attributes[name]]);
  return createHash('sha256').update(JSON.stringify([type, subject, occurredAt, sorted])).digest('hex');
}

export function readEvent(input: unknown, now: number): EventReading {
  if (!isPlainObject(input)) return { errors: { event: ['must be an object with type, subject and occurredAt'] } };
  const errors: FieldErrors = fieldErrors();
  const fail = (field: string, message: string) => (errors[field] ??= []).push(`${field} ${message}`);
  // NUL, lone surrogates, `__proto__` keys and deep nesting, anywhere in the event: refused before
  // reading (attribute names like `constructor` or `toString` are ordinary names and are kept).
  const hostile = findInputProblem(input);
  if (hostile) {
    fail(hostile.path, hostile.message);
    return { errors };
  }
  for (const field of Object.keys(input)) if (!FIELDS.has(field)) fail(field, 'is not a known field');

  const { type, subject, occurredAt, attributes, key } = input;
  if (typeof type !== 'string' || type.length > 100 || !EVENT_TYPE_PATTERN.test(type)) {
    fail('type', 'must be an event type such as "lead.handed_over"');
  }
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 200) {
    fail('subject', 'must be a text of 1 to 200 characters (the CRM id, e.g. "L-1042")');
  }
  let occurred = NaN;
  if (!isInstant(occurredAt)) {
    fail('occurredAt', 'must be an ISO 8601 instant with its offset, e.g. 2026-11-02T09:15:00+01:00');
  } else {
    occurred = Date.parse(occurredAt);
    if (occurred > now + FUTURE_TOLERANCE_MS) fail('occurredAt', 'is more than a day in the future');
    if (occurred < EARLIEST) fail('occurredAt', 'is before 1901');
  }
  const clean: EventAttributes = {};
  if (attributes !== undefined && attributes !== null) {
    if (!isPlainObject(attributes)) {
      fail('attributes', 'must be an object of name → text, number, boolean or null');
    } else {
      const names = Object.keys(attributes);
      if (names.length > MAX_ATTRIBUTES) fail('attributes', `must have at most ${MAX_ATTRIBUTES} entries`);
      for (const name of names) {
        const value = attributes[name];
        const valid =
          value === null ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          (typeof value === 'string' && value.length <= MAX_TEXT);
        if (!valid || name.length === 0 || name.length > 100) {
          fail(`attributes.${name}`, `must be a text of at most ${MAX_TEXT} characters, a number, a boolean or null`);
        } else {
          clean[name] = value as EventAttributes[string];
        }
      }
    }
  }
  if (key !== undefined && key !== null && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
    fail('key', 'must be a text of 1 to 200 characters');
  }
  if (Object.keys(errors).length > 0) return { errors };

  const event = {
    type: type as string,
    subject: subject as string,
    occurredAt: new Date(occurred),
    attributes: clean,
    key: (key as string | undefined) ?? null,
  };
  const dedupeKey = event.key !== null ? `k:${event.key}` : `h:${contentHash(event.type, event.subject, occurred, clean)}`;
  return { event: { ...event, dedupeKey } };
}

/** Whether a stored event says the same as a new one (a repeat), or the key was reused for another. */
export function sameContent(
  stored: { type: string; subject: string; occurredAt: number; attributes: EventAttributes },
  event: EventInput,
): boolean {
  return (
    stored.type === event.type &&
    stored.subject === event.subject &&
    stored.occurredAt === event.occurredAt.getTime() &&
    contentHash(stored.type, stored.subject, stored.occurredAt, stored.attributes) ===
      contentHash(event.type, event.subject, event.occurredAt.getTime(), event.attributes)
  );
}
