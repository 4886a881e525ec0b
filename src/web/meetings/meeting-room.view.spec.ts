import type { AgendaItemView, AttendanceView, OutcomeView } from '../../meetings/meeting-room.dto.js';
import type { ParticipantView } from '../../meetings/meetings.dto.js';
import {
  agendaEntries,
  attendanceRequest,
  attendanceValues,
  closedDayNote,
  errorsOnRows,
  invitedOf,
  minutesBody,
  numberedRows,
  onField,
  prefixed,
  signedOffBy,
  upcomingAndPast,
} from './meeting-room.view.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

const person = (id: string, name: string) => ({ id, name, email: `${name}@example.com`, departmentId: null });
const participant = (personId: string, name: string, role: ParticipantView['role']): ParticipantView => ({
  personId,
  name,
  email: `${name}@example.com`,
  departmentId: null,
  role,
  delegateId: null,
});

describe('agendaEntries', () => {
  const outcome = (id: string, agendaItemId: string | null): OutcomeView => ({
    id,
    meetingId: 'm',
    agendaItemId,
    type: 'information',
    text: id,
    rationale: null,
    owner: null,
    dueOn: null,
    status: 'recorded',
    overdue: false,
  });

  it('gives every item every key a strict template reads, with its outcomes', () => {
    const agenda: AgendaItemView[] = [
      {
        id: 'i1',
        position: 1,
        source: 'breaches',
        title: 'Breaches',
        notes: null,
        details: { agreementId: 'a', breaches: [{ id: 'b', subject: 'L-1', dueAt: '2026-11-02T10:00:00Z', explained: true, cause: 'Queue' }] },
      },
      { id: 'i2', position: 2, source: 'quotas', title: 'Quota', notes: 'ok', details: { periods: [{ label: 'Nov', count: 3, minimum: 10, status: 'open' }] } },
      { id: 'i3', position: 3, source: 'template', title: 'AOB', notes: null, details: null },
      {
        id: 'i4',
        position: 4,
        source: 'kpis',
        title: 'Shared KPI',
        notes: null,
        details: { fromStage: 'MQL', toStage: 'SQL', periods: [{ label: '2026-12', cohort: 0, converted: 0, minimumPercent: 50, status: 'open' }] },
      },
    ];
    const [breaches, quotas, template, kpis] = agendaEntries(agenda, [outcome('o1', 'i3'), outcome('o2', null)]);
    expect(breaches).toMatchObject({ sourceLabel: 'Breaches', quotas: null, kpis: null, actions: null, briefs: null, outcomes: [] });
    expect(kpis).toMatchObject({ sourceLabel: 'Shared KPI', breaches: null, quotas: null });
    expect(kpis.kpis).toEqual({
      fromStage: 'MQL',
      toStage: 'SQL',
      periods: [{ label: '2026-12', cohort: 0, converted: 0, percent: null, minimumPercent: 50, status: 'open', projected: null, onTrack: null }],
    });
    expect(breaches.breaches).toEqual([{ id: 'b', subject: 'L-1', dueAt: '2026-11-02T10:00:00Z', explained: true, cause: 'Queue', owner: null, correctiveAction: null, disputed: false }]);
    expect(quotas.quotas).toEqual({ periods: [{ label: 'Nov', count: 3, minimum: 10, status: 'open', projected: null }], onTrack: null });
    expect(template).toMatchObject({ sourceLabel: 'Standing item', breaches: null, quotas: null });
    expect(template.outcomes.map((o) => o.id)).toEqual(['o1']);
  });
});

