import { attended, type AttendanceStatus } from './attendance.js';

/**
 * Whether a meeting counts. By default the head of each department must be there, in person or
 * through their named delegate; with 'all-required', every required participant (or delegate).
 * Plain TypeScript, so the rule is tested on its own.
 */
export interface QuorumInput {
  rule: 'heads' | 'all-required';
  /** The head of each department of the series (null when a department has none). */
  heads: (string | null)[];
  required: string[];
  /** Named delegates: person → who may stand in for them. */
  delegates: Map<string, string | null>;
  /** Who was there: person → present, or delegate for someone. */
  attendance: Map<string, { status: AttendanceStatus; delegateFor: string | null }>;
}

export function quorumMet(input: QuorumInput): boolean {
  const represented = (person: string | null): boolean => {
    if (person === null) return false;
    // Someone standing in for another is in the room for their own seat too.
    if (attended(input.attendance.get(person)?.status)) return true;
    for (const [attendee, record] of input.attendance) {
      if (record.status === 'delegate' && record.delegateFor === person) {
        const named = input.delegates.get(person);
        // A head is stood in for by their named delegate; other participants by anyone who says so.
        if (named === undefined || named === null || named === attendee) return true;
      }
    }
    return false;
  };
  const needed = input.rule === 'heads' ? input.heads : input.required;
  return needed.length > 0 && needed.every(represented);
}
