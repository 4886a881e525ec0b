import { describeBusinessDuration, DurationError, parseBusinessDuration, type DefinitionProblem } from '../../calendars/business-time/index.js';
import { EVENT_TYPE_PATTERN } from '../../common/event-type.js';

/**
 * What an agreement promises, as heads write it, and the checks that keep a promise measurable.
 * Plain TypeScript: used by the API, the tracking engine and replays.
 */
export type AttributeValue = string | number | boolean;
/** Attribute → value, or a list meaning "any of". */
export type AttributeMatch = Record<string, AttributeValue | AttributeValue[]>;

export interface EventFilter {
  type: string;
  when?: AttributeMatch;
}

export interface ResponseTarget {
  /** How reports name this target ("hot"); by default the values of `when`, or "default". */
  name?: string;
  when?: AttributeMatch;
  /** ISO 8601 business duration: "PT1H", "P2D". */
  within: string;
}

export interface ResponseTerms {
  startOn: EventFilter;
  stopOn: EventFilter;
  pauseOn?: EventFilter;
  resumeOn?: EventFilter;
  /**
   * Abandons an open clock (a brief withdrawn, a lead disqualified): it counts neither met nor
   * breached, unless it had already fallen due. An event that also matches `stopOn` stops instead.
   */
  cancelOn?: EventFilter;
  targets: ResponseTarget[];
  /** Share of clocks that must be met, e.g. 95. */
  goalPercent: number;
  /** Share of a target after which a running clock is at risk, e.g. 80. */
  warnAtPercent?: number;
}

export const QUOTA_PERIODS = ['week', 'month', 'quarter'] as const;
export type QuotaPeriodKind = (typeof QUOTA_PERIODS)[number];

export interface QuotaTerms {
  countOn: EventFilter;
  period: QuotaPeriodKind;
  minimum: number;
}

/**
 * A shared KPI: of the subjects entering `fromStageId` in a period, at least `minimumPercent`
 * enter `toStageId` within `within` business time of their entry.
 */
export interface ConversionTerms {
  fromStageId: string;
  toStageId: string;
  /** ISO 8601 business duration, as a response target's: "P10D". */
  within: string;
  period: QuotaPeriodKind;
  minimumPercent: number;
}

/** What the conversion checks need to know of a funnel stage. */
export interface StageForTerms {
  id: string;
  name: string;
  position: number;
  enteredOn: EventFilter | null;
}

const ATTRIBUTE_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_TARGETS = 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is AttributeValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, problems: DefinitionProblem[]) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.push({ path: `${path}.${key}`, message: `is not a known field (expected ${allowed.join(', ')})` });
    }
  }
}

function checkMatch(value: unknown, path: string, problems: DefinitionProblem[]): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object of attribute → value (or list of values)' });
    return;
  }
  if (Object.keys(value).length === 0) problems.push({ path, message: 'must name at least one attribute' });
  for (const [attribute, expected] of Object.entries(value)) {
    const at = `${path}.${attribute}`;
    if (!ATTRIBUTE_PATTERN.test(attribute)) problems.push({ path: at, message: 'is not an attribute name' });
    if (Array.isArray(expected)) {
      if (expected.length === 0) problems.push({ path: at, message: 'must list at least one value' });
      else if (!expected.every(isScalar)) problems.push({ path: at, message: 'must list strings, numbers or booleans' });
    } else if (!isScalar(expected)) {
      problems.push({ path: at, message: 'must be a string, number or boolean, or a list of them' });
    }
  }
}

export function checkEventFilter(value: unknown, path: string, problems: DefinitionProblem[]): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an event filter such as { "type": "lead.handed_over" }' });
    return;
  }
  unknownKeys(value, ['type', 'when'], path, problems);
  if (typeof value.type !== 'string' || !EVENT_TYPE_PATTERN.test(value.type) || value.type.length > 100) {
    problems.push({ path: `${path}.type`, message: 'must be an event type such as "lead.handed_over"' });
  }
  if (value.when !== undefined) checkMatch(value.when, `${path}.when`, problems);
}

