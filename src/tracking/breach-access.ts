import type { Actor } from '../access/actor.js';
import { isHeadOf } from '../access/permissions.js';

/**
 * Who may do what with a breach, in one place for the API and the pages: its owner — the stage
 * owner, or anyone in the provider department — explains it (and edits the explanation); the
 * head of the consumer department, to whom the promise was made, accepts or disputes it.
 */
export function mayExplainBreach(actor: Actor, breach: { departmentId: string; ownerId: string | null }): boolean {
  return actor.departmentId === breach.departmentId || actor.personId === breach.ownerId;
}

export function mayReviewBreach(actor: Actor, breach: { consumerDepartmentId: string }): boolean {
  return isHeadOf(actor, breach.consumerDepartmentId);
}
