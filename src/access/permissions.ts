import { ForbiddenError } from '../common/errors.js';
import type { Actor } from './actor.js';

/**
 * The organisation's rules of who may change what, in one place:
 * admins manage the organisation, a head manages their own department, members themselves.
 */
export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

export function isHeadOf(actor: Actor, departmentId: string | null | undefined): boolean {
  return actor.role === 'head' && departmentId != null && actor.departmentId === departmentId;
}

export function requireAdmin(actor: Actor, what: string): void {
  if (!isAdmin(actor)) throw new ForbiddenError(`only an admin may ${what}`);
}

/** Admins, or the head of that department. */
export function requireDepartmentManager(actor: Actor, departmentId: string | null, what: string): void {
  if (!isAdmin(actor) && !isHeadOf(actor, departmentId)) {
    throw new ForbiddenError(`only an admin or the head of the department may ${what}`);
  }
}
