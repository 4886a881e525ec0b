import type { AgreementView } from '../../agreements/agreements.dto.js';
import type { FieldErrors } from '../../common/errors.js';
import type { EventTypeView } from '../../connections/connections.dto.js';
import { describeInstant } from '../../common/instant-format.js';
import { QUOTA_PERIODS } from '../../agreements/domain/agreement-terms.js';
import { editorPaths, foldErrors, RESPONSE_FILTERS, startOfLastMonth, targetRowsOf, type AgreementFormValues } from './agreement-form.js';
import { valueAt } from '../form-fields.js';
import { KIND_LABELS, type Names } from './agreement.view.js';

/** The editor of the three kinds of agreement, as typed (or as stored) and as refused. */

const FILTER_FIELDS: Record<(typeof RESPONSE_FILTERS)[number], { legend: string; label: string; required: boolean; hint: string }> = {
  startOn: { legend: 'The clock starts on', label: 'Start event', required: true, hint: 'An event type, e.g. lead.handed_over.' },
  stopOn: { legend: 'The clock stops on', label: 'Stop event', required: true, hint: 'e.g. lead.contacted.' },
  pauseOn: { legend: 'The clock pauses on (optional)', label: 'Pause event', required: false, hint: 'e.g. lead.on_hold; needs a resume event.' },
  resumeOn: { legend: 'The clock resumes on (optional)', label: 'Resume event', required: false, hint: 'e.g. lead.resumed.' },
  cancelOn: { legend: 'The clock is abandoned on (optional)', label: 'Cancel event', required: false, hint: 'e.g. lead.disqualified: counts neither met nor breached.' },
};

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
export function eventTypeOptions(types: Pick<EventTypeView, 'type' | 'count' | 'rules'>[]): Option[] {
  const seen = types.filter((type) => type.count > 0).map((type) => ({ value: type.type, label: `${type.type} (${type.count} received)` }));
  const emitted = types
    .filter((type) => type.count === 0 && type.rules.length > 0)
    .map((type) => ({ value: type.type, label: `${type.type} (a connection's rule emits it; none received yet)` }));
  return [...seen, ...emitted];
}

/** A note for a type typed in the editor that no stored event has; null when it was received (or nothing is typed). */
export function unseenNote(typed: unknown, received: ReadonlySet<string>): string | null {
  if (typeof typed !== 'string' || typed.trim() === '') return null;
  const type = typed.trim();
  return received.has(type) ? null : `No “${type}” event has been received yet: check its spelling, or that a connection or sender emits it.`;
}

export function presentEditor(data: EditorData, zone: string) {
  const { agreement, values, errors, options, names, calendarZone, now } = data;
  const eventTypes = data.eventTypes ?? [];
  const received = new Set(eventTypes.filter((type) => type.count > 0).map((type) => type.type));
  const targets = targetRowsOf(values);
  const shown = { ...values, response: { ...values.response, targets } };
  const folded = errors && Object.keys(errors).length > 0 ? foldErrors(errors, editorPaths(targets.length)) : null;
  const rows = targets.map((_target, index) => {
    const due = data.dueTimes[index] ?? null;
    return {
      index,
      number: index + 1,
      groupId: `f-response-targets-${index}`,
      problems: folded?.[`response.targets[${index}]`] ?? [],
      nameField: `response.targets[${index}].name`,
      nameLabel: `Target ${index + 1}: name (optional)`,
      conditionField: `response.targets[${index}].when`,
      conditionLabel: `Target ${index + 1}: applies when`,
      withinField: `response.targets[${index}].within`,
      withinLabel: `Target ${index + 1}: due within`,
      due: due ? describeInstant(due, zone) : null,
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
          kind: KIND_LABELS[agreement.kind],
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
    kindOptions: [
      { value: 'response', label: 'Response time: a clock per lead or brief, with targets' },
      { value: 'quota', label: 'Quota: a minimum count of events per period' },
      { value: 'conversion', label: 'Conversion: a shared KPI, the share of one stage reaching the next in time' },
    ],
    departmentOptions: [{ value: '', label: 'Choose a department' }, ...options.departments],
    calendarOptions: [{ value: '', label: 'Choose a calendar' }, ...options.calendars],
    stageOptions: [{ value: '', label: 'No particular stage' }, ...options.stages],
    conversionStageOptions: [{ value: '', label: 'Choose a stage' }, ...options.stages],
    periodOptions: QUOTA_PERIODS.map((period) => ({ value: period, label: `per ${period}` })),
    filters: RESPONSE_FILTERS.map((key) => ({
      ...FILTER_FIELDS[key],
      id: `f-response-${key}`,
      type: `response.${key}.type`,
      condition: `response.${key}.when`,
      conditionLabel: `${FILTER_FIELDS[key].label}: only when (optional)`,
      unseen: unseenNote(valueAt(values, `response.${key}.type`), received),
    })),
    eventTypesList: EVENT_TYPES_LIST,
    eventTypeOptions: eventTypeOptions(eventTypes),
    countOnUnseen: unseenNote(valueAt(values, 'quota.countOn.type'), received),
    targetRows: rows,
    measurable: measurable(agreement),
    measureFromOptions: [
      { value: '', label: 'The date typed below (none: from the approval)' },
      {
        value: 'last-month',
        label: `The start of last month: ${describeInstant(startOfLastMonth(now, calendarZone), calendarZone)}`,
      },
    ],
    nowText: describeInstant(now, zone),
  };
}

export function editorTitle(agreement: AgreementView | null): string {
  return agreement ? `Edit ${agreement.name}` : 'New agreement';
}
