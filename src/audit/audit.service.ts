import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { type EntityManager, type FindOptionsWhere, Between, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { pageOf, type Page } from '../common/pagination.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditEntryView, type AuditQuery } from './audit.dto.js';

export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'issue-token'
  | 'revoke-token'
  | 'new-version'
  | 'propose'
  | 'approve'
  | 'reject'
  | 'retire'
  | 'explain'
  | 'review'
  | 'cancel'
  | 'move'
  | 'submit'
  | 'accept'
  | 'return'
  | 'start'
  | 'complete'
  | 'finalize'
  | 'comment'
  | 'receive';

/** A JSON-safe copy of what was changed: dates as ISO strings, nothing secret (callers pass views). */
function snapshot(value: object | null): object | null {
  return value === null ? null : (JSON.parse(JSON.stringify(value)) as object);
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one entry with the transaction's manager, so the change and its record commit or
   * roll back together.
   */
  async record(
    manager: EntityManager,
    actor: Actor | null,
    action: AuditAction,
    entityType: string,
    entityId: string,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    const entry = manager.create(AuditEntry, {
      id: randomUUID(),
      at: this.clock.now(),
      actorId: actor?.personId ?? null,
      actorEmail: actor?.email ?? null,
      action,
      entityType,
      entityId,
      before: snapshot(before),
      after: snapshot(after),
    });
    await manager.insert(AuditEntry, entry);
  }

  async list(query: AuditQuery): Promise<Page<AuditEntryView>> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.entityType) where.entityType = query.entityType;
    if (query.entityId) where.entityId = query.entityId;
    if (query.actorId) where.actorId = query.actorId;
    if (query.from && query.to) where.at = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.at = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.at = LessThanOrEqual(new Date(query.to));
    const [items, total] = await this.entries.findAndCount({
      where,
      order: { at: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(items, total, query, AuditEntryView.from);
  }
}
