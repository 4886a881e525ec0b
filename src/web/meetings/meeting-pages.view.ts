import type { Actor } from '../../access/actor.js';
import { isAdmin, isHeadOf } from '../../access/permissions.js';
import type { FieldErrors } from '../../common/errors.js';
import { inZone } from '../../common/instant-format.js';
import { mayKeepRecord, mayOrganise } from '../../meetings/domain/meeting-roles.js';
import type { MeetingView } from '../../meetings/meeting-room.dto.js';
import type { SeriesView } from '../../meetings/meetings.dto.js';
import type { Directory } from '../directory.js';
import { agendaEntries, attendanceValues, closedDayNote, ENGLISH, invitedOf, minutesBody, type Say, signedOffBy, upcomingAndPast } from './meeting-room.view.js';
import type { Locale } from '../../i18n/locales.js';

/**
 * The meeting pages as a reader sees them: the list of their series' meetings, the meeting room
 * (attendance, agenda with notes and outcomes, the minutes' steps) and the minutes. The services
 * decide who may do what; these only hide buttons that would be refused.
 */

const outcomeTypes = (say: Say) => [
  { value: 'information', label: say('meetings.room.typeInformation') },
  { value: 'decision', label: say('meetings.room.typeDecision') },
  { value: 'action', label: say('meetings.room.typeAction') },
];
const absence = (say: Say) => [
  { value: 'absent', label: say('meetings.room.absent') },
  { value: 'excused', label: say('meetings.room.excused') },
];
/** The key of the outcome form of no agenda item. */
export const GENERAL = 'general';

export type Section = 'attendance' | 'notes' | 'outcome' | 'agenda' | 'minutes' | 'schedule';

/** What a refused post puts back on the room page: which form, what was typed, what is wrong. */
export interface Refused {
  section: Section;
  /** The agenda item of a notes or outcome form; GENERAL for an outcome of no item. */
  key: string | null;
  values: unknown;
  errors: FieldErrors;
  /** The status of the refusal, as the API answers it; 400 when not given. */
  status?: number;
}

/** The series a person organises or takes part in. */
export function seriesOf(actor: Actor, series: SeriesView[]): SeriesView[] {
  return series.filter((one) => mayOrganise(actor, one) || one.participants.some((participant) => participant.personId === actor.personId));
}

export function presentList(actor: Actor, mine: SeriesView[], now: Date, zone: string, say: Say = ENGLISH, locale: Locale = 'en') {
  const meetings = mine.flatMap((series) =>
    series.meetings.map((meeting) => ({
      ...meeting,
      timezone: series.timezone,
      location: series.location,
      seriesStatus: series.status,
      closedNote: closedDayNote(meeting, series.timezone, say, locale),
    })),
  );
  const { upcoming, past } = upcomingAndPast(meetings, now);
  return {
    zone,
    series: mine.map((s) => ({ id: s.id, title: s.title })),
    upcoming,
    past,
    // The service decides on the departments chosen; members would only ever be refused.
    mayPlan: isAdmin(actor) || actor.role === 'head',
  };
}

/** The names, ids and labels of one outcome form's fields (of agenda item `position`, or of the meeting when null): several such forms share the room page. */
export function outcomeFields(key: string, position: number | null, say: Say = ENGLISH) {
  const base = `outcomes.${key}`;
  const label = (field: string) => (position === null ? say(`meetings.room.${field}OfMeeting`) : say(`meetings.room.${field}OfItem`, { position }));
  return {
    key,
    type: `${base}.type`,
    text: `${base}.text`,
    rationale: `${base}.rationale`,
    ownerId: `${base}.ownerId`,
    dueOn: `${base}.dueOn`,
    typeLabel: label('kind'),
    textLabel: label('outcome'),
    rationaleLabel: label('rationale'),
    ownerLabel: label('owner'),
    dueLabel: label('due'),
  };
}

