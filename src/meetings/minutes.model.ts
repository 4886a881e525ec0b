import { type EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { inZone, longLocalDate } from '../common/instant-format.js';
import { Department } from '../org/department.entity.js';
import { peopleById, personRef } from './meeting-room.service.js';
import type { OutcomeView, PersonRef } from './meeting-room.dto.js';
import { MeetingParticipant } from './meeting-participant.entity.js';
import { AgendaItem, MeetingAttendance, MeetingOutcome, type MinutesRevision } from './meeting-records.entity.js';
import type { MeetingSeries } from './meeting-series.entity.js';
import { Meeting } from './meeting.entity.js';

/** What minutes say, frozen in a revision when finalized; templates render it. */
export interface MinutesModel {
  series: { id: string; title: string; timezone: string; location: string | null };
  meeting: { id: string; startsAt: string; endsAt: string; localDate: string; localTime: string; status: string; quorumMet: boolean | null };
  chair: PersonRef | null;
  minuteTaker: PersonRef | null;
  status: 'draft' | 'final' | 'approved';
  revision: number;
  attendance: {
    invited: PersonRef[];
    present: PersonRef[];
    absent: PersonRef[];
    excused: PersonRef[];
    delegates: { person: PersonRef; for: PersonRef | null }[];
    informed: PersonRef[];
  };
  previousActions: OutcomeView[];
  /** `titleMessage`: a generated item's title as a catalogue message (absent from minutes frozen before it was kept). */
  agenda: { position: number; title: string; titleMessage?: unknown; source: string; notes: string | null; outcomes: OutcomeView[] }[];
  decisions: OutcomeView[];
  actions: OutcomeView[];
  /** Information recorded outside any agenda item. */
  information: OutcomeView[];
  nextMeeting: { startsAt: string; localDate: string; localTime: string } | null;
  approvals: { person: PersonRef | null; department: string; at: string }[];
}

/**
 * The meeting's date and time in its own zone, kept in the stored record so it reads on its own.
 * Readers are shown `startsAt` in their zone by the templates (`{{when … zone series.timezone}}`).
 */
function local(instant: Date, zone: string) {
  const time = inZone(instant, zone);
  return { localDate: longLocalDate(instant, zone), localTime: `${time.toFormat('HH:mm')} ${zone} (${time.toISO({ suppressMilliseconds: true })})` };
}

/** Builds the minutes of a meeting from its current record. */
export async function buildMinutes(
  manager: EntityManager,
  series: MeetingSeries,
  meeting: Meeting,
  outcomeViews: (outcomes: MeetingOutcome[]) => Promise<OutcomeView[]>,
  revision: MinutesRevision | null,
): Promise<MinutesModel> {
  const participants = await manager.find(MeetingParticipant, { where: { seriesId: series.id }, order: { role: 'ASC', personId: 'ASC' } });
  const attendance = await manager.find(MeetingAttendance, { where: { meetingId: meeting.id } });
  const agenda = await manager.find(AgendaItem, { where: { meetingId: meeting.id }, order: { position: 'ASC' } });
  const outcomes = await manager.find(MeetingOutcome, { where: { meetingId: meeting.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const people = await peopleById(manager, [
    ...participants.map((p) => p.personId),
    ...attendance.flatMap((a) => [a.personId, a.delegateFor]),
    series.chairId,
    series.minuteTakerId,
    ...(revision?.approvals.map((a) => a.personId) ?? []),
  ]);
  const ref = (id: string | null) => (id && people.get(id) ? personRef(people.get(id)!) : null);
  const byStatus = (status: string) => attendance.filter((a) => a.status === status).map((a) => ref(a.personId)).filter((p): p is PersonRef => !!p);

  const previous = await manager.findOne(Meeting, {
    where: { seriesId: series.id, status: 'held', startsAt: LessThan(meeting.startsAt) },
    order: { startsAt: 'DESC' },
  });
  // Action items of earlier meetings that were open at the previous meeting or are open now: what was reviewed.
  const earlier = (await manager.find(MeetingOutcome, { where: { seriesId: series.id, type: 'action' }, order: { dueOn: 'ASC' } })).filter(
    (action) => action.meetingId !== meeting.id && (action.status === 'open' || (previous !== null && action.doneAt !== null && action.doneAt >= previous.startsAt)),
  );
  const next = await manager.findOne(Meeting, {
    where: { seriesId: series.id, status: In(['scheduled']), startsAt: MoreThan(meeting.startsAt) },
    order: { startsAt: 'ASC' },
  });
  const views = await outcomeViews(outcomes);
  const departments = new Map((await manager.find(Department, { where: { id: In(series.departmentIds) } })).map((d) => [d.id, d.name]));

  return {
    series: { id: series.id, title: series.title, timezone: series.timezone, location: series.location },
    meeting: {
      id: meeting.id,
      startsAt: meeting.startsAt.toISOString(),
      endsAt: meeting.endsAt.toISOString(),
      ...local(meeting.startsAt, series.timezone),
      status: meeting.status,
      quorumMet: meeting.quorumMet === null ? null : meeting.quorumMet === 'yes',
    },
    chair: ref(series.chairId),
    minuteTaker: ref(series.minuteTakerId),
    status: revision?.status ?? 'draft',
    revision: Math.max(1, meeting.minutesRevision),
    attendance: {
      invited: participants.filter((p) => p.role !== 'informed').map((p) => ref(p.personId)).filter((p): p is PersonRef => !!p),
      present: byStatus('present'),
      absent: byStatus('absent'),
      excused: byStatus('excused'),
      delegates: attendance.filter((a) => a.status === 'delegate').map((a) => ({ person: ref(a.personId) as PersonRef, for: ref(a.delegateFor) })),
      informed: participants.filter((p) => p.role === 'informed').map((p) => ref(p.personId)).filter((p): p is PersonRef => !!p),
    },
    previousActions: await outcomeViews(earlier),
    agenda: agenda.map((item) => ({
      position: item.position,
      title: item.title,
      titleMessage: (item.details as { message?: unknown } | null)?.message ?? null,
      source: item.source,
      notes: item.notes,
      outcomes: views.filter((outcome) => outcome.agendaItemId === item.id),
    })),
    decisions: views.filter((outcome) => outcome.type === 'decision'),
    information: views.filter((outcome) => outcome.type === 'information' && outcome.agendaItemId === null),
    actions: views.filter((outcome) => outcome.type === 'action'),
    nextMeeting: next ? { startsAt: next.startsAt.toISOString(), ...local(next.startsAt, series.timezone) } : null,
    approvals: (revision?.approvals ?? []).map((approval) => ({ person: ref(approval.personId), department: departments.get(approval.departmentId) ?? approval.departmentId, at: approval.at })),
  };
}
