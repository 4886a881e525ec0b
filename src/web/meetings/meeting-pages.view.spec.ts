import type { Actor } from '../../access/actor.js';
import type { MeetingView } from '../../meetings/meeting-room.dto.js';
import type { MeetingSummary, ParticipantView, SeriesView } from '../../meetings/meetings.dto.js';
import { Directory } from '../directory.js';
import { GENERAL, outcomeFields, presentList, presentMinutes, presentRoom, roomTitle, seriesOf } from './meeting-pages.view.js';
import { revisionNumber, typedOnly } from './meeting-room.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const ZONE = 'Europe/Paris';

function actor(personId: string, role: Actor['role'], departmentId: string | null): Actor {
  return { personId, email: `${personId}@example.com`, role, departmentId, tokenId: 'session:test', scope: 'full' };
}

const participant = (personId: string, name: string, role: ParticipantView['role'], departmentId: string | null = null): ParticipantView => ({
  personId,
  name,
  email: `${personId}@example.com`,
  departmentId,
  role,
  delegateId: null,
});

function summary(id: string, startsAt: string, extra: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id,
    seriesId: 's1',
    title: 'Marketing & Sales weekly',
    occurrenceStart: startsAt,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
    localStart: '2026-11-09T10:00',
    status: 'scheduled',
    moved: false,
    quorumMet: null,
    minutesStatus: 'none',
    minutesRevision: 0,
    closedDay: false,
    closedReason: null,
    calendarChange: null,
    ...extra,
  };
}

function series(extra: Partial<SeriesView> = {}): SeriesView {
  return {
    id: 's1',
    title: 'Marketing & Sales weekly',
    departmentIds: [MARKETING, SALES],
    timezone: 'Europe/Paris',
    startsOn: '2026-11-02',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    durationMinutes: 60,
    location: 'Room 4',
    agendaTemplate: [],
    quorum: { rule: 'heads' },
    chairId: 'p-chair',
    minuteTakerId: 'p-taker',
    calendarId: null,
    onClosedDay: 'keep',
    sequence: 0,
    status: 'active',
    participants: [
      participant('p-maelle', 'Maëlle', 'required', MARKETING),
      participant('p-samir', 'Samir', 'required', SALES),
      participant('p-info', 'Ines', 'informed'),
    ],
    meetings: [],
    ...extra,
  };
}

function meeting(extra: Partial<MeetingView> = {}): MeetingView {
  return {
    ...summary('m1', '2026-11-09T09:00:00.000Z'),
    agenda: [{ id: 'i1', position: 1, source: 'template', title: 'Pipeline review', details: null, notes: 'Went well' }],
    attendance: [],
    outcomes: [],
    revisions: [],
    ...extra,
  };
}

const directory = new Directory(
  [
    { id: 'p-chair', name: 'Chloé' },
    { id: 'p-maelle', name: 'Maëlle' },
    { id: 'p-outsider', name: 'Otto' },
    { id: 'p-samir', name: 'Samir' },
  ],
  [
    { id: MARKETING, name: 'Marketing' },
    { id: SALES, name: 'Sales' },
  ],
);

const headOfMarketing = actor('p-maelle', 'head', MARKETING);
const member = actor('p-member', 'member', MARKETING);

