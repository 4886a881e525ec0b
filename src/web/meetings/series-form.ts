import { ENGLISH } from './meeting-room.view.js';
import { DateTime } from 'luxon';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { asRecord, lines, numeric, rows, text } from '../forms.js';

/**
 * The "plan a series" form's translation between what a browser posts and CreateSeriesDto, both
 * ways, and the recurrence presets a head understands turned into RRULEs. Plain functions, tested
 * on their own; the API's validation and the service still decide.
 */

export const RECURRENCE_PRESETS = ['monthly', 'biweekly', 'quarterly', 'weekly', 'custom'] as const;
export type RecurrencePreset = (typeof RECURRENCE_PRESETS)[number];

export const RECURRENCE_OPTIONS: { value: RecurrencePreset; label: string }[] = [
  { value: 'monthly', label: 'Monthly, on the same weekday (e.g. first Tuesday)' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'quarterly', label: 'Quarterly (every three months, same weekday)' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'custom', label: 'Custom RRULE' },
];

export const PARTICIPATION = ['none', 'required', 'optional', 'informed'] as const;
export type Participation = (typeof PARTICIPATION)[number];

export const PARTICIPATION_OPTIONS: { value: Participation; label: string }[] = [
  { value: 'none', label: 'Not invited' },
  { value: 'required', label: 'Required' },
  { value: 'optional', label: 'Optional' },
  { value: 'informed', label: 'Informed (minutes only)' },
];

export const CLOSED_DAY_OPTIONS: { value: string; label: string }[] = [
  { value: 'keep', label: 'Keep it, marked as on a closed day' },
  { value: 'next-open-day', label: 'Move it to the next open day, same time' },
  { value: 'skip', label: 'Skip it' },
];

/** The most occurrences a series may have (the service plans at most 500). */
export const QUORUM_OPTIONS = [
  { value: 'heads', key: 'meetings.seriesForm.quorumHeads' },
  { value: 'all-required', key: 'meetings.seriesForm.quorumAllRequired' },
];
/** The catalogue key of each option of the form's selects, by value. */
const OPTION_KEYS: Record<string, string> = {
  monthly: 'meetings.seriesForm.presetMonthly',
  biweekly: 'meetings.seriesForm.presetBiweekly',
  quarterly: 'meetings.seriesForm.presetQuarterly',
  weekly: 'meetings.seriesForm.presetWeekly',
  custom: 'meetings.seriesForm.presetCustom',
  none: 'meetings.seriesForm.notInvited',
  required: 'meetings.seriesForm.required',
  optional: 'meetings.seriesForm.optional',
  informed: 'meetings.seriesForm.informed',
  keep: 'meetings.seriesForm.closedKeep',
  'next-open-day': 'meetings.seriesForm.closedMove',
  skip: 'meetings.seriesForm.closedSkip',
};

/** The form's choices in the reader's language: the labels above, said by the catalogue. */
export function seriesFormChoices(say: (key: string) => string) {
  const translated = (options: { value: string; label: string }[]) => options.map((option) => ({ value: option.value, label: OPTION_KEYS[option.value] ? say(OPTION_KEYS[option.value]) : option.label }));
  return {
    recurrenceOptions: translated(RECURRENCE_OPTIONS),
    participationOptions: translated(PARTICIPATION_OPTIONS),
    quorumOptions: QUORUM_OPTIONS.map((option) => ({ value: option.value, label: say(option.key) })),
    closedDayOptions: translated(CLOSED_DAY_OPTIONS),
  };
}

export const MAX_COUNT = 500;

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** How a series ends, as typed: a number of meetings, or the last day. */
export interface SeriesEnd {
  count?: string;
  until?: string;
}

export interface RuleResult {
  /** The RRULE, or null when it cannot be made from what was typed (errors say why, or startsOn is wrong). */
  rule: string | null;
  /** Errors on the form's own fields (`count`, `until`, `rrule`). */
  errors: FieldErrors;
}

/**
 * Which of its weekday the day is in its month: 1 for the first Tuesday … 4 for the fourth, and
 * -1 for a fifth. Most months have no fifth Tuesday, so "the fifth" would skip months silently;
 * the fifth is always the last one of its month, and the last exists every month.
 */
export function weekdayOrdinal(day: number): number {
  const ordinal = Math.ceil(day / 7);
  return ordinal === 5 ? -1 : ordinal;
}

/**
 * The RRULE of a preset for a first meeting at `startsOn` (local "YYYY-MM-DDTHH:mm"), ending after
 * `count` meetings or on the day `until` (inclusive, local). A custom rule is taken as typed; the
 * end typed in the form is added only when the rule has neither COUNT nor UNTIL, and a rule that
 * still never ends is left for the API to refuse, as it would over HTTP.
 */