/** The revisions of the minutes, with the departments that signed each by name. */
function revisionsOf(meeting: MeetingView, directory: Directory) {
  return meeting.revisions.map((revision) => ({
    ...revision,
    approvedBy: revision.approvedBy.map((departmentId) => directory.departmentName(departmentId, departmentId)),
  }));
}

/** Whether the reader may sign off the minutes now: the head of a department of the series that has not signed this revision. */
function maySignOff(actor: Actor, series: SeriesView, meeting: MeetingView): boolean {
  const department = series.departmentIds.find((departmentId) => isHeadOf(actor, departmentId));
  return !!department && meeting.minutesStatus === 'final' && !signedOffBy(meeting).includes(department);
}

export function roomTitle(series: SeriesView, meeting: MeetingView, zone: string, locale: Locale = 'en'): string {
  const day = locale === 'en' ? inZone(meeting.startsAt, zone).toFormat('d LLL yyyy') : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: zone }).format(new Date(meeting.startsAt));
  return `${series.title}, ${day}`;
}

/**
 * The meeting room: times read in the reader's zone, the meeting's own beside; a new start is
 * typed in the series' zone. A refused post comes back with what was typed and its errors.
 */
export function presentRoom(input: { actor: Actor; meeting: MeetingView; series: SeriesView; directory: Directory; refused: Refused | null; zone: string; say?: Say; locale?: Locale }) {
  const { actor, meeting, series, directory, refused, zone } = input;
  const say = input.say ?? ENGLISH;
  const locale = input.locale ?? 'en';
  const writer = mayKeepRecord(actor, series);
  const draft = meeting.minutesStatus === 'none' || meeting.minutesStatus === 'draft';
  const invited = invitedOf(series.participants);
  const agenda = agendaEntries(meeting.agenda, meeting.outcomes, say);
  const emptyOutcome = { type: 'information', text: '', rationale: '', ownerId: '', dueOn: '' };

  const values = {
    ...attendanceValues(invited, meeting.attendance),
    notes: Object.fromEntries(meeting.agenda.map((item) => [item.id, item.notes ?? ''])),
    outcomes: Object.fromEntries([...agenda.map((item) => [item.id, emptyOutcome]), [GENERAL, emptyOutcome]]),
    newItem: { title: '' },
    startsAt: meeting.localStart,
  };
  if (refused?.section === 'attendance') values.entries = refused.values as typeof values.entries;
  if (refused?.section === 'notes' && refused.key) values.notes[refused.key] = String(refused.values ?? '');
  if (refused?.section === 'outcome' && refused.key) values.outcomes[refused.key] = refused.values as typeof emptyOutcome;
  if (refused?.section === 'agenda' && refused.values) values.newItem = refused.values as typeof values.newItem;
  if (refused?.section === 'schedule' && typeof refused.values === 'string') values.startsAt = refused.values;

  const fieldErrors = refused ? Object.fromEntries(Object.entries(refused.errors).filter(([path]) => path !== 'form')) : {};
  const problem = refused?.errors.form?.join(' ') ?? null;
  const personOptions = directory.people.map((person) => ({ value: person.id, label: person.name }));
  const invitedIds = new Set(invited.map((participant) => participant.personId));
  const nobody = say('meetings.room.nobody');

  return {
    meeting,
    closedNote: closedDayNote(meeting, series.timezone, say, locale),
    zone,
    series: { id: series.id, title: series.title, timezone: series.timezone, location: series.location, quorumRule: series.quorum.rule },
    moveHint: say('meetings.room.moveHint', { zone: series.timezone, minutes: series.durationMinutes }),
    chair: directory.memberName(series.chairId),
    minuteTaker: directory.memberName(series.minuteTakerId),
    agenda: agenda.map((item) => ({
      ...item,
      notesField: `notes.${item.id}`,
      notesLabel: say('meetings.room.notesOnItem', { position: item.position }),
      outcome: outcomeFields(item.id, item.position, say),
      outcomeOpen: refused?.section === 'outcome' && refused.key === item.id,
    })),
    otherOutcomes: meeting.outcomes.filter((outcome) => outcome.agendaItemId === null),
    generalOutcome: outcomeFields(GENERAL, null, say),
    generalOutcomeOpen: refused?.section === 'outcome' && refused.key === GENERAL,
    attendanceRows: invited.map((participant, index) => {
      const others = invited.filter((other) => other.personId !== participant.personId);
      return {
        index,
        personId: participant.personId,
        name: participant.name,
        role: participant.role,
        department: directory.departmentName(participant.departmentId, null),
        personIdName: `entries[${index}][personId]`,
        personIdError: (fieldErrors[`entries[${index}].personId`] ?? []).join('; ') || null,
        personIdErrorId: `f-entries-${index}-personId-error`,
        presentField: `entries[${index}].present`,
        presentLabel: say('meetings.room.presentLabel', { name: participant.name }),
        statusField: `entries[${index}].status`,
        statusLabel: say('meetings.room.statusLabel', { name: participant.name }),
        delegateField: `entries[${index}].delegateFor`,
        delegateLabel: say('meetings.room.delegateLabel', { name: participant.name }),
        delegateOptions: [{ value: '', label: nobody }, ...others.map((other) => ({ value: other.personId, label: other.name }))],
      };
    }),
    standIn: {
      index: invited.length,
      standInName: `entries[${invited.length}][standIn]`,
      personField: `entries[${invited.length}].personId`,
      delegateField: `entries[${invited.length}].delegateFor`,
      personOptions: [{ value: '', label: nobody }, ...personOptions.filter((option) => !invitedIds.has(option.value))],
      delegateOptions: [{ value: '', label: nobody }, ...invited.map((participant) => ({ value: participant.personId, label: participant.name }))],
    },
    attendance: meeting.attendance,
    absenceOptions: absence(say),
    typeOptions: outcomeTypes(say),
    ownerOptions: [{ value: '', label: nobody }, ...personOptions],
    revisions: revisionsOf(meeting, directory),
    signedOff: signedOffBy(meeting).map((departmentId) => directory.departmentName(departmentId, departmentId)),
    may: {
      edit: writer && draft && meeting.status !== 'cancelled',
      finalize: writer && meeting.minutesStatus === 'draft' && meeting.status === 'held',
      recordAttendanceFirst: writer && meeting.minutesStatus === 'draft' && meeting.status !== 'held',
      approve: maySignOff(actor, series, meeting),
      correct: writer && (meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved'),
      // Only a meeting still to be held moves or is cancelled; final minutes say when it happened.
      move: mayOrganise(actor, series) && meeting.status === 'scheduled' && draft,
      cancel: mayOrganise(actor, series) && meeting.status === 'scheduled',
    },
    values,
    errors: Object.keys(fieldErrors).length > 0 ? fieldErrors : null,
    problem,
    failed: refused?.section ?? null,
  };
}

/** The minutes as they stand, or a stored revision (`revision`), inside the site's layout. */
export function presentMinutes(input: {
  actor: Actor;
  meeting: MeetingView;
  series: SeriesView;
  directory: Directory;
  /** The minutes as the minutes template rendered them, a whole HTML document. */
  html: string;
  revision: number | undefined;
  errors: FieldErrors | null;
}) {
  const { actor, meeting, series, directory, revision, errors } = input;
  return {
    meeting,
    // The minutes template escapes everything it is given; only its markup is trusted here.
    minutesHtml: minutesBody(input.html),
    revision: revision ?? null,
    revisions: revisionsOf(meeting, directory),
    pdfHref: `/meetings/${meeting.id}/minutes.pdf${revision ? `?revision=${revision}` : ''}`,
    mayApprove: revision === undefined && maySignOff(actor, series, meeting),
    problem: errors ? Object.values(errors).flat().join(' ') : null,
  };
}
