import type { AgreementView } from '../../agreements/agreements.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { EventTypeView } from '../../connections/connections.dto.js';
import { QUOTA_PERIODS } from '../../agreements/domain/agreement-terms.js';
import { editorPaths, foldErrors, RESPONSE_FILTERS, startOfLastMonth, targetRowsOf, WITHIN_UNITS, type AgreementFormValues } from './agreement-form.js';
import { valueAt } from '../form-fields.js';
import { kindOf, type Names } from './agreement.view.js';
import { ENGLISH, type Reader } from './reader.js';

/** The editor of the three kinds of agreement, as typed (or as stored) and as refused. */

/** Which of the response terms' events must be given; their legend, label and hint are agreements.editor.<filter>.*. */
const FILTER_REQUIRED: Record<(typeof RESPONSE_FILTERS)[number], boolean> = { startOn: true, stopOn: true, pauseOn: false, resumeOn: false, cancelOn: false };

export interface Option {
  value: string;
  label: string;
}

/** Whether the editor offers measureFrom: only before an agreement's first version is in force. */
export function measurable(agreement: AgreementView | null): boolean {
  return agreement === null || (agreement.inForce === null && agreement.status !== 'retired' && agreement.status !== 'active');
}

/** Everything the editor is made of, as loaded. */
export interface EditorData {
  /** The agreement edited; null for a new one. */
  agreement: AgreementView | null;
  values: AgreementFormValues;
  errors: FieldErrors | null;
  options: { departments: Option[]; calendars: Option[]; stages: Option[] };
  names: Names;
  /** For each target row (targetRowsOf), when a lead arriving now would be due, in order. */
  dueTimes: (string | null)[];
  /** The time zone of the calendar chosen (the reader's when none is): "the start of last month" is computed there. */
  calendarZone: string;
  now: Date;
  /** The event types known (GET /api/event-types): those received, or emitted by a connection's rule, are offered. */
  eventTypes?: Pick<EventTypeView, 'type' | 'count' | 'rules'>[];
}

/** The id of the editor's <datalist> of event types. */
export const EVENT_TYPES_LIST = 'event-types';

/**
 * The event types offered in the editor's pick-lists: those received, then those a connection's
 * rule emits though none came yet (a new connection's). Types only an agreement names are not
 * offered: a typo in one agreement would spread to the next.
 */
export function eventTypeOptions(types: Pick<EventTypeView, 'type' | 'count' | 'rules'>[], reader: Reader = ENGLISH): Option[] {
  // The readable name first when the type has one: people pick "Lead handed over to sales", the field keeps the type.
  const named = (type: string) => (reader.typeName(type) === type ? type : `${reader.typeName(type)} — ${type}`);
  const seen = types.filter((type) => type.count > 0).map((type) => ({ value: type.type, label: reader.t('agreements.editor.typeReceived', { type: named(type.type), count: type.count }) }));
  const emitted = types
    .filter((type) => type.count === 0 && type.rules.length > 0)
    .map((type) => ({ value: type.type, label: reader.t('agreements.editor.typeEmitted', { type: named(type.type) }) }));
  return [...seen, ...emitted];
}

/** A note for a type typed in the editor that no stored event has; null when it was received (or nothing is typed). */
export function unseenNote(typed: unknown, received: ReadonlySet<string>, reader: Reader = ENGLISH): string | null {
  if (typeof typed !== 'string' || typed.trim() === '') return null;
  const type = typed.trim();
  return received.has(type) ? null : reader.t('agreements.editor.unseen', { type });
}

