/**
 * Who was at a held meeting, seat by seat: plain TypeScript, shared by the quorum and the
 * attendance report so that both read a delegate the same way.
 */

export type AttendanceStatus = 'present' | 'absent' | 'excused' | 'delegate';

export interface AttendanceRecord {
  personId: string;
  status: AttendanceStatus;
  /** With status "delegate": whom this person stood in for. */
  delegateFor: string | null;
}

/** How an invited person's seat was filled: each seat counts in exactly one of these. */
export type Seat = 'present' | 'delegated' | 'excused' | 'absent';

/** A person was there in person when marked present, or when standing in for someone else. */
export function attended(status: AttendanceStatus | undefined): boolean {
  return status === 'present' || status === 'delegate';
}

/**
 * The seat of one invited person: there themselves (present, or there as someone's delegate),
 * else represented by a delegate, else excused, else absent (or not on the list at all).
 */
export function seatOf(personId: string, records: readonly AttendanceRecord[]): Seat {
  const own = records.find((record) => record.personId === personId);
  if (attended(own?.status)) return 'present';
  if (records.some((record) => record.status === 'delegate' && record.delegateFor === personId)) return 'delegated';
  return own?.status === 'excused' ? 'excused' : 'absent';
}
