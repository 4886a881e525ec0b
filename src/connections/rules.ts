import { createHash } from 'node:crypto';
import { EVENT_TYPE_PATTERN } from '../common/event-type.js';
import { fieldErrors, type FieldErrors } from '../common/errors.js';
import type { CrmChange } from './adapters/crm-adapter.js';

/**
 * A connection's rules, pure: how they are checked, and how a delivery's changes become Concord
 * events through them and the objects' last known properties.
 *
 * A rule `{ on: { object, property, to, from? }, emit }` matches a change of `object` that set
 * `property` to `to` (one value or a list; compared as text), and, with `from`, only when the
 * value before was `from`. `attributes` (`{ eventAttribute: crmProperty }`) fill the event from
 * the object's last known values.
 */

export interface RuleCondition {
  object: string;
  property: string;
  to: string | string[];
  from?: string | string[];
}

export interface ConnectionRule {
  on: RuleCondition;
  emit: string;
}

/** Event attribute name → CRM property. */
export type AttributeMapping = Record<string, string>;

export const MAX_RULES = 100;
export const MAX_ATTRIBUTES = 50;
const NAME = /^[A-Za-z0-9_$][\w$.:-]{0,99}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValues(value: unknown, path: string, fail: (path: string, message: string) => void): void {
  const ok = (item: unknown) => typeof item === 'string' && item.length <= 1000;
  if (Array.isArray(value) ? value.length === 0 || value.length > 100 || !value.every(ok) : !ok(value)) {
    fail(path, 'must be a text, or a list of 1 to 100 texts (values are compared as text)');
  }
}

/** Checks `rules` as sent; errors are named like `rules[1].on.property`. */
export function checkRules(value: unknown, errors: FieldErrors = fieldErrors()): FieldErrors {
  const fail = (path: string, message: string) => (errors[path] ??= []).push(`${path} ${message}`);
  if (!Array.isArray(value)) {
    fail('rules', 'must be a list of { on: { object, property, to }, emit }');
    return errors;
  }
  if (value.length > MAX_RULES) fail('rules', `must have at most ${MAX_RULES} rules`);
  value.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (!isPlainObject(rule)) return fail(at, 'must be an object { on, emit }');
    for (const key of Object.keys(rule)) if (key !== 'on' && key !== 'emit') fail(`${at}.${key}`, 'is not a known field');
    if (typeof rule.emit !== 'string' || rule.emit.length > 100 || !EVENT_TYPE_PATTERN.test(rule.emit)) {
      fail(`${at}.emit`, 'must be an event type such as "lead.handed_over"');
    }
    const on = rule.on;
    if (!isPlainObject(on)) return fail(`${at}.on`, 'must be an object { object, property, to, from? }');
    for (const key of Object.keys(on)) if (!['object', 'property', 'to', 'from'].includes(key)) fail(`${at}.on.${key}`, 'is not a known field');
    if (typeof on.object !== 'string' || !/^[a-z][a-z0-9_]{0,49}$/.test(on.object)) {
      fail(`${at}.on.object`, 'must be a CRM object type in lower case, such as "contact", "deal" or "lead"');
    }
    if (typeof on.property !== 'string' || !NAME.test(on.property)) fail(`${at}.on.property`, 'must name a CRM property, such as "hs_lead_status"');
    checkValues(on.to, `${at}.on.to`, fail);
    if (on.from !== undefined) checkValues(on.from, `${at}.on.from`, fail);
  });
  return errors;
}

/** Checks `attributes` as sent: `{ eventAttribute: crmProperty }`. */
export function checkAttributes(value: unknown, errors: FieldErrors = fieldErrors()): FieldErrors {
  const fail = (path: string, message: string) => (errors[path] ??= []).push(`${path} ${message}`);
  if (!isPlainObject(value)) {
    fail('attributes', 'must be an object of event attribute → CRM property, such as { "score": "lead_temperature" }');
    return errors;
  }
  const names = Object.keys(value);
  if (names.length > MAX_ATTRIBUTES) fail('attributes', `must have at most ${MAX_ATTRIBUTES} entries`);
  for (const name of names) {
    if (name.length === 0 || name.length > 100) fail(`attributes.${name}`, 'must be named with 1 to 100 characters');
    const property = value[name];
    if (typeof property !== 'string' || !NAME.test(property)) fail(`attributes.${name}`, 'must name a CRM property, such as "lead_temperature"');
  }
  return errors;
}

/** Event types the rules emit, each once. */
export function emittedTypes(rules: readonly ConnectionRule[]): string[] {
  return [...new Set(rules.map((rule) => rule.emit))];
}

/** What is known of one property of one object: its value, and the CRM's time of the change that set it. */
export interface KnownProperty {
  value: string | null;
  changedAt: number;
}

