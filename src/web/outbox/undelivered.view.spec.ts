import type { Actor } from '../../access/actor.js';
import type { NotificationView } from '../../notifications/notifications.dto.js';
import { undeliveredScope } from './undelivered-scope.js';
import { presentUndelivered } from './undelivered.view.js';

function actor(role: Actor['role'], departmentId: string | null): Actor {
  return { personId: 'p1', email: 'p1@example.com', role, departmentId, tokenId: 'session:test', scope: 'full' };
}

const failed: NotificationView = {
  id: 'n1',
  kind: 'breach-alert',
  status: 'failed',
  recipientEmail: 'samir@example.com',
  subject: 'A hot lead waited too long',
  referenceId: null,
  attempts: 8,
  nextAttemptAt: '2026-11-09T10:00:00.000Z',
  lastError: '550 mailbox unavailable',
  createdAt: '2026-11-09T08:00:00.000Z',
  sentAt: null,
};

describe('the undelivered emails page', () => {
  it('lists the emails given up on, and lets only an admin send one again', () => {
    const view = presentUndelivered(actor('admin', null), { items: [failed], total: 3 }, 'Europe/Paris');
    expect(view).toEqual({ messages: [failed], total: 3, admin: true, zone: 'Europe/Paris' });
    expect(presentUndelivered(actor('head', 'dep-sales'), { items: [failed], total: 1 }, 'Europe/Paris').admin).toBe(false);
  });

  it('shows an empty list as it is', () => {
    expect(presentUndelivered(actor('admin', null), { items: [], total: 0 }, 'Europe/Paris')).toMatchObject({ messages: [], total: 0 });
  });

  it("is for admins (all) and heads (their department's people), and no one else", () => {
    expect(undeliveredScope(actor('admin', null))).toEqual({});
    expect(undeliveredScope(actor('head', 'dep-sales'))).toEqual({ departmentId: 'dep-sales' });
    expect(undeliveredScope(actor('head', null))).toBeNull();
    expect(undeliveredScope(actor('member', 'dep-sales'))).toBeNull();
  });
});
