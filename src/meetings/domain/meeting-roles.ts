import type { Actor } from '../../access/actor.js';
import { isAdmin, isHeadOf } from '../../access/permissions.js';

/** The parts of a series that say who runs it. */
export interface SeriesRoles {
  departmentIds: readonly string[];
  chairId: string | null;
  minuteTakerId: string | null;
}

/** Whether an actor may organise a series: an admin, or the head of one of its departments. */
export function mayOrganise(actor: Actor, series: Pick<SeriesRoles, 'departmentIds'>): boolean {
  return isAdmin(actor) || series.departmentIds.some((department) => isHeadOf(actor, department));
}

/**
 * Who keeps a meeting's record (attendance, notes, outcomes, finalizing and correcting the
 * minutes): its organisers, its chair and its minute-taker. The services refuse anyone else; the
 * room page shows the buttons by the same rule.
 */
export function mayKeepRecord(actor: Actor, series: SeriesRoles): boolean {
  return mayOrganise(actor, series) || actor.personId === series.chairId || actor.personId === series.minuteTakerId;
}
