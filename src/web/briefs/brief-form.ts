import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import { mayEdit, mayTakeStep, type BriefStepName } from '../../briefs/briefs.service.js';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import type { BriefContent, BriefStatus } from '../../briefs/brief.entity.js';
import { asRecord, checkbox, lines, numeric, rows, text } from '../forms.js';
import { inEnglish, type Say } from '../say.js';

/**
 * The brief form's translation between what a browser posts (flat texts, one line per list item,
 * repeated rows) and what the API takes (BriefContentDto), both ways, so the page goes through the
 * API's own validation and a refused post comes back exactly as typed. Plain functions, tested
 * on their own.
 */

/** What the form shows: texts as typed, lists as one item per line, rows as objects of texts. */
export interface BriefFormValues {
  title: string;
  requesterDepartmentId: string;
  recipientDepartmentId: string;
  content: {
    background: string;
    goals: { goal: string; target: string }[];
    vision: string;
    keyMessage: string;
    audience: { primary: string; secondary: string };
    deliverables: string;
    channels: string;
    outOfScope: string;
    mandatoryElements: string;
    deadline: string;
    milestones: { name: string; date: string }[];
    budget: { amount: string; currency: string; approved: boolean };
    successMetrics: { metric: string; target: string }[];
    stakeholders: string;
    approverId: string;
    links: string;
  };
}

/** The body for CreateBriefDto / UpdateBriefDto: blanks cleared with null, typed values kept as typed for the validator to name. */
export interface BriefRequest {
  title: string;
  requesterDepartmentId?: string;
  recipientDepartmentId?: string;
  content: Record<string, unknown>;
}

/** Rows offered blank below the filled ones, so a list can grow without JavaScript. */
export const BLANK_ROWS = 2;
/** Rows shown at least, filled or not. */
export const MIN_ROWS = 3;

type Loose = Record<string, unknown> | null | undefined;

