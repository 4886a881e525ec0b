import type { EventFilter } from '../../agreements/domain/agreement-terms.js';
import type { StageView } from '../../agreements/stages.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { EventTypeView } from '../../connections/connections.dto.js';
import type { PersonView } from '../../org/people.dto.js';
import { formProblemOf, type Option } from '../admin/admin-forms.js';
import { EVENT_TYPES_LIST, eventTypeOptions, unseenNote } from '../agreements/agreement-editor.view.js';
import type { Directory, Named } from '../directory.js';
import { ENGLISH, type Reader as PageReader } from '../agreements/reader.js';
import { errorsForStageForm, withBlankConditions, type StageFormValues } from './stage-form.js';

/** What the funnel pages show: the stages in order with the event entering each and how many entered, and a stage's form. */

/** Who is reading: admins edit every stage, a head their own department's. */
export interface Reader {
  role: string;
  departmentId: string | null;
}

export function mayEditStage(reader: Reader, stage: Pick<StageView, 'department'>): boolean {
  return reader.role === 'admin' || (reader.role === 'head' && !!stage.department && stage.department.id === reader.departmentId);
}

const listed = (values: (string | number | boolean)[]) =>
  values.length <= 1 ? values.map(String).join('') : `${values.slice(0, -1).map(String).join(', ')} or ${String(values[values.length - 1])}`;

/** `{ source: ['trade-show', 'webinar'], score: 'hot' }` → "source is trade-show or webinar and score is hot". */
export function conditionsInWords(when: EventFilter['when'], words: PageReader = ENGLISH): string | null {
  if (words.locale !== 'en') {
    const conditions = Object.entries(when ?? {}).map(([attribute, expected]) =>
      words.t('funnel.condition', { attribute, values: new Intl.ListFormat(words.locale, { type: 'disjunction' }).format((Array.isArray(expected) ? expected : [expected]).map(String)) }),
    );
    return conditions.length > 0 ? new Intl.ListFormat(words.locale, { type: 'conjunction' }).format(conditions) : null;
  }
  const parts = Object.entries(when ?? {}).map(([attribute, expected]) => `${attribute} is ${listed(Array.isArray(expected) ? expected : [expected])}`);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** The event entering a stage in plain words: "entered when lead.mql arrives where source is trade-show or webinar". */
export function enteredOnInWords(filter: EventFilter | null): string {
  if (!filter) return 'not counted by the funnel';
  const where = conditionsInWords(filter.when);
  return `entered when ${filter.type} arrives${where ? ` where ${where}` : ''}`;
}

const subjects = (count: number, words: PageReader) => words.t('funnel.list.subjects', { count });

export function presentFunnel(input: {
  stages: StageView[];
  /** Entries per stage id (stage_entries rows); a stage missing has none. */
  entries: ReadonlyMap<string, number>;
  reader: Reader;
  /** The reader's language and names of event types. */
  words?: PageReader;
}) {
  const { reader } = input;
  const words = input.words ?? ENGLISH;
  return {
    total: input.stages.length,
    canCreate: reader.role === 'admin',
    stages: input.stages.map((stage) => {
      const count = input.entries.get(stage.id) ?? 0;
      return {
        id: stage.id,
        anchor: `stage-${stage.id}`,
        position: stage.position,
        name: stage.name,
        department: stage.department ? stage.department.name : null,
        owner: stage.owner ? stage.owner.name : null,
        doneDefinition: stage.doneDefinition,
        counted: stage.enteredOn !== null,
        entered: stage.enteredOn
          ? { type: stage.enteredOn.type, typeName: words.typeName(stage.enteredOn.type), named: words.typeName(stage.enteredOn.type) !== stage.enteredOn.type, where: conditionsInWords(stage.enteredOn.when, words) }
          : null,
        enteredInWords: enteredOnInWords(stage.enteredOn),
        entries: count,
        entriesText: stage.enteredOn ? subjects(count, words) : count > 0 ? words.t('funnel.list.noLongerCounted', { count }) : words.t('funnel.list.notCounted'),
        editable: mayEditStage(reader, stage),
        editLabel: words.t('funnel.list.editLabel', { name: stage.name }),
      };
    }),
  };
}

export function stageTitle(stage: Pick<StageView, 'name'> | null, words: PageReader = ENGLISH): string {
  return stage ? words.t('funnel.form.title', { name: stage.name }) : words.t('funnel.form.newTitle');
}

/**
 * The people who may own a stage: an admin chooses among everyone (named with their department,
 * as the owner must belong to the stage's department); a head among their department's people.
 * The current owner stays offered, so saving does not silently clear them.
 */
function ownerOptions(people: readonly PersonView[], directory: Directory<Named, Named>, admin: boolean, departmentId: string, ownerId: string, words: PageReader): Option[] {
  const candidates = people.filter((person) => person.id === ownerId || (person.active && (admin || (departmentId !== '' && person.departmentId === departmentId))));
  return [
    { value: '', label: words.t('funnel.form.noOwner') },
    ...candidates.map((person) => ({
      value: person.id,
      label: admin ? `${person.name} (${directory.departmentName(person.departmentId, words.t('funnel.form.noDepartmentLower'))})` : person.name,
    })),
  ];
}

/** The form of a new stage (admins) or of one that exists (admins, and the head of its department). */
export function presentStageForm(input: {
  stage: StageView | null;
  values: StageFormValues;
  errors: FieldErrors | null;
  admin: boolean;
  people: readonly PersonView[];
  directory: Directory<Named, Named>;
  eventTypes: Pick<EventTypeView, 'type' | 'count' | 'rules'>[];
  words?: PageReader;
}) {
  const { stage, values, admin, directory } = input;
  const words = input.words ?? ENGLISH;
  const errors = errorsForStageForm(input.errors, values);
  const shown = withBlankConditions(values);
  const received = new Set(input.eventTypes.filter((type) => type.count > 0).map((type) => type.type));
  return {
    stage: stage ? { id: stage.id, name: stage.name, position: stage.position, department: stage.department?.name ?? null } : null,
    action: stage ? `/funnel/${stage.id}` : '/funnel',
    values: shown,
    errors,
    formProblem: formProblemOf(errors),
    admin,
    departmentOptions: admin ? [{ value: '', label: words.t('funnel.form.noDepartment') }, ...directory.departments.map((department) => ({ value: department.id, label: department.name }))] : null,
    ownerOptions: ownerOptions(input.people, directory, admin, stage?.department?.id ?? values.departmentId, values.ownerId, words),
    positionHint: stage ? words.t('funnel.form.positionHintEdit') : words.t('funnel.form.positionHintNew'),
    eventTypesList: EVENT_TYPES_LIST,
    eventTypeOptions: eventTypeOptions(input.eventTypes, words),
    unseen: unseenNote(values.enteredOn.type, received, words),
    // Labels end with the row's number: the page's script numbers on the rows it adds.
    conditionRows: shown.enteredOn.when.map((_, index) => ({
      attribute: { path: `enteredOn.when[${index}].attribute`, label: words.t('funnel.form.attribute', { number: index + 1 }) },
      values: { path: `enteredOn.when[${index}].values`, label: words.t('funnel.form.values', { number: index + 1 }) },
    })),
    promises: stage ? stage.promises.map((promise) => words.t('funnel.form.promise', { name: promise.name, version: promise.version })) : [],
    promisesText: stage ? stage.promises.map((promise) => words.t('funnel.form.promise', { name: promise.name, version: promise.version })).join(', ') : '',
    canDelete: admin && stage !== null,
  };
}
