import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import type { AgendaItemView, AttendanceView, MeetingView, OutcomeView } from '../../meetings/meeting-room.dto.js';
import type { MeetingSummary, ParticipantView } from '../../meetings/meetings.dto.js';
import { inZone } from '../../common/instant-format.js';
import { checkbox, text } from '../forms.js';
import type { Locale } from '../../i18n/locales.js';
import { type MessageValues, sharedTranslator } from '../../i18n/translator.js';

/** A message of the catalogues in the reader's language (PageRenderer.t bound to a request). */
export type Say = (key: string, values?: MessageValues) => string;
/** English, for callers with no reader in particular (and the views' unit tests). */
export const ENGLISH: Say = (key, values) => sharedTranslator().t('en', key, values);

/**
 * What the meeting pages show, shaped from the API's views: the templates are strict, so every
 * key a template reads is present (null or an empty list, never missing).
 */

/** Where an agenda item came from, by its source (the catalogue's `meetings.agendaSource`). */
const AGENDA_SOURCES = new Set(['breaches', 'quotas', 'kpis', 'actions', 'briefs', 'template', 'manual']);

interface BreachDetail {
  id: string;
  subject: string;
  dueAt: string;
  owner: string | null;
  explained: boolean;
  cause: string | null;
  correctiveAction: string | null;
  /** Agendas built before explanations were reviewed have none. */
  reviewStatus?: string | null;
  disputed?: boolean;
}
interface QuotaDetail {
  label: string;
  count: number;
  minimum: number;
  status: string;
  projected: number | null;
}
interface KpiDetail {
  label: string;
  cohort: number;
  converted: number;
  percent: number | null;
  minimumPercent: number;
  status: string;
  projected: number | null;
  onTrack: boolean | null;
}
interface ActionDetail {
  id: string;
  text: string;
  owner: string | null;
  dueOn: string | null;
  overdue: boolean;
}
interface BriefDetail {
  id: string;
  title: string;
  status: string;
  lastStep: string;
  at: string;
  comment: string | null;
}

