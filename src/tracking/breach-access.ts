import type { Actor } from '../access/actor.js';
import { isHeadOf } from '../access/permissions.js';
import type { AgreementKind } from '../agreements/agreement.entity.js';

/** What the rules need to know of a breach: whose it is, and who explained it last. */
export interface BreachParties {
  kind: AgreementKind;
  /** The provider department, owner of every breach. */
  departmentId: string;
  ownerId: string | null;
  consumerDepartmentId: string;
  explainedBy?: string | null;
}

/**
 * A missed conversion KPI is owned jointly: the two departments share the funnel it measures, so
 * neither can leave it to the other.
 */
export function isJointBreach(breach: Pick<BreachParties, 'kind'>): boolean {
  return breach.kind === 'conversion';
}

/**
 * Who may do what with a breach, in one place for the API and the pages: its owner — the stage
 * owner, or anyone in the provider department — explains it (and edits the explanation); the
 * head of the consumer department, to whom the promise was made, accepts or disputes it.
 * A joint (conversion) breach is the two departments': anyone in either may draft or edit the
 * explanation, and it is reviewed by a head of either department other than whoever wrote its
 * latest revision — so what one head writes, the other accepts or disputes.
 */
export function mayExplainBreach(actor: Actor, breach: BreachParties): boolean {
  if (actor.departmentId === breach.departmentId || actor.personId === breach.ownerId) return true;
  return isJointBreach(breach) && actor.departmentId === breach.consumerDepartmentId;
}

export function mayReviewBreach(actor: Actor, breach: BreachParties): boolean {
  if (!isJointBreach(breach)) return isHeadOf(actor, breach.consumerDepartmentId);
  const head = isHeadOf(actor, breach.departmentId) || isHeadOf(actor, breach.consumerDepartmentId);
  return head && actor.personId !== breach.explainedBy;
}