function checkPercent(value: unknown, path: string, required: boolean, problems: DefinitionProblem[]): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) {
    problems.push({ path, message: 'must be a number above 0 and at most 100' });
  }
}

function sameFilter(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function findResponseTermProblems(value: unknown, path = 'response'): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(value)) return [{ path, message: 'must be an object' }];
  unknownKeys(value, ['startOn', 'stopOn', 'pauseOn', 'resumeOn', 'cancelOn', 'targets', 'goalPercent', 'warnAtPercent'], path, problems);
  checkEventFilter(value.startOn, `${path}.startOn`, problems);
  checkEventFilter(value.stopOn, `${path}.stopOn`, problems);
  if (value.startOn !== undefined && sameFilter(value.startOn, value.stopOn)) {
    problems.push({ path: `${path}.stopOn`, message: 'must differ from startOn, or every clock would stop as it starts' });
  }
  if ((value.pauseOn === undefined) !== (value.resumeOn === undefined)) {
    const missing = value.pauseOn === undefined ? 'pauseOn' : 'resumeOn';
    problems.push({ path: `${path}.${missing}`, message: 'pauseOn and resumeOn go together' });
  }
  if (value.pauseOn !== undefined) checkEventFilter(value.pauseOn, `${path}.pauseOn`, problems);
  if (value.resumeOn !== undefined) checkEventFilter(value.resumeOn, `${path}.resumeOn`, problems);
  if (value.cancelOn !== undefined) {
    checkEventFilter(value.cancelOn, `${path}.cancelOn`, problems);
    if (sameFilter(value.cancelOn, value.startOn) || sameFilter(value.cancelOn, value.stopOn)) {
      problems.push({ path: `${path}.cancelOn`, message: 'must differ from startOn and stopOn, or it would cancel clocks as they start, or never' });
    } else if (sameFilter(value.cancelOn, value.pauseOn) || sameFilter(value.cancelOn, value.resumeOn)) {
      problems.push({ path: `${path}.cancelOn`, message: 'must differ from pauseOn and resumeOn, or the clock could never pause or resume' });
    }
  }

  const targets = value.targets;
  if (!Array.isArray(targets) || targets.length === 0 || targets.length > MAX_TARGETS) {
    problems.push({ path: `${path}.targets`, message: `must list 1 to ${MAX_TARGETS} targets` });
  } else {
    const names = new Map<string, number>();
    let catchAll: number | undefined;
    targets.forEach((target: unknown, index) => {
      const at = `${path}.targets[${index}]`;
      if (!isPlainObject(target)) {
        problems.push({ path: at, message: 'must be a target such as { "when": { "score": "hot" }, "within": "PT1H" }' });
        return;
      }
      unknownKeys(target, ['name', 'when', 'within'], at, problems);
      if (catchAll !== undefined) {
        problems.push({ path: at, message: `can never apply: targets[${catchAll}] has no "when" and matches every event first` });
      }
      if (target.when === undefined) catchAll ??= index;
      else checkMatch(target.when, `${at}.when`, problems);
      try {
        parseBusinessDuration(target.within as string);
      } catch (error) {
        problems.push({ path: `${at}.within`, message: error instanceof DurationError ? error.message : 'is not a duration' });
      }
      if (target.name !== undefined && (typeof target.name !== 'string' || target.name.length === 0 || target.name.length > 60)) {
        problems.push({ path: `${at}.name`, message: 'must be a text of 1 to 60 characters' });
      }
      const name = targetName(target as unknown as ResponseTarget);
      if (names.has(name)) {
        problems.push({ path: at, message: `has the same name "${name}" as targets[${names.get(name)}]; give one a "name"` });
      } else {
        names.set(name, index);
      }
    });
  }
  checkPercent(value.goalPercent, `${path}.goalPercent`, true, problems);
  checkPercent(value.warnAtPercent, `${path}.warnAtPercent`, false, problems);
  if (value.warnAtPercent === 100) {
    problems.push({ path: `${path}.warnAtPercent`, message: 'must be below 100: a warning at the due time is the breach' });
  }
  return problems;
}