export interface AgendaEntry {
  id: string;
  position: number;
  source: string;
  sourceLabel: string;
  title: string;
  /** The catalogue message a generated item's title is said again with (see AgendaBuilder), else null. */
  titleMessage: { key: string; values: Record<string, unknown> } | null;
  notes: string | null;
  breaches: BreachDetail[] | null;
  quotas: { periods: QuotaDetail[]; onTrack: boolean | null } | null;
  kpis: { fromStage: string; toStage: string; periods: KpiDetail[] } | null;
  actions: ActionDetail[] | null;
  briefs: BriefDetail[] | null;
  outcomes: OutcomeView[];
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const orNull = <T>(value: T | undefined | null): T | null => (value === undefined ? null : value);

/** The agenda with each item's data in a shape a template can show, and the outcomes recorded on it. */
export function agendaEntries(agenda: AgendaItemView[], outcomes: OutcomeView[], say: Say = ENGLISH): AgendaEntry[] {
  return agenda.map((item) => {
    const details = (item.details && typeof item.details === 'object' ? item.details : {}) as Record<string, unknown>;
    return {
      id: item.id,
      position: item.position,
      source: item.source,
      sourceLabel: AGENDA_SOURCES.has(item.source) ? say('meetings.agendaSource', { source: item.source }) : item.source,
      title: item.title,
      titleMessage: (details.message as AgendaEntry['titleMessage'] | undefined) ?? null,
      notes: item.notes,
      breaches:
        item.source === 'breaches'
          ? list<BreachDetail>(details.breaches).map((b) => ({ ...b, owner: orNull(b.owner), cause: orNull(b.cause), correctiveAction: orNull(b.correctiveAction), explained: !!b.explained, disputed: b.reviewStatus === 'disputed' }))
          : null,
      quotas:
        item.source === 'quotas'
          ? { periods: list<QuotaDetail>(details.periods).map((p) => ({ ...p, projected: orNull(p.projected) })), onTrack: orNull(details.onTrack as boolean | null | undefined) }
          : null,
      kpis:
        item.source === 'kpis'
          ? {
              fromStage: String(details.fromStage ?? ''),
              toStage: String(details.toStage ?? ''),
              periods: list<KpiDetail>(details.periods).map((p) => ({ ...p, percent: orNull(p.percent), projected: orNull(p.projected), onTrack: orNull(p.onTrack) })),
            }
          : null,
      actions: item.source === 'actions' ? list<ActionDetail>(details.actions).map((a) => ({ ...a, owner: orNull(a.owner), dueOn: orNull(a.dueOn), overdue: !!a.overdue })) : null,
      briefs: item.source === 'briefs' ? list<BriefDetail>(details.briefs).map((b) => ({ ...b, comment: orNull(b.comment) })) : null,
      outcomes: outcomes.filter((outcome) => outcome.agendaItemId === item.id),
    };
  });
}

/** The people invited to take part (informed-only people get the minutes, they are not expected). */
export function invitedOf(participants: ParticipantView[]): ParticipantView[] {
  return participants.filter((participant) => participant.role !== 'informed');
}

/**
 * The attendance form's values from what was recorded: one row per invited person (ticked when
 * present, in person or standing in), then a row for someone from outside the series standing in.
 */
export function attendanceValues(invited: ParticipantView[], attendance: AttendanceView[]): { entries: Record<string, string | boolean>[] } {
  const recorded = new Map(attendance.map((record) => [record.person.id, record]));
  const entries: Record<string, string | boolean>[] = invited.map((participant) => {
    const record = recorded.get(participant.personId);
    return {
      personId: participant.personId,
      present: record ? record.status === 'present' || record.status === 'delegate' : false,
      status: record && (record.status === 'absent' || record.status === 'excused') ? record.status : 'absent',
      delegateFor: record?.delegateFor?.id ?? '',
    };
  });
  const invitedIds = new Set(invited.map((participant) => participant.personId));
  const outsider = attendance.find((record) => !invitedIds.has(record.person.id) && record.status === 'delegate');
  entries.push({ personId: outsider?.person.id ?? '', delegateFor: outsider?.delegateFor?.id ?? '', standIn: 'true' });
  return { entries };
}

/** A form's numbered rows (`entries[0][…]`), whether qs made them a list or, past its array limit, an object. */
export function numberedRows(value: unknown): [number, Record<string, unknown>][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([key, row]) => /^\d+$/.test(key) && !!row && typeof row === 'object')
    .map(([key, row]): [number, Record<string, unknown>] => [Number(key), row as Record<string, unknown>])
    .sort((a, b) => a[0] - b[0]);
}

export interface AttendanceRequest {
  /** What the API's AttendanceDto takes. */
  entries: { personId: unknown; status: unknown; delegateFor?: unknown }[];
  /** For each entry, the number of the form row it came from: errors are shown on that row. */
  rows: number[];
}

/**
 * Reads the attendance form: a ticked person is present; one who stands in for someone is a
 * delegate (as is whoever the stand-in row names); an unticked one is absent or excused as
 * chosen. A row naming nobody is skipped.
 * Values are passed on as typed, for the API's rules to judge.
 */
export function attendanceRequest(body: Record<string, unknown>): AttendanceRequest {
  const entries: AttendanceRequest['entries'] = [];
  const rows: number[] = [];
  for (const [row, cells] of numberedRows(body.entries)) {
    const personId = text(cells.personId);
    if (personId === undefined) continue;
    const delegateFor = text(cells.delegateFor);
    // Standing in for someone means being there, ticked or not.
    let entry: AttendanceRequest['entries'][number];
    if (checkbox(cells.standIn) || delegateFor !== undefined) entry = { personId, status: 'delegate', delegateFor };
    else if (checkbox(cells.present)) entry = { personId, status: 'present' };
    else entry = { personId, status: text(cells.status) ?? 'absent' };
    if (entry.delegateFor === undefined) delete entry.delegateFor;
    entries.push(entry);
    rows.push(row);
  }
  return { entries, rows };
}