describe('the attendance form', () => {
  const invited = invitedOf([participant(A, 'Ann', 'required'), participant(B, 'Bob', 'optional'), participant(C, 'Cid', 'informed')]);

  it('invites everyone but the informed-only', () => {
    expect(invited.map((p) => p.name)).toEqual(['Ann', 'Bob']);
  });

  it('shows what was recorded, and an empty stand-in row', () => {
    const attendance: AttendanceView[] = [
      { person: person(A, 'Ann'), status: 'excused', delegateFor: null },
      { person: person(B, 'Bob'), status: 'delegate', delegateFor: person(A, 'Ann') },
    ];
    expect(attendanceValues(invited, attendance).entries).toEqual([
      { personId: A, present: false, status: 'excused', delegateFor: '' },
      { personId: B, present: true, status: 'absent', delegateFor: A },
      { personId: '', delegateFor: '', standIn: 'true' },
    ]);
  });

  it('puts someone from outside the series standing in on the stand-in row', () => {
    const attendance: AttendanceView[] = [{ person: person(C, 'Cid'), status: 'delegate', delegateFor: person(A, 'Ann') }];
    expect(attendanceValues(invited, attendance).entries[2]).toEqual({ personId: C, delegateFor: A, standIn: 'true' });
  });

  it('reads ticks as present, a choice of whom one stands in for as delegate, and skips a stand-in row naming nobody', () => {
    const request = attendanceRequest({
      entries: [
        { personId: A, present: 'true', status: 'absent', delegateFor: '' },
        { personId: B, status: 'excused', delegateFor: '' },
        { personId: C, status: 'absent', delegateFor: A },
        { personId: '', delegateFor: '', standIn: 'true' },
      ],
    });
    expect(request.entries).toEqual([
      { personId: A, status: 'present' },
      { personId: B, status: 'excused' },
      { personId: C, status: 'delegate', delegateFor: A },
    ]);
    expect(request.rows).toEqual([0, 1, 2]);
  });

  it('keeps the row numbers of rows past a skipped one, and of rows qs left as an object', () => {
    const request = attendanceRequest({ entries: { '0': { personId: '', status: 'absent' }, '12': { personId: B, standIn: 'true' }, x: { personId: C } } });
    expect(request.entries).toEqual([{ personId: B, status: 'delegate' }]);
    expect(request.rows).toEqual([12]);
    expect(errorsOnRows({ 'entries[0].delegateFor': ['whom?'], form: ['no'] }, request.rows)).toEqual({ 'entries[12].delegateFor': ['whom?'], form: ['no'] });
  });

  it('passes on what is not a status as typed, for the API to refuse', () => {
    expect(attendanceRequest({ entries: [{ personId: A, status: 'asleep' }] }).entries).toEqual([{ personId: A, status: 'asleep' }]);
  });

  it('reads nothing from a post without rows', () => {
    expect(numberedRows('entries')).toEqual([]);
    expect(attendanceRequest({}).entries).toEqual([]);
  });
});

describe('errors of forms sharing a page', () => {
  it('moves field errors under the form prefix, and leaves errors of no field at the top', () => {
    expect(prefixed({ ownerId: ['needed'], form: ['locked'] }, 'outcomes.general')).toEqual({ 'outcomes.general.ownerId': ['needed'], form: ['locked'] });
  });

  it('puts every field error of a single-field form next to that field', () => {
    expect(onField({ notes: ['too long'], other: ['odd'] }, `notes.${A}`)).toEqual({ [`notes.${A}`]: ['too long', 'odd'] });
  });
});

describe('minutesBody', () => {
  it('takes what is inside <body>', () => {
    expect(minutesBody('<!DOCTYPE html><html><head><title>x</title></head>\n<body style="margin:0">\n<h1>Minutes</h1>\n</body>\n</html>')).toBe('<h1>Minutes</h1>');
  });

  it('takes a fragment as it is', () => {
    expect(minutesBody(' <p>x</p> ')).toBe('<p>x</p>');
  });
});

describe('upcomingAndPast', () => {
  it('lists meetings to come soonest first, and those over latest first', () => {
    const meeting = (id: string, startsAt: string) => ({ id, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString() });
    const { upcoming, past } = upcomingAndPast(
      [meeting('d', '2027-04-01T08:00:00Z'), meeting('a', '2027-01-01T08:00:00Z'), meeting('c', '2027-03-01T08:00:00Z'), meeting('b', '2027-02-01T08:00:00Z')],
      new Date('2027-02-01T08:30:00Z'),
    );
    expect(upcoming.map((m) => m.id)).toEqual(['b', 'c', 'd']);
    expect(past.map((m) => m.id)).toEqual(['a']);
  });
});

describe('closedDayNote', () => {
  const base = { closedDay: false, closedReason: null, calendarChange: null, occurrenceStart: '2027-01-04T07:00:00.000Z' } as const;

  it('flags a meeting on a closed day with the reason, and one the calendar skipped', () => {
    expect(closedDayNote({ ...base, closedDay: true, closedReason: 'Новогодние каникулы' }, 'Europe/Moscow')).toEqual({ label: 'closed day', reason: 'Новогодние каникулы' });
    expect(closedDayNote({ ...base, closedDay: true, closedReason: 'closed by the calendar', calendarChange: 'skipped' }, 'Europe/Moscow')).toEqual({
      label: 'skipped: closed day',
      reason: 'closed by the calendar',
    });
  });

  it("names the rule's date, in the series' zone, of a meeting the calendar moved", () => {
    expect(closedDayNote({ ...base, closedReason: 'closed by the calendar', calendarChange: 'moved' }, 'Europe/Moscow')).toEqual({
      label: 'moved off a closed day',
      reason: 'Mon 4 Jan: closed by the calendar',
    });
  });

  it('has nothing to say of a meeting on an open day', () => {
    expect(closedDayNote(base, 'Europe/Moscow')).toBeNull();
  });
});

describe('signedOffBy', () => {
  it('names the departments that signed the current revision only', () => {
    const revisions = [
      { revision: 1, status: 'approved' as const, finalizedAt: '', approvedAt: '', approvedBy: ['m', 's'] },
      { revision: 2, status: 'final' as const, finalizedAt: '', approvedAt: null, approvedBy: ['s'] },
    ];
    expect(signedOffBy({ revisions, minutesRevision: 2 })).toEqual(['s']);
    expect(signedOffBy({ revisions, minutesRevision: 3 })).toEqual([]);
  });
});
