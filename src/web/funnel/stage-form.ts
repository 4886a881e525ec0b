import { checkEventFilter, type AttributeMatch, type EventFilter } from '../../agreements/domain/agreement-terms.js';
import type { StageView } from '../../agreements/stages.dto.js';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { asRecord, numeric, rows, text } from '../forms.js';
import { valueList } from '../connections/connection-form.js';

/**
 * The funnel stage form as typed or shown. Fields are named as the API names them (`name`,
 * `enteredOn.type`), so its 400 lands under the right field; the conditions of `enteredOn.when`
 * are rows of an attribute and its values (comma-separated, any of them), whose API errors
 * (`enteredOn.when.source`) are found by the attribute's name.
 */
export interface ConditionRow {
  attribute: string;
  /** "trade-show, webinar": any of these values. */
  values: string;
}

export interface StageFormValues {
  name: string;
  doneDefinition: string;
  /** Admins only. */
  departmentId: string;
  ownerId: string;
  /** Admins only; empty on a new stage: last. */
  position: string;
  enteredOn: { type: string; when: ConditionRow[] };
}

/** Blank condition rows offered after the filled ones (the page's script adds more). */
export const BLANK_CONDITIONS = 2;

const blankCondition = (): ConditionRow => ({ attribute: '', values: '' });

export function newStageValues(departmentId = ''): StageFormValues {
  return { name: '', doneDefinition: '', departmentId, ownerId: '', position: '', enteredOn: { type: '', when: [] } };
}

const valuesText = (expected: AttributeMatch[string]) => (Array.isArray(expected) ? expected : [expected]).map(String).join(', ');

export function stageValuesOf(stage: StageView): StageFormValues {
  return {
    name: stage.name,
    doneDefinition: stage.doneDefinition,
    departmentId: stage.department?.id ?? '',
    ownerId: stage.owner?.id ?? '',
    position: String(stage.position),
    enteredOn: {
      type: stage.enteredOn?.type ?? '',
      when: Object.entries(stage.enteredOn?.when ?? {}).map(([attribute, expected]) => ({ attribute, values: valuesText(expected) })),
    },
  };
}

/** The rows to show: those filled, then blank ones to fill. */
export function withBlankConditions(values: StageFormValues): StageFormValues {
  return { ...values, enteredOn: { ...values.enteredOn, when: [...values.enteredOn.when, ...Array.from({ length: BLANK_CONDITIONS }, blankCondition)] } };
}

const cell = (row: Record<string, unknown>, key: string) => (typeof row[key] === 'string' ? (row[key] as string).trim() : '');

/** A posted stage form, trimmed; condition rows left blank dropped, so row i is the i-th condition sent. */
export function typedStage(body: unknown): StageFormValues {
  const form = asRecord(body);
  const read = (key: string) => cell(form, key);
  const enteredOn = asRecord(form.enteredOn);
  return {
    name: read('name'),
    doneDefinition: read('doneDefinition'),
    departmentId: read('departmentId'),
    ownerId: read('ownerId'),
    position: read('position'),
    enteredOn: {
      type: cell(enteredOn, 'type'),
      when: rows(enteredOn.when)
        .map((row) => ({ attribute: cell(row, 'attribute'), values: cell(row, 'values') }))
        .filter((row) => row.attribute !== '' || row.values !== ''),
    },
  };
}

/**
 * The event filter typed: null when neither a type nor a condition is (the stage is not counted);
 * otherwise as typed, for the service to judge (an empty type is its error to name). The form
 * itself finds what an object cannot say: a condition without an attribute, an attribute twice.
 */
function enteredOnOf(values: StageFormValues, errors: FieldErrors): EventFilter | null {
  const { type, when } = values.enteredOn;
  if (type === '' && when.length === 0) return null;
  if (when.length === 0) return { type };
  const match: AttributeMatch = {};
  when.forEach((row, index) => {
    const at = `enteredOn.when[${index}].attribute`;
    if (row.attribute === '') errors[at] = [`${at} must name the attribute that "${row.values}" is a value of`];
    else if (Object.hasOwn(match, row.attribute)) errors[at] = [`${at} "${row.attribute}" is given twice`];
    else match[row.attribute] = row.values === '' ? [] : valueList(row.values);
  });
  return { type, when: match };
}

/**
 * What the form asks StagesService for: the plain body CreateStageDto / UpdateStageDto validate,
 * plus the errors the form itself finds. A head sends only what a head may change (the service
 * refuses the rest); an admin also the department and position. An empty owner or department is
 * null (none); an empty position on a new stage is left out (last).
 */
export function stageRequestOf(values: StageFormValues, options: { admin: boolean }): { plain: Record<string, unknown>; errors: FieldErrors } {
  const errors = fieldErrors();
  const plain: Record<string, unknown> = {
    name: values.name,
    doneDefinition: values.doneDefinition,
    ownerId: text(values.ownerId) ?? null,
    enteredOn: enteredOnOf(values, errors),
  };
  if (options.admin) {
    plain.departmentId = text(values.departmentId) ?? null;
    const position = numeric(values.position);
    if (position !== undefined) plain.position = position;
  }
  // Refused here already: the filter's own problems are named at once too, not after the next post.
  if (Object.keys(errors).length > 0 && plain.enteredOn) {
    const problems: { path: string; message: string }[] = [];
    checkEventFilter(plain.enteredOn, 'enteredOn', problems);
    for (const problem of problems) (errors[problem.path] ??= []).push(`${problem.path} ${problem.message}`);
  }
  return { plain, errors };
}

/**
 * Moves each API error to the field that shows it: `enteredOn` as a whole to its type;
 * `enteredOn.when` to the first condition; `enteredOn.when.source` to the row naming "source" —
 * its attribute when the name is what is wrong, its values otherwise.
 */
export function errorsForStageForm(errors: FieldErrors | null | undefined, values: StageFormValues): FieldErrors | null {
  if (!errors || Object.keys(errors).length === 0) return null;
  const shown = fieldErrors();
  const targetOf = (path: string, messages: string[]): string => {
    if (path === 'enteredOn') return 'enteredOn.type';
    if (path === 'enteredOn.when') return 'enteredOn.when[0].attribute';
    if (path.startsWith('enteredOn.when.')) {
      const attribute = path.slice('enteredOn.when.'.length);
      const index = values.enteredOn.when.findIndex((row) => row.attribute === attribute);
      if (index < 0) return 'enteredOn.when[0].attribute';
      const aboutName = messages.every((message) => message.endsWith('is not an attribute name'));
      return `enteredOn.when[${index}].${aboutName ? 'attribute' : 'values'}`;
    }
    return path;
  };
  for (const [path, messages] of Object.entries(errors)) (shown[targetOf(path, messages)] ??= []).push(...messages);
  return shown;
}
