import { DateTime } from 'luxon';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import type { AttributeMatch, ConversionTerms, EventFilter, QuotaTerms, ResponseTarget, ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import { numeric, rows, text } from '../forms.js';
import { ENGLISH, type Reader } from './reader.js';

/**
 * The agreement editor's form: what heads type (all text), to and from the API's terms. Field
 * names are the API's paths (`response.targets[0].within`) so that the errors the API and the
 * tracking domain name land next to the field that caused them.
 */
export interface FilterFields {
  type: string;
  /** `score=hot|warm, region=EU`: attribute equality, `|` meaning "any of". */
  when: string;
}

export interface TargetFields {
  name: string;
  when: string;
  /** The number typed ("1"), or, with the unit `iso`, an ISO 8601 duration ("P1DT2H"). */
  within: string;
  /** One of WITHIN_UNITS; empty when a client posts the ISO form alone (read as `iso`). */
  unit: string;
}

/**
 * How the editor takes a duration: a number and a unit of business time ("1" working hours, "2"
 * business days), or, for integrators and durations of mixed units, the ISO 8601 form the API keeps.
 */
export const WITHIN_UNITS = ['minutes', 'hours', 'days', 'iso'] as const;
export type WithinUnit = (typeof WITHIN_UNITS)[number];

/** A stored ISO target as the editor shows it: PT1H → 1 hours, P2D → 2 days, PT30M → 30 minutes; anything else stays ISO. */
export function splitWithin(iso: string): { within: string; unit: WithinUnit } {
  if (iso === '') return { within: '', unit: 'hours' };
  const match = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(iso);
  if (!match) return { within: iso, unit: 'iso' };
  if (match[1] !== undefined) return { within: String(Number(match[1])), unit: 'days' };
  if (match[2] !== undefined) return { within: String(Number(match[2])), unit: 'hours' };
  return { within: String(Number(match[3])), unit: 'minutes' };
}

/**
 * The ISO 8601 duration of a number and a unit ("1", "hours" → PT1H), or a problem to show under
 * the field; the ISO unit (or none posted) passes the text on as typed, for the domain to judge.
 */
export function joinWithin(within: string, unit: string): { iso: string; problem?: string } {
  if (unit === '' || unit === 'iso' || within === '') return { iso: within };
  if (!(WITHIN_UNITS as readonly string[]).includes(unit)) return { iso: within, problem: `unit must be one of ${WITHIN_UNITS.join(', ')}` };
  if (!/^\d{1,6}$/.test(within) || Number(within) === 0) return { iso: within, problem: `must be a whole number of ${unit} above 0 (not "${within}")` };
  const amount = Number(within);
  return { iso: unit === 'days' ? `P${amount}D` : unit === 'hours' ? `PT${amount}H` : `PT${amount}M` };
}

export interface AgreementFormValues {
  kind: string;
  name: string;
  providerDepartmentId: string;
  consumerDepartmentId: string;
  calendarId: string;
  stageId: string;
  response: {
    startOn: FilterFields;
    stopOn: FilterFields;
    pauseOn: FilterFields;
    resumeOn: FilterFields;
    cancelOn: FilterFields;
    targets: TargetFields[];
    goalPercent: string;
    warnAtPercent: string;
  };
  quota: { countOn: FilterFields; period: string; minimum: string };
  /** `within` and `withinUnit` as a target's: a number and a unit of business time, or the ISO form. */
  conversion: { fromStageId: string; toStageId: string; within: string; withinUnit: string; period: string; minimumPercent: string };
  /** The CRM's address of a subject, with {subject} where its id goes; empty: none. */
  subjectLink: string;
  /** A date or an instant typed; empty: measured from the approval. */
  measureFrom: string;
  /** `last-month`: the start of last month on the editor's calendar, whatever is typed. */
  measureFromShortcut: string;
}

export const RESPONSE_FILTERS = ['startOn', 'stopOn', 'pauseOn', 'resumeOn', 'cancelOn'] as const;
export type ResponseFilterName = (typeof RESPONSE_FILTERS)[number];
/** An agreement may list up to 20 targets (the tracking domain's limit). */
export const MAX_TARGET_ROWS = 20;

const blankFilter = (): FilterFields => ({ type: '', when: '' });
const blankTarget = (): TargetFields => ({ name: '', when: '', within: '', unit: 'hours' });

export function blankForm(kind = 'response'): AgreementFormValues {
  return {
    kind,
    name: '',
    providerDepartmentId: '',
    consumerDepartmentId: '',
    calendarId: '',
    stageId: '',
    response: {
      startOn: blankFilter(),
      stopOn: blankFilter(),
      pauseOn: blankFilter(),
      resumeOn: blankFilter(),
      cancelOn: blankFilter(),
      targets: [],
      goalPercent: '95',
      warnAtPercent: '80',
    },
    quota: { countOn: blankFilter(), period: 'month', minimum: '' },
    conversion: { fromStageId: '', toStageId: '', within: '10', withinUnit: 'days', period: 'month', minimumPercent: '' },
    subjectLink: '',
    measureFrom: '',
    measureFromShortcut: '',
  };
}

/** `{ score: ['hot', 'warm'], region: 'EU' }` → `score=hot|warm, region=EU`. */
export function formatMatch(match: AttributeMatch | undefined): string {
  if (!match) return '';
  return Object.entries(match)
    .map(([attribute, expected]) => `${attribute}=${Array.isArray(expected) ? expected.join('|') : String(expected)}`)
    .join(', ');
}

/**
 * The reverse of formatMatch. Values stay text: the tracking domain compares attribute values as
 * text anyway ("5" matches 5). Attribute names and values are checked by the domain, not here.
 */
export function parseMatch(typed: string): { match?: AttributeMatch; problem?: string } {
  const trimmed = typed.trim();
  if (trimmed === '') return {};
  const match: AttributeMatch = {};
  for (const part of trimmed.split(',').map((piece) => piece.trim()).filter(Boolean)) {
    const equals = part.indexOf('=');
    const attribute = equals > 0 ? part.slice(0, equals).trim() : '';
    const values = equals > 0 ? part.slice(equals + 1).split('|').map((value) => value.trim()).filter(Boolean) : [];
    if (!attribute || values.length === 0) return { problem: `write attribute=value pairs separated by commas, e.g. score=hot|warm, region=EU (not "${part}")` };
    if (attribute in match) return { problem: `names ${attribute} twice` };
    match[attribute] = values.length === 1 ? values[0] : values;
  }
  return { match };
}

function filterFields(filter: EventFilter | undefined): FilterFields {
  return filter ? { type: filter.type, when: formatMatch(filter.when) } : blankFilter();
}

const numberText = (value: number | undefined | null): string => (value === undefined || value === null ? '' : String(value));

/** The form as it opens on stored terms (a version of an agreement). */
export function formOfTerms(
  kind: string,
  version: {
    name: string;
    calendarId: string;
    stageId: string | null;
    response: ResponseTerms | null;
    quota: QuotaTerms | null;
    conversion?: ConversionTerms | null;
    subjectLink?: string | null;
    measureFrom?: string | null;
  },
  parties: { providerDepartmentId: string; consumerDepartmentId: string },
): AgreementFormValues {
  const values = blankForm(kind);
  values.name = version.name;
  values.providerDepartmentId = parties.providerDepartmentId;
  values.consumerDepartmentId = parties.consumerDepartmentId;
  values.calendarId = version.calendarId;
  values.stageId = version.stageId ?? '';
  values.subjectLink = version.subjectLink ?? '';
  values.measureFrom = version.measureFrom ?? '';
  const response = version.response;
  if (response) {
    for (const name of RESPONSE_FILTERS) values.response[name] = filterFields(response[name]);
    values.response.targets = response.targets.map((target) => ({ name: target.name ?? '', when: formatMatch(target.when), ...splitWithin(target.within) }));
    values.response.goalPercent = numberText(response.goalPercent);
    values.response.warnAtPercent = numberText(response.warnAtPercent);
  }
  if (version.quota) {
    values.quota = { countOn: filterFields(version.quota.countOn), period: version.quota.period, minimum: numberText(version.quota.minimum) };
  }
  const conversion = version.conversion;
  if (conversion) {
    values.conversion = {
      fromStageId: conversion.fromStageId,
      toStageId: conversion.toStageId,
      ...(({ within, unit }) => ({ within, withinUnit: unit }))(splitWithin(conversion.within)),
      period: conversion.period,
      minimumPercent: numberText(conversion.minimumPercent),
    };
  }
  return values;
}

const typed = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function readFilter(value: unknown): FilterFields {
  const plain = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return { type: typed(plain.type), when: typed(plain.when) };
}

/**
 * What was posted, as form values: trimmed text, target rows left blank dropped (the rows are
 * renumbered, and so are the domain's error paths, since both come from this list).
 */
export function readForm(body: unknown): AgreementFormValues {
  const posted = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const response = (posted.response && typeof posted.response === 'object' ? posted.response : {}) as Record<string, unknown>;
  const quota = (posted.quota && typeof posted.quota === 'object' ? posted.quota : {}) as Record<string, unknown>;
  const conversion = (posted.conversion && typeof posted.conversion === 'object' ? posted.conversion : {}) as Record<string, unknown>;
  const values = blankForm(typed(posted.kind));
  values.name = typed(posted.name);
  values.providerDepartmentId = typed(posted.providerDepartmentId);
  values.consumerDepartmentId = typed(posted.consumerDepartmentId);
  values.calendarId = typed(posted.calendarId);
  values.stageId = typed(posted.stageId);
  for (const name of RESPONSE_FILTERS) values.response[name] = readFilter(response[name]);
  // A row's unit alone (the select always posts one) does not make it typed.
  values.response.targets = rows(response.targets)
    .map((row) => ({ name: typed(row.name), when: typed(row.when), within: typed(row.within), unit: typed(row.withinUnit) }))
    .filter((row) => row.name !== '' || row.when !== '' || row.within !== '')
    .slice(0, MAX_TARGET_ROWS + 1);
  values.response.goalPercent = typed(response.goalPercent);
  values.response.warnAtPercent = typed(response.warnAtPercent);
  values.quota = { countOn: readFilter(quota.countOn), period: typed(quota.period), minimum: typed(quota.minimum) };
  values.conversion = {
    fromStageId: typed(conversion.fromStageId),
    toStageId: typed(conversion.toStageId),
    within: typed(conversion.within),
    withinUnit: typed(conversion.withinUnit),
    period: typed(conversion.period),
    minimumPercent: typed(conversion.minimumPercent),
  };
  values.subjectLink = typed(posted.subjectLink);
  values.measureFrom = typed(posted.measureFrom);
  values.measureFromShortcut = typed(posted.measureFromShortcut);
  return values;
}

/** The editor's shortcuts for measureFrom. */
export const MEASURE_FROM_SHORTCUTS = ['', 'last-month'] as const;

/** The first instant of the month before the one `now` falls in, in a time zone, with its offset. */
export function startOfLastMonth(now: Date, zone: string): string {
  return DateTime.fromJSDate(now).setZone(zone).startOf('month').minus({ months: 1 }).toISO({ suppressMilliseconds: true }) as string;
}

/**
 * measureFrom as the API takes it, from the editor's two fields: the shortcut computed on the
 * calendar's zone at `now`, a day typed as its midnight on that zone, an instant as typed (the
 * API names what is wrong with it); null when nothing is typed (from the approval).
 */
export function measureFromOfForm(values: AgreementFormValues, now: Date, zone: string): { measureFrom: string | null; errors: FieldErrors } {
  if (values.measureFromShortcut === 'last-month') return { measureFrom: startOfLastMonth(now, zone), errors: {} };
  if (values.measureFromShortcut !== '') {
    return { measureFrom: null, errors: { measureFromShortcut: ['measureFromShortcut must be empty or last-month'] } };
  }
  const typedText = values.measureFrom;
  if (typedText === '') return { measureFrom: null, errors: {} };
  if (/^\d{4}-\d{2}-\d{2}$/.test(typedText)) {
    const day = DateTime.fromISO(typedText, { zone });
    if (!day.isValid) return { measureFrom: null, errors: { measureFrom: [`measureFrom must be a date such as 2026-11-01, or an instant with its offset`] } };
    return { measureFrom: day.toISO({ suppressMilliseconds: true }) as string, errors: {} };
  }
  return { measureFrom: typedText, errors: {} };
}

/** The form with room to add targets: the rows typed, then blank ones. */
export function targetRowsOf(values: AgreementFormValues, blank = 2): TargetFields[] {
  const targets = [...values.response.targets];
  const wanted = Math.min(MAX_TARGET_ROWS, Math.max(targets.length + blank, 3));
  while (targets.length < wanted) targets.push(blankTarget());
  return targets;
}

export interface TermsOfForm {
  name?: string;
  calendarId?: string;
  stageId: string | null;
  /** null removes the link (the API's PATCH keeps what is there only when the field is absent). */
  subjectLink: string | null;
  response?: ResponseTerms;
  quota?: QuotaTerms;
  conversion?: ConversionTerms;
}

/**
 * The API's request from the form's text, plus the problems only the form can have (a `when`
 * that does not read as attribute=value). Everything else is left as typed, for the API's DTOs
 * and the tracking domain to judge and name: blank required text is sent empty, not dropped.
 */
export function termsOfForm(values: AgreementFormValues, kind: 'response' | 'quota' | 'conversion'): { terms: TermsOfForm; errors: FieldErrors } {
  const errors: FieldErrors = fieldErrors();
  const matchAt = (typedMatch: string, path: string): AttributeMatch | undefined => {
    const { match, problem } = parseMatch(typedMatch);
    if (problem) errors[path] = [`${path} ${problem}`];
    return match;
  };
  const filterAt = (fields: FilterFields, path: string): EventFilter => {
    const when = matchAt(fields.when, `${path}.when`);
    return when ? { type: fields.type, when } : { type: fields.type };
  };
  const terms: TermsOfForm = { name: text(values.name) ?? '', calendarId: text(values.calendarId) ?? '', stageId: text(values.stageId) ?? null, subjectLink: text(values.subjectLink) ?? null };
  if (kind === 'response') {
    const form = values.response;
    const response = {
      startOn: filterAt(form.startOn, 'response.startOn'),
      stopOn: filterAt(form.stopOn, 'response.stopOn'),
      targets: form.targets.map((target, index): ResponseTarget => {
        const when = matchAt(target.when, `response.targets[${index}].when`);
        const { iso, problem } = joinWithin(target.within, target.unit);
        if (problem) errors[`response.targets[${index}].within`] = [`response.targets[${index}].within ${problem}`];
        return { ...(target.name ? { name: target.name } : {}), ...(when ? { when } : {}), within: iso };
      }),
      goalPercent: numeric(form.goalPercent),
      ...(text(form.warnAtPercent) !== undefined ? { warnAtPercent: numeric(form.warnAtPercent) } : {}),
    } as Record<string, unknown>;
    // The optional events: a row left blank is not sent; one half-filled is, for the domain to name.
    for (const name of ['pauseOn', 'resumeOn', 'cancelOn'] as const) {
      if (form[name].type || form[name].when) response[name] = filterAt(form[name], `response.${name}`);
    }
    terms.response = response as unknown as ResponseTerms;
  } else if (kind === 'conversion') {
    const { withinUnit, ...conversion } = values.conversion;
    const { iso, problem } = joinWithin(conversion.within, withinUnit);
    if (problem) errors['conversion.within'] = [`conversion.within ${problem}`];
    terms.conversion = { ...conversion, within: iso, minimumPercent: numeric(values.conversion.minimumPercent) } as unknown as ConversionTerms;
  } else {
    terms.quota = {
      countOn: filterAt(values.quota.countOn, 'quota.countOn'),
      period: values.quota.period,
      minimum: numeric(values.quota.minimum),
    } as unknown as QuotaTerms;
  }
  return { terms, errors };
}

const parentPath = (path: string): string | null => {
  const match = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(path);
  return match ? match[1] : null;
};

/**
 * Moves each error to the field that shows it: the path itself when the form has such a field,
 * else its `type` (an event filter named as a whole), else its nearest enclosing field or group
 * (`response.targets[0].when.score` → `response.targets[0].when`). Paths the form does not know at
 * all stay as they are, listed at the top of the form.
 */
export function foldErrors(errors: FieldErrors, known: ReadonlySet<string>): FieldErrors {
  const folded: FieldErrors = fieldErrors();
  for (const [path, messages] of Object.entries(errors)) {
    let target: string | null = null;
    if (known.has(path)) target = path;
    else if (known.has(`${path}.type`)) target = `${path}.type`;
    else {
      for (let parent = parentPath(path); parent !== null; parent = parentPath(parent)) {
        if (known.has(parent)) {
          target = parent;
          break;
        }
      }
    }
    (folded[target ?? path] ??= []).push(...messages);
  }
  return folded;
}

/** Every field and group path the editor shows, for foldErrors. */
export function editorPaths(targetRows: number): Set<string> {
  const paths = ['kind', 'name', 'providerDepartmentId', 'consumerDepartmentId', 'calendarId', 'stageId', 'subjectLink', 'measureFromShortcut', 'measureFrom', 'response', 'quota', 'response.targets'];
  for (const name of RESPONSE_FILTERS) paths.push(`response.${name}.type`, `response.${name}.when`);
  for (let index = 0; index < targetRows; index++) {
    paths.push(`response.targets[${index}]`, `response.targets[${index}].name`, `response.targets[${index}].when`, `response.targets[${index}].within`);
  }
  paths.push('response.goalPercent', 'response.warnAtPercent', 'quota.countOn.type', 'quota.countOn.when', 'quota.period', 'quota.minimum');
  paths.push('conversion', ...['fromStageId', 'toStageId', 'within', 'withinUnit', 'period', 'minimumPercent'].map((field) => `conversion.${field}`));
  return new Set(paths);
}

export interface DayWindow {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day (inclusive), YYYY-MM-DD. */
  to: string;
}

/** The calendar quarter before the one `now` falls in, in a time zone. */
export function previousQuarter(now: Date, zone: string): DayWindow {
  const start = DateTime.fromJSDate(now).setZone(zone).startOf('quarter').minus({ quarters: 1 });
  return { from: start.toISODate() as string, to: start.endOf('quarter').toISODate() as string };
}

/** The week, month or quarter `now` falls in, in a time zone, as instants [from, to); `before` more periods before it. */
export function periodAround(now: Date, zone: string, period: 'week' | 'month' | 'quarter', before = 0): { from: string; to: string } {
  const start = DateTime.fromJSDate(now).setZone(zone).startOf(period);
  return { from: start.minus({ [`${period}s`]: before }).toISO() as string, to: start.plus({ [`${period}s`]: 1 }).toISO() as string };
}

/**
 * Days typed in a form (first and last, inclusive) as the instants [from, to) a window query
 * takes, in the reader's time zone; a day that is not a real date is named.
 */
export function dayWindow(days: { from: string; to: string }, zone: string): { window?: { from: string; to: string }; errors: FieldErrors } {
  const errors: FieldErrors = fieldErrors();
  const dayAt = (field: 'from' | 'to'): DateTime | undefined => {
    const day = DateTime.fromISO(days[field], { zone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(days[field]) || !day.isValid) {
      errors[field] = [`${field} must be a date such as 2026-07-01`];
      return undefined;
    }
    return day;
  };
  const from = dayAt('from');
  const to = dayAt('to');
  if (!from || !to) return { errors };
  if (to < from) return { errors: { to: ['to must not be before from'] } };
  return { window: { from: from.toISO() as string, to: to.plus({ days: 1 }).toISO() as string }, errors };
}

/** "Q3 2026" when the days are exactly a calendar quarter, else "1 Jul 2026 – 30 Sep 2026". */
export function windowLabel(days: DayWindow, reader: Reader = ENGLISH): string {
  const from = DateTime.fromISO(days.from);
  const to = DateTime.fromISO(days.to);
  if (from.isValid && to.isValid && from.equals(from.startOf('quarter')) && to.hasSame(from, 'quarter') && to.equals(to.endOf('quarter').startOf('day'))) {
    return reader.t('agreements.replay.quarter', { quarter: from.quarter, year: String(from.year) });
  }
  if (reader.locale === 'en' || !from.isValid || !to.isValid) return `${from.toFormat('d LLL yyyy')} – ${to.toFormat('d LLL yyyy')}`;
  // The language's own range ("1–30 sept. 2026", "1–30 сент. 2026 г."), read on UTC: the days are days, not instants.
  return new Intl.DateTimeFormat(reader.locale, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(Date.parse(`${days.from}T00:00:00Z`), Date.parse(`${days.to}T00:00:00Z`));
}