export function recurrenceRule(preset: string, startsOn: string, end: SeriesEnd, custom?: string): RuleResult {
  // In English, as the API writes its own: the page shows every field message in the reader's language (i18n/field-messages.ts).
  const say = ENGLISH;
  const errors: FieldErrors = fieldErrors();
  const count = end.count?.trim() ?? '';
  const until = end.until?.trim() ?? '';
  if (count && until) errors.until = [say('validation.seriesNotBoth')];
  if (count && !(/^\d+$/.test(count) && Number(count) >= 1 && Number(count) <= MAX_COUNT)) {
    errors.count = [say('validation.seriesCount', { max: MAX_COUNT })];
  }
  const untilDay = until ? DateTime.fromISO(until, { zone: 'utc' }) : null;
  if (until && !(DAY.test(until) && untilDay?.isValid)) errors.until = [say('validation.seriesUntil')];

  // RRULE matching runs on the zone's wall-clock times written as UTC (see domain/recurrence.ts),
  // so the last day's end is written the same way: the whole local day is included.
  const ending = count ? `COUNT=${count}` : until ? `UNTIL=${until.replace(/-/g, '')}T235959Z` : null;

  if (preset === 'custom') {
    const typed = (custom ?? '').trim().replace(/^RRULE:/i, '');
    if (!typed) return { rule: null, errors: { ...errors, rrule: [say('validation.seriesRrule')] } };
    if (Object.keys(errors).length > 0) return { rule: null, errors };
    const ends = /(^|;)\s*(COUNT|UNTIL)\s*=/i.test(typed);
    return { rule: ends || !ending ? typed : `${typed.replace(/;\s*$/, '')};${ending}`, errors };
  }
  if (!(RECURRENCE_PRESETS as readonly string[]).includes(preset)) {
    return { rule: null, errors: { ...errors, recurrence: [say('validation.seriesRecurrence')] } };
  }
  if (!ending && Object.keys(errors).length === 0) {
    errors.count = [say('validation.seriesMustEnd')];
  }
  // A start of the wrong shape is named by the API's validation; a day that does not exist
  // (30 February) only by its rule check, which needs a rule: the form names it instead.
  if (!LOCAL.test(startsOn)) return { rule: null, errors };
  const start = DateTime.fromISO(startsOn, { zone: 'utc' });
  if (!start.isValid) errors.startsOn = [say('validation.seriesStartsOn', { startsOn })];
  if (Object.keys(errors).length > 0) return { rule: null, errors };

  const weekday = WEEKDAYS[start.weekday - 1];
  const ordinal = weekdayOrdinal(start.day);
  const body: Record<Exclude<RecurrencePreset, 'custom'>, string> = {
    monthly: `FREQ=MONTHLY;BYDAY=${ordinal}${weekday}`,
    biweekly: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${weekday}`,
    quarterly: `FREQ=MONTHLY;INTERVAL=3;BYDAY=${ordinal}${weekday}`,
    weekly: `FREQ=WEEKLY;BYDAY=${weekday}`,
  };
  return { rule: `${body[preset as Exclude<RecurrencePreset, 'custom'>]};${ending}`, errors };
}

/** What the form shows, every value a string as typed (the templates are strict: nothing missing). */
export interface SeriesFormValues {
  title: string;
  departmentIds: string[];
  timezone: string;
  startsOn: string;
  recurrence: string;
  rrule: string;
  count: string;
  until: string;
  durationMinutes: string;
  location: string;
  chairId: string;
  minuteTakerId: string;
  participants: { personId: string; role: string }[];
  agendaTemplate: string;
  quorum: { rule: string };
  /** The business calendar the meetings are placed on; '' for none. */
  calendarId: string;
  onClosedDay: string;
}

export interface PersonChoice {
  id: string;
  departmentId: string | null;
}

/**
 * A blank form: the departments given checked, their heads required, everyone else not invited,
 * the signed-in person in the chair, monthly for a year.
 */
export function blankSeriesForm(people: PersonChoice[], heads: string[], departmentIds: string[], timezone: string, chairId: string | null): SeriesFormValues {
  const required = new Set(heads);
  return {
    title: '',
    departmentIds,
    timezone,
    startsOn: '',
    recurrence: 'monthly',
    rrule: '',
    count: '12',
    until: '',
    durationMinutes: '60',
    location: '',
    chairId: chairId ?? '',
    minuteTakerId: '',
    participants: people.map((person) => ({ personId: person.id, role: required.has(person.id) ? 'required' : 'none' })),
    agendaTemplate: '',
    quorum: { rule: 'heads' },
    calendarId: '',
    onClosedDay: 'keep',
  };
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Checkboxes of one name come as one string, a list, or (past qs' array limit) an object. */
function ticked(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

/** A posted form as the form shows it again: what was typed, untouched. */
export function seriesFormValuesOf(body: unknown): SeriesFormValues {
  const form = asRecord(body);
  return {
    title: shown(form.title),
    departmentIds: ticked(form.departmentIds),
    timezone: shown(form.timezone),
    startsOn: shown(form.startsOn),
    recurrence: shown(form.recurrence),
    rrule: shown(form.rrule),
    count: shown(form.count),
    until: shown(form.until),
    durationMinutes: shown(form.durationMinutes),
    location: shown(form.location),
    chairId: shown(form.chairId),
    minuteTakerId: shown(form.minuteTakerId),
    participants: rows(form.participants).map((row) => ({ personId: shown(row.personId), role: shown(row.role) || 'none' })),
    agendaTemplate: shown(form.agendaTemplate),
    quorum: { rule: shown(asRecord(form.quorum).rule) },
    calendarId: shown(form.calendarId),
    onClosedDay: shown(form.onClosedDay),
  };
}

export interface SeriesRequest {
  /** The body for CreateSeriesDto; typed values kept as typed for the validator to name. */
  request: Record<string, unknown>;
  /** For each participant sent, the row of the form it came from (rows not invited are not sent). */
  participantRows: number[];
  /** Errors the form itself finds (how the series ends), before the API's. */
  errors: FieldErrors;
}

/** A posted form as the API's request. */
export function seriesRequestOf(values: SeriesFormValues): SeriesRequest {
  const { rule, errors } = recurrenceRule(values.recurrence, values.startsOn.trim(), { count: values.count, until: values.until }, values.rrule);
  const participantRows: number[] = [];
  const participants: Record<string, unknown>[] = [];
  values.participants.forEach((row, index) => {
    if (row.role === 'none' || row.role === '') return;
    participantRows.push(index);
    participants.push({ personId: row.personId.trim(), role: row.role });
  });
  const request: Record<string, unknown> = {
    title: values.title.trim(),
    departmentIds: values.departmentIds,
    timezone: values.timezone.trim(),
    startsOn: values.startsOn.trim(),
    durationMinutes: numeric(values.durationMinutes),
    location: text(values.location) ?? null,
    chairId: text(values.chairId) ?? null,
    minuteTakerId: text(values.minuteTakerId) ?? null,
    participants,
    agendaTemplate: lines(values.agendaTemplate),
    quorum: { rule: values.quorum.rule.trim() },
  };
  if (rule !== null) request.rrule = rule;
  const calendarId = text(values.calendarId);
  const onClosedDay = values.onClosedDay.trim();
  if (calendarId) request.calendarId = calendarId;
  // Without a calendar the default means nothing and is not sent; another choice is, for the API to refuse by name.
  if (calendarId || (onClosedDay !== '' && onClosedDay !== 'keep')) request.onClosedDay = onClosedDay;
  return { request, participantRows, errors };
}

/**
 * The API's error paths moved to the form's controls: a participant's error to the role select of
 * its row, the list itself to the first row, an agenda line to the agenda box, the rule to the
 * control it was made from. Errors the form found itself win over the API's on the rule.
 */
export function seriesFormErrors(apiErrors: FieldErrors, own: SeriesRequest, values: SeriesFormValues): FieldErrors {
  const moved: FieldErrors = Object.assign(fieldErrors(), own.errors);
  const add = (path: string, messages: string[]) => {
    moved[path] = [...(moved[path] ?? []), ...messages];
  };
  const ruleField = values.recurrence === 'custom' ? 'rrule' : values.until.trim() ? 'until' : 'count';
  const ruleOwn = ['rrule', 'count', 'until', 'recurrence'].some((path) => own.errors[path]);
  for (const [path, messages] of Object.entries(apiErrors)) {
    const row = /^participants\[(\d+)\]/.exec(path);
    if (row) add(`participants[${own.participantRows[Number(row[1])] ?? row[1]}].role`, messages);
    else if (path === 'participants') add('participants[0].role', messages);
    else if (path.startsWith('agendaTemplate')) add('agendaTemplate', messages);
    else if (path.startsWith('quorum')) add('quorum.rule', messages);
    else if (path.startsWith('departmentIds')) add('departmentIds', messages);
    else if (path === 'rrule') {
      // A rule not made because startsOn is wrong: the API names startsOn, nothing to add here.
      if (!ruleOwn && own.request.rrule !== undefined) add(ruleField, messages);
    } else add(path, messages);
  }
  return moved;
}

/**
 * A new start typed in a datetime-local box, read in the series' zone, as the instant
 * MoveMeetingDto takes; null when it is no local date and time. A time the clocks skip (spring
 * forward) moves forward, as calendars do.
 */
export function instantOfLocal(local: string, timezone: string): string | null {
  const typed = local.trim();
  if (!LOCAL.test(typed)) return null;
  const start = DateTime.fromISO(typed, { zone: timezone });
  return start.isValid ? start.toISO({ suppressMilliseconds: true }) : null;
}
