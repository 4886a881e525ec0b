import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { InvalidInputError, NotFoundError } from '../common/errors.js';
import { seatOf } from '../meetings/domain/attendance.js';
import { MeetingParticipant } from '../meetings/meeting-participant.entity.js';
import { MeetingAttendance } from '../meetings/meeting-records.entity.js';
import { MeetingSeries } from '../meetings/meeting-series.entity.js';
import { Meeting } from '../meetings/meeting.entity.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';

/** Each invited seat of a held meeting counts in exactly one of present, delegated, excused and absent. */
export class AttendanceCounts {
  @ApiProperty({ description: 'Held meetings the person was invited to (required or optional): present + delegated + excused + absent.' })
  invited: number;
  @ApiProperty({ description: 'There in person, or there standing in for someone else (a delegate attends).' }) present: number;
  @ApiProperty({ description: 'Not there, but represented by a delegate.' }) delegated: number;
  @ApiProperty() excused: number;
  @ApiProperty({ description: 'Absent, or not on the attendance list.' }) absent: number;
  @ApiProperty({ nullable: true, type: Number, description: '(present + delegated) ÷ invited × 100.' }) ratePercent: number | null;
}

export class PersonAttendance extends AttendanceCounts {
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId: string | null;
}

export class DepartmentAttendance extends AttendanceCounts {
  @ApiProperty({ format: 'uuid' }) departmentId: string;
  @ApiProperty() name: string;
}

export class MeetingWithoutQuorum {
  @ApiProperty({ format: 'uuid' }) meetingId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
}

export class AttendanceReport {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'Meetings held in the window.' }) meetingsHeld: number;
  @ApiProperty({ type: [MeetingWithoutQuorum] }) withoutQuorum: MeetingWithoutQuorum[];
  @ApiProperty({ type: [PersonAttendance] }) people: PersonAttendance[];
  @ApiProperty({ type: [DepartmentAttendance] }) departments: DepartmentAttendance[];
}

function empty(): AttendanceCounts {
  return { invited: 0, present: 0, delegated: 0, excused: 0, absent: 0, ratePercent: null };
}

function rate(counts: AttendanceCounts): AttendanceCounts {
  return { ...counts, ratePercent: counts.invited === 0 ? null : Math.round(((counts.present + counts.delegated) * 1000) / counts.invited) / 10 };
}

/**
 * Who comes to the joint meetings: per person and per department over a window, with the
 * meetings held without quorum — the literature's symptom of a head who finds a reason not to
 * come when the other does.
 */
@Injectable()
export class AttendanceReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async build(from: string, to: string, departmentId?: string): Promise<AttendanceReport> {
    if (!(Date.parse(to) > Date.parse(from))) throw InvalidInputError.of('to', 'to must be after from');
    const manager = this.dataSource.manager;
    if (departmentId && !(await manager.existsBy(Department, { id: departmentId }))) throw new NotFoundError('department', departmentId, 'departmentId');
    const series = (await manager.find(MeetingSeries)).filter((s) => !departmentId || s.departmentIds.includes(departmentId));
    const meetings = (await manager.find(Meeting, { where: { seriesId: In([...series.map((s) => s.id), '']), status: 'held' }, order: { startsAt: 'ASC' } })).filter(
      (meeting) => meeting.startsAt.getTime() >= Date.parse(from) && meeting.startsAt.getTime() < Date.parse(to),
    );
    const participants = await manager.find(MeetingParticipant, { where: { seriesId: In([...series.map((s) => s.id), '']) } });
    const attendance = await manager.find(MeetingAttendance, { where: { meetingId: In([...meetings.map((m) => m.id), '']) } });
    const people = new Map((await manager.find(Person, { where: { id: In([...participants.map((p) => p.personId), '']) } })).map((p) => [p.id, p]));
    const departments = new Map((await manager.find(Department)).map((d) => [d.id, d.name]));
    const seriesTitle = new Map(series.map((s) => [s.id, s.title]));

    const byPerson = new Map<string, AttendanceCounts>();
    for (const meeting of meetings) {
      const records = attendance.filter((a) => a.meetingId === meeting.id);
      for (const participant of participants.filter((p) => p.seriesId === meeting.seriesId && p.role !== 'informed')) {
        const counts = byPerson.get(participant.personId) ?? empty();
        counts.invited += 1;
        // Claire, standing in for Pierre, was there (present); Pierre was represented (delegated).
        counts[seatOf(participant.personId, records)] += 1;
        byPerson.set(participant.personId, counts);
      }
    }
    const personRows = [...byPerson].map(([personId, counts]) => {
      const person = people.get(personId);
      return { personId, name: person?.name ?? personId, departmentId: person?.departmentId ?? null, ...rate(counts) };
    });
    const byDepartment = new Map<string, AttendanceCounts>();
    for (const row of personRows) {
      if (!row.departmentId || (departmentId && row.departmentId !== departmentId)) continue;
      const counts = byDepartment.get(row.departmentId) ?? empty();
      for (const key of ['invited', 'present', 'delegated', 'excused', 'absent'] as const) counts[key] += row[key];
      byDepartment.set(row.departmentId, counts);
    }
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      meetingsHeld: meetings.length,
      withoutQuorum: meetings
        .filter((m) => m.quorumMet === 'no')
        .map((m) => ({ meetingId: m.id, title: seriesTitle.get(m.seriesId) ?? '', startsAt: m.startsAt.toISOString() })),
      people: personRows.sort((a, b) => (a.ratePercent ?? 101) - (b.ratePercent ?? 101) || a.name.localeCompare(b.name)),
      departments: [...byDepartment].map(([id, counts]) => ({ departmentId: id, name: departments.get(id) ?? id, ...rate(counts) })).sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
}