export function presentEditor(data: EditorData, zone: string, reader: Reader = ENGLISH) {
  const { agreement, values, errors, options, names, calendarZone, now } = data;
  const eventTypes = data.eventTypes ?? [];
  const received = new Set(eventTypes.filter((type) => type.count > 0).map((type) => type.type));
  const targets = targetRowsOf(values);
  // `withinUnit`: the unit select's name, as posted.
  const shown = { ...values, response: { ...values.response, targets: targets.map((target) => ({ ...target, withinUnit: target.unit })) } };
  const folded = errors && Object.keys(errors).length > 0 ? foldErrors(errors, editorPaths(targets.length)) : null;
  const rows = targets.map((_target, index) => {
    const due = data.dueTimes[index] ?? null;
    return {
      index,
      number: index + 1,
      groupId: `f-response-targets-${index}`,
      problems: folded?.[`response.targets[${index}]`] ?? [],
      nameField: `response.targets[${index}].name`,
      nameLabel: reader.t('agreements.editor.targetName', { number: index + 1 }),
      conditionField: `response.targets[${index}].when`,
      conditionLabel: reader.t('agreements.editor.targetWhen', { number: index + 1 }),
      withinField: `response.targets[${index}].within`,
      withinLabel: reader.t('agreements.editor.targetWithin', { number: index + 1 }),
      // A number with its unit; the ISO form (a stored P1DT2H, or typed by an integrator) in a text field.
      withinType: targets[index].unit === 'iso' || !/^\d*$/.test(targets[index].within) ? 'text' : 'number',
      unitField: `response.targets[${index}].withinUnit`,
      unitLabel: reader.t('agreements.editor.targetUnit', { number: index + 1 }),
      due: due ? reader.t('agreements.editor.due', { when: reader.instant(due, zone) }) : null,
    };
  });
  const kind = agreement?.kind ?? (values.kind === 'quota' || values.kind === 'conversion' ? values.kind : 'response');
  const pending = agreement?.pending ?? null;
  return {
    creating: agreement === null,
    action: agreement ? `/agreements/${agreement.id}` : '/agreements',
    agreement: agreement
      ? {
          id: agreement.id,
          name: agreement.name,
          kind: kindOf(agreement.kind, reader),
          provider: names.department(agreement.providerDepartmentId),
          consumer: names.department(agreement.consumerDepartmentId),
          pending: pending ? { number: pending.number, proposed: pending.status === 'proposed' } : null,
          inForceNumber: agreement.inForce?.number ?? null,
        }
      : null,
    values: shown,
    errors: folded,
    // Errors about a whole group (the terms, the list of targets) or about nothing in the form.
    problems: {
      form: folded?.form ?? [],
      response: folded?.response ?? [],
      quota: folded?.quota ?? [],
      conversion: folded?.conversion ?? [],
      targets: folded?.['response.targets'] ?? [],
    },
    showResponse: agreement === null || kind === 'response',
    showQuota: agreement === null || kind === 'quota',
    showConversion: agreement === null || kind === 'conversion',
    kindOptions: (['response', 'quota', 'conversion'] as const).map((value) => ({ value, label: reader.t(`agreements.editor.kindOption.${value}`) })),
    departmentOptions: [{ value: '', label: reader.t('agreements.editor.chooseDepartment') }, ...options.departments],
    calendarOptions: [{ value: '', label: reader.t('agreements.editor.chooseCalendar') }, ...options.calendars],
    stageOptions: [{ value: '', label: reader.t('agreements.editor.noStage') }, ...options.stages],
    conversionStageOptions: [{ value: '', label: reader.t('agreements.editor.chooseStage') }, ...options.stages],
    periodOptions: QUOTA_PERIODS.map((period) => ({ value: period, label: reader.t('agreements.editor.per', { period }) })),
    conversionWithinType: values.conversion.withinUnit === 'iso' || !/^\d*$/.test(values.conversion.within) ? 'text' : 'number',
    unitOptions: WITHIN_UNITS.map((unit) => ({ value: unit, label: reader.t(`agreements.editor.unit.${unit}`) })),
    filters: RESPONSE_FILTERS.map((key) => ({
      legend: reader.t(`agreements.editor.${key}.legend`),
      label: reader.t(`agreements.editor.${key}.label`),
      hint: reader.t(`agreements.editor.${key}.hint`),
      required: FILTER_REQUIRED[key],
      id: `f-response-${key}`,
      type: `response.${key}.type`,
      condition: `response.${key}.when`,
      conditionLabel: reader.t('agreements.editor.onlyWhen', { label: reader.t(`agreements.editor.${key}.label`) }),
      unseen: unseenNote(valueAt(values, `response.${key}.type`), received, reader),
    })),
    eventTypesList: EVENT_TYPES_LIST,
    eventTypeOptions: eventTypeOptions(eventTypes, reader),
    countOnUnseen: unseenNote(valueAt(values, 'quota.countOn.type'), received, reader),
    targetRows: rows,
    measurable: measurable(agreement),
    measureFromOptions: [
      { value: '', label: reader.t('agreements.editor.measureTyped') },
      { value: 'last-month', label: reader.t('agreements.editor.measureLastMonth', { when: reader.instant(startOfLastMonth(now, calendarZone), calendarZone) }) },
    ],
    nowText: reader.instant(now, zone),
  };
}

export function editorTitle(agreement: AgreementView | null, reader: Reader = ENGLISH): string {
  return agreement ? reader.t('agreements.editor.editTitle', { name: agreement.name }) : reader.t('agreements.editor.newTitle');
}
