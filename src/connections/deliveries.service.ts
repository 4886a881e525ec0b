import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, type EntityManager, type FindOptionsWhere, IsNull, LessThan, LessThanOrEqual, MoreThanOrEqual, Not } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DueWork, type DueWorkCounts } from '../common/due-work.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { pageOf } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { EventsService } from '../events/events.service.js';
import { adapterFor } from './adapters/index.js';
import type { Acknowledgement, ConnectionSecrets as AdapterSecrets, CrmAdapter, IncomingDelivery, Parsed, ResolveOptions } from './adapters/crm-adapter.js';
import { ConnectionSecrets } from './connection-secrets.js';
import { Connection, ConnectionDelivery, type DeliveryOutcome } from './connection.entity.js';
import type { ConnectionTestView, DeliveriesQuery, DeliveryPage, DeliverySummary, DeliveryView, TestConnectionDto, TestEventView } from './connections.dto.js';
import { ConnectionsService, SECRET_IN_URL } from './connections.service.js';
import { CRM_FETCH, type CrmFetch } from './crm-fetch.js';
import { nextRetry } from './delivery-retry.js';
import { mapChanges, objectKey, type KnownProperty, type ObjectStates, type PropertyUpdate } from './rules.js';

/** A request to `/hooks/<id>[/<secret>]`, as the controller read it. */
export interface HookRequest {
  method: string;
  /** The query string with its `?`, or "". */
  query: string;
  pathSecret?: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** What to answer the sender. */
export type HookAnswer = Acknowledgement;

/** Headers kept with a delivery: what helps read it later, never credentials. */
function keptHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const keep = ['content-type', 'content-length', 'user-agent'].includes(name) || (name.startsWith('x-') && !/auth|token|cookie|secret|password/.test(name));
    if (keep) kept[name] = value.slice(0, 1000);
  }
  return kept;
}

function isUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return !body.includes(0);
  } catch {
    return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATE_ROWS_PER_STATEMENT = 300;

/** Deliveries retried in one round at most; the rest wait for the next. */
const RETRIES_PER_ROUND = 50;
/**
 * How long a call to the CRM may take away from the sender's wait (background retries, replays
 * by hand); while the sender waits, the adapter's own short default applies.
 */
export const BACKGROUND_RESOLVE_TIMEOUT_MS = 10_000;


/**
 * Deliveries to a connection's URL: verified by the CRM's adapter (a forged one is a 401 that
 * stores nothing), stored raw first, then read, mapped through the rules and the objects' last
 * known properties, and ingested as events in one transaction with the state and the outcome.
 * A failure leaves the delivery stored as `failed`, for replay.
 */
@Injectable()
export class DeliveriesService implements OnModuleInit {
  private readonly logger = new Logger('Connections');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    private readonly secrets: ConnectionSecrets,
    private readonly events: EventsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dueWork: DueWork,
    private readonly audit: AuditService,
    @Inject(CRM_FETCH) private readonly fetch: CrmFetch,
  ) {}

  onModuleInit(): void {
    // A fact: the events a retried delivery produces are there for the round's tracking sweep.
    this.dueWork.register({
      name: 'connection deliveries retry',
      phase: 'facts',
      counts: ['deliveriesRetried'],
      run: async (now): Promise<DueWorkCounts> => {
        const retried = await this.retryDue(now);
        return retried > 0 ? { deliveriesRetried: retried } : {};
      },
    });
    // Housekeeping, after the round's facts and reports.
    this.dueWork.register({
      name: 'connection deliveries pruning',
      phase: 'reminders',
      counts: ['deliveriesPruned'],
      run: async (now): Promise<DueWorkCounts> => {
        const pruned = await this.prune(now);
        return pruned > 0 ? { deliveriesPruned: pruned } : {};
      },
    });
  }

  /**
   * Processes again the failed deliveries whose retry has fallen due, oldest due first. Each is
   * claimed first (its retry_at cleared where its attempts are still those read), so two
   * instances running a round at once do not both retry it. A connection whose CRM fails in this
   * round is not asked again in it: one dead portal costs one timeout per round, not one per delivery.
   */
  async retryDue(now: Date): Promise<number> {
    const due = await this.dataSource.manager.find(ConnectionDelivery, {
      select: { id: true, connectionId: true, attempts: true },
      where: { outcome: 'failed', retryAt: And(Not(IsNull()), LessThanOrEqual(now)) },
      order: { retryAt: 'ASC', id: 'ASC' },
      take: RETRIES_PER_ROUND,
    });
    const failing = new Set<string>();
    let retried = 0;
    for (const { id, connectionId, attempts } of due) {
      if (failing.has(connectionId)) continue;
      const claimed = await this.dataSource.manager.update(ConnectionDelivery, { id, outcome: 'failed', attempts }, { retryAt: null });
      if (!claimed.affected) continue;
      const connection = await this.dataSource.manager.findOneBy(Connection, { id: connectionId });
      const adapter = connection ? adapterFor(connection.kind) : undefined;
      const stored = await this.dataSource.manager.findOneBy(ConnectionDelivery, { id });
      if (!connection || !adapter || !stored) continue;
      const { outcome } = await this.process(connection, adapter, this.secretsOf(connection), storedDelivery(stored), stored, { timeoutMs: BACKGROUND_RESOLVE_TIMEOUT_MS });
      retried += 1;
      if (outcome.outcome === 'failed') failing.add(connectionId);
    }
    return retried;
  }

  /** Deletes deliveries older than DELIVERY_RETENTION_DAYS. */
  async prune(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.DELIVERY_RETENTION_DAYS * 86_400_000);
    const result = await this.dataSource.manager.delete(ConnectionDelivery, { receivedAt: LessThan(before) });
    return result.affected ?? 0;
  }

  async receive(connectionId: string, request: HookRequest): Promise<HookAnswer> {
    const connection = UUID.test(connectionId) ? await this.dataSource.manager.findOneBy(Connection, { id: connectionId }) : null;
    if (!connection) throw new NotFoundError('connection', connectionId);
    const adapter = adapterFor(connection.kind);
    if (!adapter) {
      return { status: 501, contentType: 'application/json', body: JSON.stringify({ error: 'not_implemented', message: `deliveries of kind ${connection.kind} are not read yet` }) };
    }
    const secrets = this.secretsOf(connection);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    const base = `${this.config.publicUrl}/hooks/${connection.id}`;
    const delivery: IncomingDelivery = {
      method: request.method.toUpperCase(),
      url: `${base}${request.pathSecret !== undefined ? `/${request.pathSecret}` : ''}${request.query}`,
      pathSecret: request.pathSecret,
      headers,
      rawBody: request.rawBody,
      contentType: (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
      receivedAt: this.clock.now(),
    };
    const verified = adapter.verify(delivery, secrets);
    if (!verified.ok) throw new UnauthenticatedError(`the delivery was refused: ${verified.reason}`);

    const utf8 = isUtf8(request.rawBody);
    const stored: ConnectionDelivery = {
      id: newId(),
      connectionId: connection.id,
      receivedAt: delivery.receivedAt,
      method: delivery.method,
      // The path secret is not kept: the log must not hand it out.
      url: `${SECRET_IN_URL.includes(connection.kind) ? `${base}/<secret>` : base}${request.query}`.slice(0, 2000),
      headers: keptHeaders(headers),
      body: utf8 ? request.rawBody.toString('utf8') : request.rawBody.toString('base64'),
      bodyEncoding: utf8 ? 'utf8' : 'base64',
      outcome: 'pending',
      reason: null,
      eventIds: [],
      processedAt: null,
      attempts: 0,
      retryAt: null,
    };
    // Stored first and alone: whatever happens next, the delivery is kept for replay.
    await this.dataSource.manager.insert(ConnectionDelivery, stored);
    // The adapter's short timeout for its CRM: the sender is answered within a second either way.
    const { parsed, outcome } = await this.process(connection, adapter, secrets, delivery, stored, {});
    if (outcome.outcome === 'failed') {
      // Not an Ack: HubSpot and Salesforce send it again (idempotent per event key); either way it
      // is kept as `failed` for replay, and retried by the due work when its kind reads the CRM
      // back. The reason stays in the log, not in the sender's answer.
      return {
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          statusCode: 500,
          error: 'Internal server error',
          message: `the delivery was stored but could not be turned into events; it is kept in the delivery log as failed, for replay${outcome.retryAt ? ', and retried automatically' : ''}`,
          deliveryId: stored.id,
          ...(outcome.retryAt ? { retryAt: outcome.retryAt.toISOString() } : {}),
        }),
      };
    }
    // The adapter answers in its CRM's terms when it has some: a malformed Salesforce message
    // gets a SOAP fault (400, not an Ack, so Salesforce sends it again), not JSON.
    if (adapter.acknowledge) return adapter.acknowledge(parsed);
    if (!parsed.ok) throw InvalidInputError.of('body', `the delivery could not be read: ${parsed.reason}`);
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ received: parsed.events?.length ?? parsed.changes.length, deliveryId: stored.id, outcome: outcome.outcome, events: outcome.eventIds.length }),
    };
  }

  async list(actor: Actor, connectionId: string, query: DeliveriesQuery): Promise<DeliveryPage> {
    await this.connections.findManaged(this.dataSource.manager, actor, connectionId);
    const where: FindOptionsWhere<ConnectionDelivery> = { connectionId, ...(query.outcome ? { outcome: query.outcome } : {}) };
    const from = query.from ? new Date(query.from) : null;
    const to = query.to ? new Date(query.to) : null;
    if (from && to) where.receivedAt = And(MoreThanOrEqual(from), LessThan(to));
    else if (from) where.receivedAt = MoreThanOrEqual(from);
    else if (to) where.receivedAt = LessThan(to);
    const [items, total] = await this.dataSource.manager.findAndCount(ConnectionDelivery, {
      where,
      order: { receivedAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return pageOf(items, total, query, deliveryView);
  }

  /** One delivery of a connection the actor manages, with its full payload. */
  async get(actor: Actor, connectionId: string, deliveryId: string): Promise<DeliveryView> {
    await this.connections.findManaged(this.dataSource.manager, actor, connectionId);
    const stored = UUID.test(deliveryId) ? await this.dataSource.manager.findOneBy(ConnectionDelivery, { id: deliveryId, connectionId }) : null;
    if (!stored) throw new NotFoundError('delivery', deliveryId);
    return deliveryView(stored);
  }

  /**
   * How many deliveries each connection received, by outcome, and the newest one: for the list
   * of connections. The caller has already limited the ids to connections the actor manages.
   */
  async summaries(connectionIds: readonly string[]): Promise<Map<string, DeliverySummary>> {
    const summaries = new Map<string, DeliverySummary>(connectionIds.map((id) => [id, { total: 0, byOutcome: {}, last: null }]));
    if (connectionIds.length === 0) return summaries;
    const manager = this.dataSource.manager;
    const dialect = SqlDialect.of(manager);
    for (let start = 0; start < connectionIds.length; start += 500) {
      const part = connectionIds.slice(start, start + 500);
      const counts = await SqlDialect.rows<{ connection_id: string; outcome: DeliveryOutcome; count: string | number }>(
        manager,
        `SELECT connection_id, outcome, COUNT(*) AS count FROM connection_deliveries
         WHERE connection_id IN (${dialect.params(1, part.length)}) GROUP BY connection_id, outcome`,
        [...part],
      );
      for (const row of counts) {
        const summary = summaries.get(row.connection_id);
        if (!summary) continue;
        const count = Number(row.count);
        summary.total += count;
        summary.byOutcome[row.outcome] = count;
      }
    }
    for (const [id, summary] of summaries) {
      if (summary.total === 0) continue;
      const newest = await manager.findOne(ConnectionDelivery, { select: { id: true, outcome: true, receivedAt: true }, where: { connectionId: id }, order: { receivedAt: 'DESC', id: 'DESC' } });
      if (newest) summary.last = { receivedAt: newest.receivedAt.toISOString(), outcome: newest.outcome };
    }
    return summaries;
  }

  /**
   * A dry run: a sample body read by the kind's adapter and mapped through the current rules and
   * the objects' last known properties, WITHOUT verifying, storing or ingesting anything. Kinds
   * that read current values from the CRM (Bitrix24) skip that call, and say so.
   */
  async preview(actor: Actor, connectionId: string, sample: TestConnectionDto): Promise<ConnectionTestView> {
    const connection = await this.connections.findManaged(this.dataSource.manager, actor, connectionId);
    const adapter = adapterFor(connection.kind);
    if (!adapter) throw InvalidInputError.of('body', `deliveries of kind ${connection.kind} are not read yet`);
    const contentType = sample.contentType ?? (['amocrm', 'bitrix24'].includes(connection.kind) ? 'application/x-www-form-urlencoded' : connection.kind === 'salesforce' ? 'text/xml' : 'application/json');
    const secrets = this.secretsOf(connection);
    const delivery: IncomingDelivery = {
      method: 'POST',
      url: this.connections.webhookUrl(connection),
      pathSecret: SECRET_IN_URL.includes(connection.kind) ? secrets.secret : undefined,
      headers: { 'content-type': contentType },
      rawBody: Buffer.from(sample.body, 'utf8'),
      contentType,
      receivedAt: this.clock.now(),
    };
    let parsed: Parsed;
    try {
      parsed = adapter.parse(delivery, secrets);
    } catch (error) {
      parsed = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    if (!parsed.ok) return { ok: false, reason: parsed.reason, changes: 0, resolveSkipped: false, events: [], notes: [] };
    if (parsed.events) {
      const events = parsed.events.map(givenEvent);
      return { ok: true, reason: events.length === 0 ? 'the sample holds no event' : null, changes: 0, resolveSkipped: false, events, notes: ['Webhook events are shown as given; on delivery each is validated like POST /api/events.'] };
    }
    const notes: string[] = [];
    const resolveSkipped = !!adapter.resolve && parsed.changes.length > 0;
    if (resolveSkipped) {
      notes.push(`A ${connection.kind} delivery carries only ids: on delivery Concord asks the portal for the current values; a test does not call it, so these changes carry no values and match no rule.`);
    }
    // The last known properties are read, never written: a test leaves the state as it was.
    const states = await this.loadStates(this.dataSource.manager, connection.id, parsed.changes);
    const { events } = mapChanges(parsed.changes, connection, states);
    return {
      ok: true,
      reason: events.length === 0 ? (parsed.changes.length === 0 ? 'the sample holds no change this kind reads' : 'no rule matched') : null,
      changes: parsed.changes.length,
      resolveSkipped,
      events,
      notes,
    };
  }

  /** Runs a stored delivery again through the current rules: only the events still missing are produced. */
  async replay(actor: Actor, connectionId: string, deliveryId: string): Promise<DeliveryView> {
    const connection = await this.connections.findManaged(this.dataSource.manager, actor, connectionId);
    const stored = await this.dataSource.manager.findOneBy(ConnectionDelivery, { id: deliveryId, connectionId });
    if (!stored) throw new NotFoundError('delivery', deliveryId);
    const adapter = adapterFor(connection.kind);
    if (!adapter) throw InvalidInputError.of('deliveryId', `deliveries of kind ${connection.kind} are not read yet`);
    await this.process(connection, adapter, this.secretsOf(connection), storedDelivery(stored), stored, { timeoutMs: BACKGROUND_RESOLVE_TIMEOUT_MS });
    return deliveryView((await this.dataSource.manager.findOneByOrFail(ConnectionDelivery, { id: deliveryId })) as ConnectionDelivery);
  }

  private secretsOf(connection: Connection): AdapterSecrets {
    return { secret: this.secrets.open(connection.secretCipher), settings: connection.settings };
  }

  /**
   * Reads, maps and ingests one stored delivery, and records its outcome and one more attempt. An
   * error (the CRM's API unreachable, the database) is recorded as `failed` with its reason, never
   * thrown: the delivery stays for replay, and when its kind reads the CRM back, is due for a
   * retry (nextRetry) until MAX_DELIVERY_ATTEMPTS.
   */
  private async process(
    connection: Connection,
    adapter: CrmAdapter,
    secrets: AdapterSecrets,
    delivery: IncomingDelivery,
    stored: Pick<ConnectionDelivery, 'id' | 'attempts'>,
    resolveOptions: ResolveOptions,
  ): Promise<{ parsed: Parsed; outcome: { outcome: DeliveryOutcome; eventIds: string[]; retryAt: Date | null } }> {
    const deliveryId = stored.id;
    const attempts = stored.attempts + 1;
    let parsed: Parsed = { ok: false, reason: 'not read' };
    try {
      parsed = adapter.parse(delivery, secrets);
      if (!parsed.ok) {
        await this.record(this.dataSource.manager, deliveryId, { outcome: 'rejected', reason: parsed.reason, eventIds: [], attempts });
        return { parsed, outcome: { outcome: 'rejected', eventIds: [], retryAt: null } };
      }
      const changes = adapter.resolve && parsed.changes.length > 0 ? await adapter.resolve(parsed.changes, secrets, this.fetch, resolveOptions) : parsed.changes;
      const read = parsed;
      const outcome = await this.dataSource.transaction(async (manager) => {
        const result = read.events ? await this.ingestGiven(manager, connection, read.events) : await this.ingestChanges(manager, connection, changes);
        await this.record(manager, deliveryId, { ...result, attempts });
        // The connection is the events' source: the audit log says which delivery brought which events.
        if (result.created > 0) {
          await this.audit.record(manager, null, 'receive', 'connection-delivery', deliveryId, null, {
            connectionId: connection.id,
            connectionName: connection.name,
            outcome: result.outcome,
            eventIds: result.eventIds,
          });
        }
        return result;
      });
      return { parsed, outcome: { ...outcome, retryAt: null } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const retryAt = adapter.resolve ? nextRetry(attempts, this.clock.now()) : null;
      this.logger.error(`delivery ${deliveryId} to connection ${connection.id} failed (attempt ${attempts}${retryAt ? `, retried at ${retryAt.toISOString()}` : ''}): ${reason}`);
      await this.record(this.dataSource.manager, deliveryId, { outcome: 'failed', reason: reason.slice(0, 2000), eventIds: [], attempts, retryAt });
      return { parsed, outcome: { outcome: 'failed', eventIds: [], retryAt } };
    }
  }

  private async record(
    manager: EntityManager,
    id: string,
    result: { outcome: DeliveryOutcome; reason?: string | null; eventIds: string[]; attempts: number; retryAt?: Date | null },
  ): Promise<void> {
    await manager.update(
      ConnectionDelivery,
      { id },
      { outcome: result.outcome, reason: result.reason ?? null, eventIds: result.eventIds, processedAt: this.clock.now(), attempts: result.attempts, retryAt: result.retryAt ?? null },
    );
  }

  /** The generic webhook: Concord events as sent, judged one by one as POST /api/events judges them. */
  private async ingestGiven(manager: EntityManager, connection: Connection, events: unknown[]) {
    const results = await this.events.ingest(null, events, manager, { connectionId: connection.id });
    const eventIds = results.flatMap((result) => (result.id ? [result.id] : []));
    const refused = results.flatMap((result, index) =>
      result.status === 'rejected' ? [`[${index}] ${Object.values(result.errors ?? {}).flat().join('; ')}`] : [],
    );
    const outcome: DeliveryOutcome = refused.length === 0 ? 'accepted' : eventIds.length > 0 ? 'accepted' : 'rejected';
    const created = results.filter((result) => result.status === 'accepted').length;
    return { outcome, reason: refused.length > 0 ? `refused: ${refused.join(' | ')}`.slice(0, 2000) : null, eventIds, created };
  }

  /** CRM changes: through the objects' last known properties and the rules, into events. */
  private async ingestChanges(manager: EntityManager, connection: Connection, changes: Parameters<typeof mapChanges>[0]) {
    const states = await this.loadStates(manager, connection.id, changes);
    const { events, updates } = mapChanges(changes, connection, states);
    await this.saveStates(manager, connection.id, updates);
    if (events.length === 0) return { outcome: 'ignored' as DeliveryOutcome, reason: 'no rule matched', eventIds: [], created: 0 };
    // Events already stored under their key (a retry, a replay) are left as they are: their
    // attributes may read differently now that more is known, and they are not produced twice.
    const existing = await this.events.idsByKeys(manager, events.map((event) => event.key));
    const missing = events.filter((event) => !existing.has(event.key));
    const results = missing.length > 0 ? await this.events.ingest(null, missing, manager, { connectionId: connection.id }) : [];
    const refused = results.flatMap((result, index) =>
      result.status === 'rejected' ? [`${missing[index].type} for ${missing[index].subject}: ${Object.values(result.errors ?? {}).flat().join('; ')}`] : [],
    );
    const eventIds = [...events.flatMap((event) => (existing.has(event.key) ? [existing.get(event.key) as string] : [])), ...results.flatMap((r) => (r.id ? [r.id] : []))];
    const outcome: DeliveryOutcome = eventIds.length > 0 ? 'accepted' : 'rejected';
    const created = results.filter((result) => result.status === 'accepted').length;
    return { outcome, reason: refused.length > 0 ? `refused: ${refused.join(' | ')}`.slice(0, 2000) : null, eventIds, created };
  }

  /**
   * The last known properties of the objects `changes` touch, read by the table's whole primary
   * key (connection, object type, object id): one query per object type and 500 ids, each an
   * index lookup, however many objects the connection has seen.
   */
  private async loadStates(manager: EntityManager, connectionId: string, changes: Parameters<typeof mapChanges>[0]): Promise<ObjectStates> {
    const dialect = SqlDialect.of(manager);
    const states: ObjectStates = new Map();
    const idsByType = new Map<string, Set<string>>();
    for (const change of changes) {
      const ids = idsByType.get(change.object) ?? new Set<string>();
      ids.add(change.objectId);
      idsByType.set(change.object, ids);
    }
    for (const [objectType, idSet] of idsByType) {
      const ids = [...idSet];
      for (let start = 0; start < ids.length; start += 500) {
        const part = ids.slice(start, start + 500);
        const rows = await SqlDialect.rows<{ object_type: string; object_id: string; property: string; value: string | null; changed_at: unknown }>(
          manager,
          `SELECT object_type, object_id, property, value, changed_at FROM connection_object_properties
           WHERE connection_id = ${dialect.param(1)} AND object_type = ${dialect.param(2)} AND object_id IN (${dialect.params(3, part.length)})`,
          [connectionId, objectType, ...part],
        );
        for (const row of rows) {
          const key = objectKey(row.object_type, row.object_id);
          const state = states.get(key) ?? (Object.create(null) as Record<string, KnownProperty>);
          state[row.property] = { value: row.value, changedAt: dialect.readInstant(row.changed_at) as number };
          states.set(key, state);
        }
      }
    }
    return states;
  }

  /**
   * Keeps the newest value of each property: the upsert itself refuses to overwrite a newer
   * change, so two deliveries of one object processed at once cannot put an older value back.
   */
  private async saveStates(manager: EntityManager, connectionId: string, updates: PropertyUpdate[]): Promise<void> {
    const latest = new Map<string, PropertyUpdate>();
    for (const update of updates) latest.set(`${objectKey(update.object, update.objectId)}\u0000${update.property}`, update);
    const rows = [...latest.values()].filter((update) => update.object.length <= 50 && update.objectId.length <= 100 && update.property.length <= 100);
    const dialect = SqlDialect.of(manager);
    for (let start = 0; start < rows.length; start += STATE_ROWS_PER_STATEMENT) {
      const part = rows.slice(start, start + STATE_ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      const placeholders = part.map((update, i) => {
        values.push(connectionId, update.object, update.objectId, update.property, update.value, dialect.instant(update.changedAt));
        return `(${dialect.params(i * 6 + 1, 6)})`;
      });
      await manager.query(
        `INSERT INTO connection_object_properties (connection_id, object_type, object_id, property, value, changed_at)
         VALUES ${placeholders.join(', ')}
         ON CONFLICT (connection_id, object_type, object_id, property)
         DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at
         WHERE connection_object_properties.changed_at <= excluded.changed_at`,
        values,
      );
    }
  }
}

/** A stored delivery as its adapter reads it (replays, retries). */
function storedDelivery(stored: ConnectionDelivery): IncomingDelivery {
  return {
    method: stored.method,
    url: stored.url,
    headers: stored.headers,
    rawBody: Buffer.from(stored.body, stored.bodyEncoding),
    contentType: (stored.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
    receivedAt: stored.receivedAt,
  };
}

export function deliveryView(delivery: ConnectionDelivery): DeliveryView {
  return {
    id: delivery.id,
    connectionId: delivery.connectionId,
    receivedAt: delivery.receivedAt.toISOString(),
    outcome: delivery.outcome,
    reason: delivery.reason,
    eventIds: delivery.eventIds,
    method: delivery.method,
    url: delivery.url,
    headers: delivery.headers,
    body: delivery.body,
    bodyEncoding: delivery.bodyEncoding,
    processedAt: delivery.processedAt ? delivery.processedAt.toISOString() : null,
    attempts: delivery.attempts,
    retryAt: delivery.retryAt ? delivery.retryAt.toISOString() : null,
  };
}

function givenEvent(value: unknown): TestEventView {
  const event = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const textOf = (field: unknown) => (typeof field === 'string' ? field : field === undefined || field === null ? '' : JSON.stringify(field));
  const attributes: Record<string, string | null> = {};
  if (event.attributes && typeof event.attributes === 'object' && !Array.isArray(event.attributes)) {
    for (const [name, attribute] of Object.entries(event.attributes as Record<string, unknown>)) attributes[name] = attribute === null ? null : textOf(attribute);
  }
  return { type: textOf(event.type), subject: textOf(event.subject), occurredAt: textOf(event.occurredAt), key: textOf(event.key), attributes };
}