describe('the list of meetings', () => {
  it("lists the series a person organises or takes part in, and nobody else's", () => {
    const other = series({ id: 's2', departmentIds: ['dep-finance'], participants: [participant('p-member', 'Marc', 'optional')] });
    expect(seriesOf(headOfMarketing, [series(), other]).map((one) => one.id)).toEqual(['s1']);
    expect(seriesOf(member, [series(), other]).map((one) => one.id)).toEqual(['s2']);
  });

  it("puts the series' meetings to come first and those over after, and offers planning to heads only", () => {
    const mine = [series({ meetings: [summary('past', '2026-11-02T09:00:00.000Z'), summary('next', '2026-11-16T09:00:00.000Z')] })];
    const view = presentList(headOfMarketing, mine, new Date('2026-11-09T08:00:00.000Z'), ZONE);
    expect(view.upcoming.map((one) => [one.id, one.location, one.timezone, one.seriesStatus])).toEqual([['next', 'Room 4', 'Europe/Paris', 'active']]);
    expect(view.past.map((one) => one.id)).toEqual(['past']);
    expect(view.series).toEqual([{ id: 's1', title: 'Marketing & Sales weekly' }]);
    expect(view.mayPlan).toBe(true);
    expect(presentList(member, mine, new Date('2026-11-09T08:00:00.000Z'), ZONE).mayPlan).toBe(false);
  });

  it("says which meetings fall on a day the series' calendar closes, and why", () => {
    const mine = [
      series({
        meetings: [
          summary('kept', '2026-11-16T09:00:00.000Z', { closedDay: true, closedReason: 'closed by the calendar' }),
          summary('open', '2026-11-23T09:00:00.000Z'),
        ],
      }),
    ];
    const view = presentList(headOfMarketing, mine, new Date('2026-11-09T08:00:00.000Z'), ZONE);
    expect(view.upcoming.map((one) => [one.id, one.closedNote])).toEqual([
      ['kept', { label: 'closed day', reason: 'closed by the calendar' }],
      ['open', null],
    ]);
  });
});

describe('the meeting room', () => {
  const room = (who: Actor, shown = meeting(), one = series(), refused: Parameters<typeof presentRoom>[0]['refused'] = null) =>
    presentRoom({ actor: who, meeting: shown, series: one, directory, refused, zone: ZONE });

  it('names the chair, the minute-taker (one removed since: a former member) and the departments of the invited', () => {
    const view = room(headOfMarketing);
    expect(view.chair).toBe('Chloé');
    expect(view.minuteTaker).toBe('a former member');
    expect(view.attendanceRows.map((row) => [row.name, row.department, row.presentLabel])).toEqual([
      ['Maëlle', 'Marketing', 'Maëlle present'],
      ['Samir', 'Sales', 'Samir present'],
    ]);
    expect(view.moveHint).toBe("Local date and time in Europe/Paris, the meeting's own zone; the meeting keeps its 60 minutes.");
    expect(roomTitle(series(), meeting(), ZONE)).toBe('Marketing & Sales weekly, 9 Nov 2026');
  });

  it('offers standing in to people outside the series, and anyone as owner of an outcome', () => {
    const view = room(headOfMarketing);
    expect(view.standIn.index).toBe(2);
    expect(view.standIn.personOptions.map((option) => option.label)).toEqual(['Nobody', 'Chloé', 'Otto']);
    expect(view.standIn.delegateOptions.map((option) => option.label)).toEqual(['Nobody', 'Maëlle', 'Samir']);
    expect(view.ownerOptions.map((option) => option.label)).toEqual(['Nobody', 'Chloé', 'Maëlle', 'Otto', 'Samir']);
    expect(view.agenda[0]).toMatchObject({ notesField: 'notes.i1', notesLabel: 'Notes on item 1', outcomeOpen: false, outcome: outcomeFields('i1', 1) });
    expect(view.values.notes).toEqual({ i1: 'Went well' });
    expect(view.values.outcomes[GENERAL]).toEqual({ type: 'information', text: '', rationale: '', ownerId: '', dueOn: '' });
  });

  it('lets those who keep the record write it while the minutes are a draft, and organisers move a meeting to come', () => {
    expect(room(headOfMarketing).may).toEqual({ edit: true, finalize: false, recordAttendanceFirst: false, approve: false, correct: false, move: true, cancel: true });
    expect(room(actor('p-taker', 'member', SALES)).may).toMatchObject({ edit: true, move: false, cancel: false });
    expect(room(member).may).toEqual({ edit: false, finalize: false, recordAttendanceFirst: false, approve: false, correct: false, move: false, cancel: false });
    const held = meeting({ status: 'held', minutesStatus: 'draft', minutesRevision: 1 });
    expect(room(actor('p-chair', 'member', null), held).may).toMatchObject({ edit: true, finalize: true, recordAttendanceFirst: false, move: false, cancel: false });
  });

  it("asks the heads who have not yet signed the final minutes to sign, naming those who did", () => {
    const final = meeting({
      status: 'held',
      minutesStatus: 'final',
      minutesRevision: 1,
      revisions: [{ revision: 1, status: 'final', finalizedAt: '2026-11-09T11:00:00.000Z', approvedAt: null, approvedBy: [SALES, 'dep-gone'] }],
    });
    const view = room(headOfMarketing, final);
    expect(view.may).toMatchObject({ approve: true, edit: false, correct: true });
    expect(view.signedOff).toEqual(['Sales', 'dep-gone']);
    expect(view.revisions[0].approvedBy).toEqual(['Sales', 'dep-gone']);
    expect(room(actor('p-samir', 'head', SALES), final).may.approve).toBe(false);
  });

  it('puts a refused form back as typed, its field errors beside it and the rest at the top', () => {
    const typed = { type: 'action', text: 'Call back', rationale: '', ownerId: '', dueOn: '' };
    const view = room(headOfMarketing, meeting(), series(), { section: 'outcome', key: 'i1', values: typed, errors: { 'outcomes.i1.ownerId': ['an action item needs an owner'], form: ['locked', 'now'] } });
    expect(view.values.outcomes.i1).toEqual(typed);
    expect(view.agenda[0].outcomeOpen).toBe(true);
    expect(view.generalOutcomeOpen).toBe(false);
    expect(view.errors).toEqual({ 'outcomes.i1.ownerId': ['an action item needs an owner'] });
    expect(view.problem).toBe('locked now');
    expect(view.failed).toBe('outcome');

    const moved = room(headOfMarketing, meeting(), series(), { section: 'schedule', key: null, values: '2026-11-10T14:00', errors: { form: ['no'] } });
    expect(moved.values.startsAt).toBe('2026-11-10T14:00');
    expect(moved.errors).toBeNull();

    const attendance = room(headOfMarketing, meeting(), series(), { section: 'attendance', key: null, values: [{ personId: 'p-maelle' }], errors: { 'entries[0].personId': ['not invited', 'twice'] } });
    expect(attendance.values.entries).toEqual([{ personId: 'p-maelle' }]);
    expect(attendance.attendanceRows[0].personIdError).toBe('not invited; twice');
    expect(attendance.attendanceRows[1].personIdError).toBeNull();
  });
});

