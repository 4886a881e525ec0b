import { CONNECTION_KINDS, type ConnectionKind } from '../../connections/adapters/crm-adapter.js';
import type { ConnectionView } from '../../connections/connections.dto.js';
import { DELIVERY_OUTCOMES } from '../../connections/connection.entity.js';
import { checkAttributes, checkRules, type ConnectionRule } from '../../connections/rules.js';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { offsetOfText } from '../../common/pagination.js';
import { asRecord, dayStart, text } from '../forms.js';

/**
 * The connection form as typed or shown. Rule fields are named as the API names them
 * (`rules[1].on.property`, `rules[1].emit`), so its 400 lands under the right field; attributes
 * and settings are name/value rows, whose API errors (`attributes.score`) are found by name.
 */
export interface RuleRow {
  on: { object: string; property: string; to: string; from: string };
  emit: string;
}

export interface PairRow {
  name: string;
  value: string;
}

export interface ConnectionFormValues {
  name: string;
  kind: string;
  secret: string;
  subjectPrefix: string;
  departmentId: string;
  rules: RuleRow[];
  attributes: PairRow[];
  settings: PairRow[];
}

/** Blank rows offered after the filled ones (the page's script adds more). */
export const BLANK_ROWS = 2;

const blankRule = (): RuleRow => ({ on: { object: '', property: '', to: '', from: '' }, emit: '' });
const blankPair = (): PairRow => ({ name: '', value: '' });

/** The rows to show: those filled, then blank ones to fill. */
export function withBlankRows(values: ConnectionFormValues): ConnectionFormValues {
  return {
    ...values,
    rules: [...values.rules, ...Array.from({ length: BLANK_ROWS }, blankRule)],
    attributes: [...values.attributes, ...Array.from({ length: BLANK_ROWS }, blankPair)],
    settings: [...values.settings, ...Array.from({ length: BLANK_ROWS }, blankPair)],
  };
}

export function newConnectionValues(kind: string = 'hubspot'): ConnectionFormValues {
  return { name: '', kind, secret: '', subjectPrefix: '', departmentId: '', rules: [], attributes: [], settings: [] };
}

const listText = (value: string | string[] | undefined) => (value === undefined ? '' : Array.isArray(value) ? value.join(', ') : value);

export function connectionValuesOf(connection: ConnectionView): ConnectionFormValues {
  return {
    name: connection.name,
    kind: connection.kind,
    secret: '',
    subjectPrefix: connection.subjectPrefix,
    departmentId: connection.departmentId ?? '',
    rules: connection.rules.map((rule) => ({
      on: { object: rule.on.object, property: rule.on.property, to: listText(rule.on.to), from: listText(rule.on.from) },
      emit: rule.emit,
    })),
    attributes: Object.entries(connection.attributes).map(([name, value]) => ({ name, value })),
    settings: Object.entries(connection.settings).map(([name, value]) => ({ name, value })),
  };
}

/** Repeated rows as a list, whether qs made an array or (past 20 rows) an object of indexes. */
function rowList(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.entries(value).sort(([a], [b]) => Number(a) - Number(b)).map(([, row]) => row) : [];
  return list.map(asRecord);
}

const cell = (row: Record<string, unknown>, key: string) => (typeof row[key] === 'string' ? (row[key] as string).trim() : '');

/**
 * A posted connection form, trimmed; rows left entirely blank dropped, so row i is the API's
 * `rules[i]` and its errors land back on it. The secret is kept as typed (spaces may be part of it).
 */
export function typedConnection(body: unknown): ConnectionFormValues {
  const form = asRecord(body);
  const read = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
  const rules = rowList(form.rules)
    .map((row) => {
      const on = asRecord(row.on);
      return { on: { object: cell(on, 'object'), property: cell(on, 'property'), to: cell(on, 'to'), from: cell(on, 'from') }, emit: cell(row, 'emit') };
    })
    .filter((rule) => Object.values(rule.on).some(Boolean) || rule.emit !== '');
  const pairs = (value: unknown) => rowList(value).map((row) => ({ name: cell(row, 'name'), value: cell(row, 'value') })).filter((row) => row.name !== '' || row.value !== '');
  return {
    name: read('name'),
    kind: read('kind'),
    secret: typeof form.secret === 'string' ? form.secret : '',
    subjectPrefix: read('subjectPrefix'),
    departmentId: read('departmentId'),
    rules,
    attributes: pairs(form.attributes),
    settings: pairs(form.settings),
  };
}

/** "CONNECTED, IN_PROGRESS" → ["CONNECTED", "IN_PROGRESS"]; one value stays a text. */
export function valueList(typed: string): string | string[] {
  const values = typed.split(',').map((value) => value.trim()).filter(Boolean);
  return values.length === 1 ? values[0] : values;
}

function ruleOf(row: RuleRow): ConnectionRule {
  const on: ConnectionRule['on'] = { object: row.on.object, property: row.on.property, to: valueList(row.on.to) };
  if (row.on.from !== '') on.from = valueList(row.on.from);
  return { on, emit: row.emit };
}

