import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, Raw } from 'typeorm';
import { Clock } from '../common/clock.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/pagination.js';
import { Notification, type NotificationKind } from './notification.entity.js';
import { NotificationView, type NotificationsQuery } from './notifications.dto.js';
import { OutboxRepository } from './outbox.repository.js';

/** A message to write to the outbox: who gets what about which fact. Composed when dispatched. */
export interface OutboxEntry {
  kind: NotificationKind;
  dedupeKey: string;
  referenceId: string | null;
  recipientId: string | null;
  recipientEmail: string;
  payload?: Record<string, unknown> | null;
  /** `digested`: written only to be told in a digest (and keep its key); `pending` by default. */
  status?: 'pending' | 'digested';
}

/**
 * Writes messages with the manager of the transaction that records their fact, so the fact and
 * its messages commit together; a repeated key is ignored, so a fact seen twice (by a retry, by
 * a second instance) yields its message once.
 */
@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /** Returns the keys written now: not those already in the outbox. */
  async enqueue(manager: EntityManager, entries: OutboxEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    return this.outbox.insert(manager, entries, this.clock.now());
  }

  /** Messages written `digested` go out one by one after all (too few were new for a digest). */
  async undigest(manager: EntityManager, dedupeKeys: string[]): Promise<void> {
    await this.outbox.undigest(manager, dedupeKeys);
  }

  async list(query: NotificationsQuery): Promise<Page<NotificationView>> {
    const where: FindOptionsWhere<Notification> = {};
    if (query.status) where.status = query.status;
    if (query.kind) where.kind = query.kind;
    if (query.departmentId) {
      const departmentId = query.departmentId;
      where.recipientId = Raw((column) => `${column} IN (SELECT id FROM people WHERE department_id = :departmentId)`, { departmentId });
    }
    const [items, total] = await this.dataSource.manager.findAndCount(Notification, {
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: items.map(NotificationView.from), total, limit: query.limit, offset: query.offset };
  }

  /**
   * How many messages exhausted their attempts: all of them, or those addressed to the people of
   * one department (what its head's dashboard announces).
   */
  async countFailed(departmentId?: string): Promise<number> {
    return (await this.list({ status: 'failed', departmentId, limit: 1, offset: 0 })).total;
  }

  /** A failed or skipped message goes back to the queue, attempts counted afresh. */
  async retry(id: string): Promise<NotificationView> {
    return this.dataSource.transaction(async (manager) => {
      const notification = await manager.findOne(Notification, { where: { id } });
      if (!notification) throw new NotFoundError('notification', id);
      if (notification.status !== 'failed' && notification.status !== 'skipped') {
        throw new ConflictError(`notification ${id} is ${notification.status}; only failed or skipped messages are retried`);
      }
      Object.assign(notification, { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now(), claimedUntil: null, lastError: null });
      await manager.save(Notification, notification);
      return NotificationView.from(notification);
    });
  }
}