describe('the minutes page', () => {
  const final = meeting({
    status: 'held',
    minutesStatus: 'final',
    minutesRevision: 2,
    revisions: [
      { revision: 1, status: 'approved', finalizedAt: '', approvedAt: '', approvedBy: [MARKETING, SALES] },
      { revision: 2, status: 'final', finalizedAt: '', approvedAt: null, approvedBy: [] },
    ],
  });
  const html = '<!DOCTYPE html><html><body><h1>Minutes</h1></body></html>';

  it('shows the minutes inside the page, with a PDF of the same revision, and asks a head to sign the current one', () => {
    const current = presentMinutes({ actor: headOfMarketing, meeting: final, series: series(), directory, html, revision: undefined, errors: null });
    expect(current).toMatchObject({ minutesHtml: '<h1>Minutes</h1>', revision: null, pdfHref: '/meetings/m1/minutes.pdf', mayApprove: true, problem: null });
    expect(current.revisions[0].approvedBy).toEqual(['Marketing', 'Sales']);
    const stored = presentMinutes({ actor: headOfMarketing, meeting: final, series: series(), directory, html, revision: 1, errors: { form: ['already signed'] } });
    expect(stored).toMatchObject({ revision: 1, pdfHref: '/meetings/m1/minutes.pdf?revision=1', mayApprove: false, problem: 'already signed' });
  });

  it('reads the revision asked for, and nothing else', () => {
    expect(revisionNumber('2')).toBe(2);
    expect(revisionNumber('0')).toBeUndefined();
    expect(revisionNumber('2; drop')).toBeUndefined();
    expect(revisionNumber(['2'])).toBeUndefined();
  });
});

describe('typedOnly', () => {
  it('leaves out the fields left blank', () => {
    expect(typedOnly({ type: 'information', text: 'Noted', ownerId: undefined })).toEqual({ type: 'information', text: 'Noted' });
  });
});