function shown(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function textList(value: unknown): string {
  return Array.isArray(value) ? value.map(shown).join('\n') : shown(value);
}

function rowsOf<K extends string>(value: unknown, keys: readonly K[]): Record<K, string>[] {
  const list = Array.isArray(value) ? value : [];
  return list.map((row) => Object.fromEntries(keys.map((key) => [key, shown(asRecord(row)[key])])) as Record<K, string>);
}

/**
 * The form's values for a brief, stored or just posted (`content` as the API has it, or as
 * briefRequestOf built it, with the typed strings a validator refused).
 */
export function formValuesOf(brief: { title?: unknown; requesterDepartmentId?: unknown; recipientDepartmentId?: unknown; content?: Loose | BriefContent }): BriefFormValues {
  const content = asRecord(brief.content);
  const audience = asRecord(content.audience);
  const budget = asRecord(content.budget);
  return {
    title: shown(brief.title),
    requesterDepartmentId: shown(brief.requesterDepartmentId),
    recipientDepartmentId: shown(brief.recipientDepartmentId),
    content: {
      background: shown(content.background),
      goals: rowsOf(content.goals, ['goal', 'target'] as const),
      vision: shown(content.vision),
      keyMessage: shown(content.keyMessage),
      audience: { primary: shown(audience.primary), secondary: shown(audience.secondary) },
      deliverables: textList(content.deliverables),
      channels: textList(content.channels),
      outOfScope: shown(content.outOfScope),
      mandatoryElements: shown(content.mandatoryElements),
      deadline: shown(content.deadline),
      milestones: rowsOf(content.milestones, ['name', 'date'] as const),
      budget: { amount: shown(budget.amount), currency: shown(budget.currency), approved: budget.approved === true },
      successMetrics: rowsOf(content.successMetrics, ['metric', 'target'] as const),
      stakeholders: textList(content.stakeholders),
      approverId: shown(content.approverId),
      links: textList(content.links),
    },
  };
}

/** Filled rows, then blank ones to type into: at least MIN_ROWS, always BLANK_ROWS free. */
export function withBlankRows<T extends Record<string, string>>(filled: T[], blank: T): T[] {
  const count = Math.max(MIN_ROWS, filled.length + BLANK_ROWS);
  return [...filled, ...Array.from({ length: count - filled.length }, () => ({ ...blank }))];
}

/** Texts of filled rows, trimmed; a half-filled row keeps its blank cell as '' for the validator to name. */
function postedRows<K extends string>(value: unknown, keys: readonly K[]): Record<K, string>[] | null {
  const list = rows(value).map((row) => Object.fromEntries(keys.map((key) => [key, text(row[key]) ?? ''])) as Record<K, string>);
  const filled = list.filter((row) => keys.some((key) => row[key] !== ''));
  return filled.length > 0 ? filled : null;
}

function postedLines(value: unknown): string[] | null {
  const list = lines(value);
  return list.length > 0 ? list : null;
}

/**
 * A posted brief form as the API's request. Every content field is sent, so a field emptied in
 * the form is cleared (null) rather than left as stored. Rows left blank are dropped before the
 * API sees them, so its error paths (`content.goals[1].target`) index the rows as re-shown.
 */
export function briefRequestOf(body: unknown): BriefRequest {
  const form = asRecord(body);
  const content = asRecord(form.content);
  const audience = asRecord(content.audience);
  const budget = asRecord(content.budget);
  const primary = text(audience.primary) ?? null;
  const secondary = text(audience.secondary) ?? null;
  const amount = numeric(budget.amount) ?? null;
  const currency = text(budget.currency)?.toUpperCase() ?? null;
  const approved = checkbox(budget.approved);
  const request: BriefRequest = {
    title: typeof form.title === 'string' ? form.title.trim() : '',
    content: {
      background: text(content.background) ?? null,
      goals: postedRows(content.goals, ['goal', 'target'] as const),
      vision: text(content.vision) ?? null,
      keyMessage: text(content.keyMessage) ?? null,
      audience: primary === null && secondary === null ? null : { primary, secondary },
      deliverables: postedLines(content.deliverables),
      channels: postedLines(content.channels),
      outOfScope: text(content.outOfScope) ?? null,
      mandatoryElements: text(content.mandatoryElements) ?? null,
      deadline: text(content.deadline) ?? null,
      milestones: postedRows(content.milestones, ['name', 'date'] as const),
      budget: amount === null && currency === null && !approved ? null : { amount, currency, approved },
      successMetrics: postedRows(content.successMetrics, ['metric', 'target'] as const),
      stakeholders: postedLines(content.stakeholders),
      approverId: text(content.approverId) ?? null,
      links: postedLines(content.links),
    },
  };
  // A select left on "choose…" is sent as '' so the validator names the field rather than ignoring it.
  if (typeof form.recipientDepartmentId === 'string') request.recipientDepartmentId = form.recipientDepartmentId.trim();
  if (typeof form.requesterDepartmentId === 'string' && form.requesterDepartmentId.trim() !== '') {
    request.requesterDepartmentId = form.requesterDepartmentId.trim();
  }
  return request;
}

/**
 * Errors that name a whole list or group (`content.goals is required to submit`) have no control
 * of their own: they are shown at the first control of that group, so each lights up a field and
 * the summary's link lands on something focusable.
 */
const GROUP_FIELD: Record<string, string> = {
  'content.goals': 'content.goals[0].goal',
  'content.milestones': 'content.milestones[0].name',
  'content.successMetrics': 'content.successMetrics[0].metric',
  'content.budget': 'content.budget.amount',
  'content.audience': 'content.audience.primary',
};

/** The form field an error path is shown at. */
export function fieldPathOf(path: string): string {
  return GROUP_FIELD[path] ?? path;
}

export function errorsForForm(errors: FieldErrors | null | undefined): FieldErrors | null {
  if (!errors || Object.keys(errors).length === 0) return null;
  const shownErrors: FieldErrors = fieldErrors();
  for (const [path, messages] of Object.entries(errors)) {
    const target = fieldPathOf(path);
    shownErrors[target] = [...(shownErrors[target] ?? []), ...messages];
  }
  return shownErrors;
}

/** Labels of the fields a submission requires, for the list of what is still missing. */
export const FIELD_LABELS: Record<string, string> = {
  'content.background': 'Background and problem',
  'content.goals': 'Goals with measurable targets',
  'content.vision': 'Vision',
  'content.keyMessage': 'Key message',
  'content.audience.primary': 'Primary audience',
  'content.deliverables': 'Deliverables',
  'content.deadline': 'Deadline',
  'content.budget': 'Budget',
  'content.budget.amount': 'Budget amount',
  'content.successMetrics': 'Success metrics with targets',
  'content.approverId': 'Approver',
};

/** A required field's label in the reader's language (its API path when it has none). */
export function fieldLabel(path: string, say: Say = inEnglish): string {
  return Object.hasOwn(FIELD_LABELS, path) ? say(`briefs.field.${path.replace(/^content\./, '')}`) : path;
}

export type BriefAction = 'edit' | 'submit' | 'accept' | 'return' | 'start' | 'complete' | 'cancel' | 'comment';

/**
 * Which buttons to show the signed-in person, by the service's own rules (mayTakeStep, mayEdit).
 * Only a display choice: every post still goes through BriefsService, which decides.
 */
export function actionsFor(actor: Actor, brief: { status: BriefStatus; requesterDepartmentId: string; recipientDepartmentId: string }): Record<BriefAction, boolean> {
  const step = (name: BriefStepName) => mayTakeStep(actor, brief, name);
  return {
    edit: mayEdit(actor, brief),
    submit: step('submit'),
    accept: step('accept'),
    return: step('return'),
    start: step('start'),
    complete: step('complete'),
    cancel: step('cancel'),
    comment: isAdmin(actor) || actor.departmentId === brief.requesterDepartmentId || actor.departmentId === brief.recipientDepartmentId,
  };
}

export const STATUS_LABELS: Record<BriefStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  accepted: 'Accepted',
  returned: 'Returned',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** A status in the reader's language ("In progress", "В работе"). */
export function statusLabel(status: BriefStatus, say: Say = inEnglish): string {
  return say(`briefs.status.${status.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())}`);
}

/** The badge colour of a status: waiting on the recipient (warn), back with the requester (bad), moving (good). */
export const STATUS_TONES: Record<BriefStatus, string> = {
  draft: '',
  submitted: 'warn',
  accepted: 'good',
  returned: 'bad',
  in_progress: 'good',
  done: 'good',
  cancelled: '',
};

export interface RowCell {
  name: string;
  label: string;
  hint: string | null;
  type: 'text' | 'date';
  required: boolean;
}

export interface RowColumn {
  key: string;
  /** The label of row n, e.g. (n) => `Target of goal ${n}`. */
  label: (n: number) => string;
  hint: string;
  type?: 'date';
}

/**
 * The numbered rows of a repeated group (goals, milestones, metrics), each cell named by its API
 * path. Hints are given on the first row only, and only the first row is marked as needed to
 * submit when the group is (one row is enough).
 */
export function numberedRows(prefix: string, count: number, columns: RowColumn[], requiredFirst: boolean): { number: number; cells: RowCell[] }[] {
  return Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    cells: columns.map((column) => ({
      name: `${prefix}[${index}].${column.key}`,
      label: column.label(index + 1),
      hint: index === 0 ? column.hint : null,
      type: column.type ?? 'text',
      required: requiredFirst && index === 0,
    })),
  }));
}