export function findQuotaTermProblems(value: unknown, path = 'quota'): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(value)) return [{ path, message: 'must be an object' }];
  unknownKeys(value, ['countOn', 'period', 'minimum'], path, problems);
  checkEventFilter(value.countOn, `${path}.countOn`, problems);
  if (!QUOTA_PERIODS.includes(value.period as QuotaPeriodKind)) {
    problems.push({ path: `${path}.period`, message: `must be one of ${QUOTA_PERIODS.join(', ')}` });
  }
  if (typeof value.minimum !== 'number' || !Number.isInteger(value.minimum) || value.minimum < 1 || value.minimum > 10_000_000) {
    problems.push({ path: `${path}.minimum`, message: 'must be a whole number of at least 1' });
  }
  return problems;
}

const STAGE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape of conversion terms; the stages they name are checked by `findConversionStageProblems`. */
export function findConversionTermProblems(value: unknown, path = 'conversion'): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(value)) return [{ path, message: 'must be an object' }];
  unknownKeys(value, ['fromStageId', 'toStageId', 'within', 'period', 'minimumPercent'], path, problems);
  for (const field of ['fromStageId', 'toStageId'] as const) {
    if (typeof value[field] !== 'string' || !STAGE_ID_PATTERN.test(value[field])) {
      problems.push({ path: `${path}.${field}`, message: 'must be the id (a UUID) of a funnel stage' });
    }
  }
  if (typeof value.fromStageId === 'string' && value.fromStageId === value.toStageId) {
    problems.push({ path: `${path}.toStageId`, message: 'must differ from fromStageId: a stage does not convert into itself' });
  }
  try {
    parseBusinessDuration(value.within as string);
  } catch (error) {
    problems.push({ path: `${path}.within`, message: error instanceof DurationError ? error.message : 'is not a duration' });
  }
  if (!QUOTA_PERIODS.includes(value.period as QuotaPeriodKind)) {
    problems.push({ path: `${path}.period`, message: `must be one of ${QUOTA_PERIODS.join(', ')}` });
  }
  const minimum = value.minimumPercent;
  if (typeof minimum !== 'number' || !Number.isFinite(minimum) || minimum < 0 || minimum > 100) {
    problems.push({ path: `${path}.minimumPercent`, message: 'must be a number from 0 to 100' });
  }
  return problems;
}

/**
 * The stages conversion terms name, against the funnel: both must exist and be entered by an
 * event (else nothing could ever be counted), and `toStageId` must come after `fromStageId`.
 */
export function findConversionStageProblems(terms: Pick<ConversionTerms, 'fromStageId' | 'toStageId'>, funnel: readonly StageForTerms[], path = 'conversion'): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const byId = new Map(funnel.map((stage) => [stage.id, stage]));
  const from = byId.get(terms.fromStageId);
  const to = byId.get(terms.toStageId);
  for (const [field, stage, id] of [['fromStageId', from, terms.fromStageId], ['toStageId', to, terms.toStageId]] as const) {
    if (!stage) problems.push({ path: `${path}.${field}`, message: `names no funnel stage (${id})` });
    else if (!stage.enteredOn) {
      problems.push({ path: `${path}.${field}`, message: `names stage ${stage.name}, which no event enters yet: give it an enteredOn (PATCH /api/stages/${stage.id})` });
    }
  }
  if (from && to && to.position <= from.position) {
    problems.push({ path: `${path}.toStageId`, message: `must come after ${from.name} in the funnel: ${to.name} is at position ${to.position}, ${from.name} at ${from.position}` });
  }
  return problems;
}

/**
 * Conversion terms as heads read them: "MQL → SQL within 10 business days, ≥ 50 % a month".
 * `stageName` names a stage by id (the id itself when it names none).
 */
