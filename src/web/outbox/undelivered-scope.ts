import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';

/**
 * Whose undelivered emails a person is shown: every one for an admin, those addressed to the
 * people of their department for a head, none for anyone else (null).
 */
export function undeliveredScope(actor: Actor): { departmentId?: string } | null {
  if (isAdmin(actor)) return {};
  if (actor.role === 'head' && actor.departmentId) return { departmentId: actor.departmentId };
  return null;
}
