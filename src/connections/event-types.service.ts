import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventTypeSightings } from '../agreements/event-type-sightings.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { Connection } from './connection.entity.js';
import type { EventTypeView, EventTypesView } from './connections.dto.js';
import { ConnectionsService } from './connections.service.js';
import { unseenTypesIn } from './event-sightings.js';

/**
 * The event types Concord knows of: seen in the log, named by an agreement, or emitted by a
 * connection's rule. A type named but never seen says so (count 0, firstSeen null): a typo in an
 * agreement or a rule shows here.
 */
@Injectable()
export class EventTypesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    private readonly sightings: EventTypeSightings,
  ) {}

  /** Agreements tell which types they name were never received through this (GET /api/agreements/:id). */
  onModuleInit(): void {
    this.sightings.register((types) => this.unseen(types));
  }

  /** Which of these types no stored event has, in the order given: one query. */
  unseen(types: readonly string[]): Promise<string[]> {
    return unseenTypesIn(this.dataSource.manager, types);
  }

  async list(): Promise<EventTypesView> {
    const manager = this.dataSource.manager;
    const dialect = SqlDialect.of(manager);
    const seen = await SqlDialect.rows<{ type: string; count: string | number; first_seen: unknown; last_seen: unknown }>(
      manager,
      'SELECT type, COUNT(*) AS count, MIN(received_at) AS first_seen, MAX(received_at) AS last_seen FROM events GROUP BY type',
    );
    const byType = new Map<string, EventTypeView>();
    const entry = (type: string): EventTypeView => {
      let view = byType.get(type);
      if (!view) byType.set(type, (view = { type, count: 0, firstSeen: null, lastSeen: null, agreements: [], rules: [] }));
      return view;
    };
    const iso = (value: unknown) => {
      const ms = dialect.readInstant(value);
      return ms === null ? null : new Date(ms).toISOString();
    };
    for (const row of seen) Object.assign(entry(row.type), { count: Number(row.count), firstSeen: iso(row.first_seen), lastSeen: iso(row.last_seen) });
    for (const [type, agreements] of await this.connections.agreementTypes(manager)) entry(type).agreements = agreements;
    const connections = await manager.find(Connection, { select: { id: true, name: true, rules: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const connection of connections) {
      connection.rules.forEach((rule, index) => entry(rule.emit).rules.push({ connectionId: connection.id, connectionName: connection.name, rule: index }));
    }
    return { items: [...byType.values()].sort((a, b) => a.type.localeCompare(b.type)) };
  }
}