export function describeConversionTerms(terms: ConversionTerms, stageName: (id: string) => string): string {
  let within: string;
  try {
    within = describeBusinessDuration(terms.within);
  } catch {
    within = terms.within;
  }
  return `${stageName(terms.fromStageId)} → ${stageName(terms.toStageId)} within ${within}, ≥ ${terms.minimumPercent} % a ${terms.period}`;
}

/** "hot" for { score: "hot" }, "hot|warm" for { score: ["hot","warm"] }, "default" without `when`. */
export function targetName(target: ResponseTarget): string {
  if (target.name) return target.name;
  if (!target.when) return 'default';
  return Object.values(target.when)
    .map((value) => (Array.isArray(value) ? value.join('|') : String(value)))
    .join(' ')
    .slice(0, 60);
}

/** Values compare as text, so 5 matches "5" and true matches "true" (CSV imports carry text). */
function sameValue(expected: AttributeValue, actual: unknown): boolean {
  return expected === actual || (actual !== undefined && actual !== null && String(expected) === String(actual));
}

function matchesAttributes(match: AttributeMatch | undefined, attributes: Record<string, unknown>): boolean {
  if (!match) return true;
  for (const attribute in match) {
    const expected = match[attribute];
    // An attribute named like an Object.prototype member (`toString`) is absent unless the event has it.
    const actual = Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
    if (Array.isArray(expected) ? !expected.some((value) => sameValue(value, actual)) : !sameValue(expected, actual)) {
      return false;
    }
  }
  return true;
}

/** Whether an event passes a filter: same type, and every attribute of `when` equal (or one of a list). */
export function matchesFilter(filter: EventFilter, type: string, attributes: Record<string, unknown>): boolean {
  return filter.type === type && matchesAttributes(filter.when, attributes);
}

/**
 * `matchesFilter` for an event whose attributes may be costly to read (parsed on first access):
 * they are read only when the type matches and the filter has a `when`. A replay reads most of its
 * events only to see they are no stop, pause or resume of the running clock: their JSON stays text.
 */
export function matchesEvent(filter: EventFilter, event: { readonly type: string; readonly attributes: Record<string, unknown> }): boolean {
  return filter.type === event.type && (!filter.when || matchesAttributes(filter.when, event.attributes));
}

/** The first target whose `when` matches the starting event, or -1. */
export function targetIndexFor(targets: readonly ResponseTarget[], attributes: Record<string, unknown>): number {
  return targets.findIndex((target) => matchesAttributes(target.when, attributes));
}

/**
 * Every event filter of some terms: start, stop, pause, resume and cancel, or the counted event.
 * Conversion terms have none of their own: they read the stages' entries, whatever enters them.
 */
export function eventFiltersOf(terms: { response?: ResponseTerms | null; quota?: QuotaTerms | null }): EventFilter[] {
  const filters = terms.response
    ? [terms.response.startOn, terms.response.stopOn, terms.response.pauseOn, terms.response.resumeOn, terms.response.cancelOn]
    : [terms.quota?.countOn];
  return filters.filter((filter): filter is EventFilter => !!filter);
}

/**
 * The event types whose attributes computing a response agreement's clocks reads: its start's
 * (the target is chosen by the starting event's attributes) and those of any filter with a
 * `when`. The other events are matched by their type alone, so a replay need not read theirs.
 */
export function attributeTypesOf(terms: ResponseTerms): string[] {
  const filters = eventFiltersOf({ response: terms });
  return [...new Set([terms.startOn.type, ...filters.filter((filter) => filter.when && Object.keys(filter.when).length > 0).map((filter) => filter.type)])];
}

/** Every event type a response or quota agreement listens to (none for a conversion agreement). */
export function eventTypesOf(terms: { response?: ResponseTerms | null; quota?: QuotaTerms | null }): string[] {
  return [...new Set(eventFiltersOf(terms).map((filter) => filter.type))];
}
