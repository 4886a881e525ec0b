import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const PARTICIPANT_ROLES = ['required', 'optional', 'informed'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** A person invited to a series: required, optional, or informed only (minutes, no invitation to attend). */
@Entity('meeting_participants')
@Index('UQ_meeting_participants', ['seriesId', 'personId'], { unique: true })
export class MeetingParticipant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'series_id', type: 'varchar', length: 36 })
  seriesId: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @Column({ type: 'varchar', length: 10 })
  role: ParticipantRole;

  /** For a head: who may stand in for them and still make the quorum. */
  @Column({ name: 'delegate_id', type: 'varchar', length: 36, nullable: true })
  delegateId: string | null;
}
