import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import type { Page } from '../../common/pagination.js';
import type { NotificationView } from '../../notifications/notifications.dto.js';

/**
 * The undelivered emails page: the newest the outbox gave up on, each with its last error, and
 * "Send again" for an admin only (a head reads those of their department's people).
 */
export function presentUndelivered(actor: Actor, failed: Pick<Page<NotificationView>, 'items' | 'total'>, zone: string) {
  return {
    messages: failed.items,
    total: failed.total,
    admin: isAdmin(actor),
    zone,
  };
}