/** Last known properties of the objects a delivery touches, by `objectKey(object, id)`. */
export type ObjectStates = Map<string, Record<string, KnownProperty>>;

export function objectKey(object: string, objectId: string): string {
  return `${object}\u0000${objectId}`;
}

/** A property update to keep: applied only over an older change of that property. */
export interface PropertyUpdate {
  object: string;
  objectId: string;
  property: string;
  value: string | null;
  changedAt: number;
}

/** An event ready for EventsService.ingest. */
export interface MappedEvent {
  type: string;
  subject: string;
  occurredAt: string;
  key: string;
  attributes: Record<string, string | null>;
}

export interface MappingConnection {
  id: string;
  subjectPrefix: string;
  rules: readonly ConnectionRule[];
  attributes: Readonly<AttributeMapping>;
}

function valueMatches(expected: string | readonly string[], actual: string | null | undefined): boolean {
  if (actual === undefined || actual === null) return false;
  return typeof expected === 'string' ? expected === actual : expected.includes(actual);
}

/**
 * The event key: the connection's whole id, the CRM's id of the change and the type emitted.
 * Stable when rules are added or reordered, so a replay after a rule change produces only the
 * events that are missing; a change matching several rules gives one event per type.
 * The whole id, not a part: ids are UUIDv7, whose first 8 hex digits are the creation time in
 * 65-second steps, so two connections made in the same minute would share them — and HubSpot
 * event ids (small numbers per app), Pipedrive event UUIDs and Salesforce Notification ids are
 * unique only within one CRM account: a second connection's change would be taken for a repeat.
 */
export function eventKey(connectionId: string, changeKey: string, emit: string): string {
  const key = `${connectionId}:${changeKey}:${emit}`;
  return key.length <= 200 ? key : `${connectionId}:${createHash('sha256').update(`${changeKey}:${emit}`).digest('hex')}`;
}

/**
 * Turns changes into events, oldest change first (HubSpot batches and reorders: a score set at
 * 09:00 is known when a status changes at 09:01, whatever order the array has). Updates `states`
 * in place: a change older than what is known of a property does not overwrite it. `from`
 * compares with the value the CRM says was there before, or else the last known one; for a change
 * older than the last known one, the value before it is unknown and a rule with `from` does not match.
 */
export function mapChanges(
  changes: readonly CrmChange[],
  connection: MappingConnection,
  states: ObjectStates,
): { events: MappedEvent[]; updates: PropertyUpdate[]; matchedChanges: number } {
  const ordered = changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => a.change.occurredAt.getTime() - b.change.occurredAt.getTime() || a.index - b.index);
  const events: MappedEvent[] = [];
  const updates: PropertyUpdate[] = [];
  let matchedChanges = 0;
  for (const { change } of ordered) {
    const at = change.occurredAt.getTime();
    const stateKey = objectKey(change.object, change.objectId);
    const state = states.get(stateKey) ?? (Object.create(null) as Record<string, KnownProperty>);
    states.set(stateKey, state);
    const before: Record<string, string | null | undefined> = Object.create(null);
    const keep = (property: string, value: string | null) => {
      const known = state[property];
      if (known && known.changedAt > at) return false;
      state[property] = { value, changedAt: at };
      updates.push({ object: change.object, objectId: change.objectId, property, value, changedAt: at });
      return true;
    };
    for (const [property, value] of Object.entries(change.changed)) {
      const known = state[property];
      before[property] = change.previous && Object.hasOwn(change.previous, property) ? change.previous[property] : known && known.changedAt < at ? known.value : undefined;
      keep(property, value);
    }
    for (const [property, value] of Object.entries(change.known ?? {})) {
      if (!Object.hasOwn(change.changed, property)) keep(property, value);
    }
    const emitted = new Set<string>();
    for (const rule of connection.rules) {
      const { object, property, to, from } = rule.on;
      if (object !== change.object || !Object.hasOwn(change.changed, property)) continue;
      if (!valueMatches(to, change.changed[property])) continue;
      if (from !== undefined && !valueMatches(from, before[property])) continue;
      if (emitted.has(rule.emit)) continue;
      emitted.add(rule.emit);
      const attributes: Record<string, string | null> = {};
      for (const [name, crmProperty] of Object.entries(connection.attributes)) {
        const known = state[crmProperty];
        if (known !== undefined) attributes[name] = known.value;
      }
      events.push({
        type: rule.emit,
        subject: `${connection.subjectPrefix}${change.objectId}`,
        occurredAt: change.occurredAt.toISOString(),
        key: eventKey(connection.id, change.key, rule.emit),
        attributes,
      });
    }
    if (emitted.size > 0) matchedChanges += 1;
  }
  return { events, updates, matchedChanges };
}