/** An error about `entries[3].status` of the request, moved to the form row it came from. */
export function errorsOnRows(errors: FieldErrors, rows: number[]): FieldErrors {
  const moved: FieldErrors = fieldErrors();
  for (const [path, messages] of Object.entries(errors)) {
    const target = path.replace(/^entries\[(\d+)\]/, (whole, index: string) => (rows[Number(index)] !== undefined ? `entries[${rows[Number(index)]}]` : whole));
    moved[target] = [...(moved[target] ?? []), ...messages];
  }
  return moved;
}

/**
 * Several forms share the room page, so each names its fields under its own prefix
 * (`outcomes.general.text`) to keep ids unique; the API's error paths are moved there too.
 * Errors naming no field (`form`) stay as they are: the page shows them at the top.
 */
export function prefixed(errors: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([path, messages]) => [path === 'form' ? path : `${prefix}.${path}`, messages]));
}

/** For a form of a single field: whatever the API names, the error belongs next to that field. */
export function onField(errors: FieldErrors, field: string): FieldErrors {
  const moved: FieldErrors = fieldErrors();
  for (const [path, messages] of Object.entries(errors)) {
    const target = path === 'form' ? path : field;
    moved[target] = [...(moved[target] ?? []), ...messages];
  }
  return moved;
}

/** The content of the minutes' <body>: the page shows it inside its own layout. */
export function minutesBody(html: string): string {
  const match = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return (match ? match[1] : html).trim();
}

/** Meetings to come (soonest first) and meetings past (latest first), as of `now`. */
export function upcomingAndPast<T extends Pick<MeetingSummary, 'startsAt' | 'endsAt'>>(meetings: T[], now: Date): { upcoming: T[]; past: T[] } {
  const at = now.getTime();
  const byStart = [...meetings].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return {
    upcoming: byStart.filter((meeting) => Date.parse(meeting.endsAt) > at),
    past: byStart.filter((meeting) => Date.parse(meeting.endsAt) <= at).reverse(),
  };
}

/** What the series' calendar says of a meeting, for a badge and the words beside it. */
export interface ClosedDayNote {
  label: string;
  reason: string | null;
}

/**
 * A meeting on a date its series' calendar closes (kept there, or moved there by hand), one the
 * calendar skipped, or one it moved off a closed date (saying which, in the series' zone); null
 * for a meeting the calendar has nothing to say about.
 */
export function closedDayNote(
  meeting: Pick<MeetingSummary, 'closedDay' | 'closedReason' | 'calendarChange' | 'occurrenceStart'>,
  seriesZone: string,
  say: Say = ENGLISH,
  locale: Locale = 'en',
): ClosedDayNote | null {
  if (meeting.calendarChange === 'skipped') return { label: say('meetings.closedDay.skipped'), reason: meeting.closedReason };
  if (meeting.closedDay) return { label: say('meetings.closedDay.closed'), reason: meeting.closedReason };
  if (meeting.calendarChange === 'moved') {
    const from = locale === 'en'
      ? inZone(meeting.occurrenceStart, seriesZone).toFormat('ccc d LLL')
      : new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: seriesZone }).format(new Date(meeting.occurrenceStart));
    return {
      label: say('meetings.closedDay.movedOff'),
      reason: meeting.closedReason ? say('meetings.closedDay.movedFrom', { from, reason: meeting.closedReason }) : say('meetings.closedDay.movedFromClosed', { from }),
    };
  }
  return null;
}

/** Departments that have signed off the current revision of the minutes. */
export function signedOffBy(meeting: Pick<MeetingView, 'revisions' | 'minutesRevision'>): string[] {
  return meeting.revisions.find((revision) => revision.revision === meeting.minutesRevision)?.approvedBy ?? [];
}

/** The fields of a form that were typed (text() gives undefined for one left blank): what a DTO is given. */
export function typedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** `?revision=2`; anything else shows the minutes as they stand (the service names a missing revision). */
export function revisionNumber(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
}