/**
 * What the form asks the API for: the plain body CreateConnectionDto / UpdateConnectionDto
 * validate, plus the errors the form itself finds (an attribute or setting named twice, which an
 * object could not keep). On edit the kind is not sent and a secret left empty keeps the old one;
 * on create an empty secret is left out, for the kinds that generate one.
 */
export function requestOf(values: ConnectionFormValues, options: { editing: boolean; admin: boolean }): { plain: Record<string, unknown>; errors: FieldErrors } {
  const errors = fieldErrors();
  const objectOf = (rows: PairRow[], field: 'attributes' | 'settings') => {
    const object: Record<string, string> = {};
    rows.forEach((row, index) => {
      if (Object.hasOwn(object, row.name)) errors[`${field}[${index}].name`] = [`${field}[${index}].name "${row.name}" is given twice`];
      object[row.name] = row.value;
    });
    return object;
  };
  const plain: Record<string, unknown> = {
    name: values.name,
    subjectPrefix: values.subjectPrefix,
    rules: values.rules.map(ruleOf),
    attributes: objectOf(values.attributes, 'attributes'),
    settings: objectOf(values.settings, 'settings'),
  };
  if (!options.editing) plain.kind = values.kind;
  if (values.secret !== '') plain.secret = values.secret;
  if (options.admin) plain.departmentId = text(values.departmentId) ?? (options.editing ? null : undefined);
  if (plain.departmentId === undefined) delete plain.departmentId;
  // Refused here already: the rules' own errors are named at once too, not after the next post.
  if (Object.keys(errors).length > 0) {
    checkRules(plain.rules, errors);
    checkAttributes(plain.attributes, errors);
  }
  return { plain, errors };
}

/**
 * Moves each API error to the form field that shows it: a rule's own fields as named; a whole
 * rule or its `on` (an unknown key) to its object field; `attributes.score` to the row named
 * "score"; lists as a whole to their first row.
 */
export function errorsForForm(errors: FieldErrors | null | undefined, values: ConnectionFormValues): FieldErrors | null {
  if (!errors || Object.keys(errors).length === 0) return null;
  const shown: FieldErrors = fieldErrors();
  const ruleFields = new Set(['on.object', 'on.property', 'on.to', 'on.from', 'emit']);
  const targetOf = (path: string): string => {
    const rule = /^rules\[(\d+)\](?:\.(.*))?$/.exec(path);
    if (rule) return rule[2] !== undefined && ruleFields.has(rule[2]) ? path : `rules[${rule[1]}].on.object`;
    if (path === 'rules') return 'rules[0].on.object';
    for (const field of ['attributes', 'settings'] as const) {
      if (path === field) return `${field}[0].name`;
      if (path.startsWith(`${field}.`)) {
        const name = path.slice(field.length + 1);
        const index = values[field].findIndex((row) => row.name === name);
        return index >= 0 ? `${field}[${index}].value` : `${field}[0].name`;
      }
    }
    return path;
  };
  for (const [path, messages] of Object.entries(errors)) (shown[targetOf(path)] ??= []).push(...messages);
  return shown;
}

export function isKind(kind: string): kind is ConnectionKind {
  return (CONNECTION_KINDS as readonly string[]).includes(kind);
}

/** The sample typed on the connection page's test form. */
export interface TestFormValues {
  body: string;
  contentType: string;
}

export function typedTest(body: unknown): TestFormValues {
  const form = asRecord(body);
  return { body: typeof form.body === 'string' ? form.body : '', contentType: typeof form.contentType === 'string' ? form.contentType.trim() : '' };
}

/** How many deliveries the log shows at a time. */
export const DELIVERY_PAGE_SIZE = 50;

/** The delivery log's filters, as the address carries them. */
export interface DeliveryFilters {
  outcome?: string;
  from?: string;
  to?: string;
  offset?: string;
}

/**
 * Reads the log's filters: the values to show again, and the query DeliveriesQuery validates.
 * Dates are days in the reader's zone: "from" its first instant, "to" the first instant of the
 * day after, so the day typed is included. A date that is not one is an error under its field.
 */
export function readDeliveryFilters(filters: DeliveryFilters, zone: string) {
  const values = { outcome: text(filters.outcome) ?? '', from: text(filters.from) ?? '', to: text(filters.to) ?? '' };
  const errors: FieldErrors = fieldErrors();
  if (values.outcome !== '' && !(DELIVERY_OUTCOMES as readonly string[]).includes(values.outcome)) {
    errors.outcome = [`outcome must be one of ${DELIVERY_OUTCOMES.join(', ')}`];
  }
  const from = dayStart(values.from, zone, 'from', errors);
  const to = dayStart(values.to, zone, 'to', errors, true);
  if (from && to && new Date(to).getTime() <= new Date(from).getTime()) errors.to = ['to must not be before from'];
  const offset = offsetOfText(filters.offset);
  const query = {
    outcome: errors.outcome ? undefined : values.outcome || undefined,
    from,
    to,
    limit: String(DELIVERY_PAGE_SIZE),
    offset: String(offset),
  };
  return { values, offset, query, errors };
}
