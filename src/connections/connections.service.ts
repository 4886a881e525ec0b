import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import { eventTypesOf } from '../agreements/domain/agreement-terms.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { fieldErrors, ForbiddenError, InvalidInputError, NotFoundError, type FieldErrors } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { pageOf, type Page, type PageQuery } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { Department } from '../org/department.entity.js';
import type { ConnectionKind } from './adapters/crm-adapter.js';
import { ConnectionSecrets } from './connection-secrets.js';
import { Connection, ConnectionDelivery, ConnectionObjectProperty } from './connection.entity.js';
import type { ConnectionPage, ConnectionSavedView, ConnectionView, CreateConnectionDto, UpdateConnectionDto } from './connections.dto.js';
import { unseenTypesIn } from './event-sightings.js';
import { checkKindSettings } from './kind-settings.js';
import { checkAttributes, checkRules, type AttributeMapping, type ConnectionRule } from './rules.js';

/** Kinds whose secret Concord generates when none is given (the sender is told it, not the other way round). */
const GENERATED_SECRET: readonly ConnectionKind[] = ['webhook', 'amocrm', 'salesforce'];
/** Kinds whose secret is a segment of the URL: `/hooks/<id>/<secret>`. */
export const SECRET_IN_URL: readonly ConnectionKind[] = ['amocrm', 'salesforce'];
/**
 * Kinds that may be created before their secret exists: Bitrix24 shows the application token only
 * once the outbound webhook is saved, and that webhook needs the connection's URL first. Such a
 * connection gets a random secret nobody is told, so every delivery is a 401 until
 * `PATCH /api/connections/:id {"secret": "<application token>"}` replaces it.
 */
const SECRET_LATER: readonly ConnectionKind[] = ['bitrix24'];
const URL_SAFE_SECRET = /^[A-Za-z0-9_-]{16,200}$/;
const MAX_SETTINGS = 20;

function checkSettings(value: unknown, errors: FieldErrors): void {
  const settings = value as Record<string, unknown>;
  const names = Object.keys(settings);
  if (names.length > MAX_SETTINGS) (errors.settings ??= []).push(`settings must have at most ${MAX_SETTINGS} entries`);
  for (const name of names) {
    const setting = settings[name];
    if (!/^[A-Za-z][\w]{0,59}$/.test(name) || typeof setting !== 'string' || setting.length > 2000) {
      (errors[`settings.${name}`] ??= []).push(`settings.${name} must be a text of at most 2000 characters, under a name of letters and digits`);
    }
  }
}

/**
 * CRM connections: who may manage them (admins; a head, their own department's), their rules
 * checked field by field, their secret encrypted and shown only once, each change audited.
 */
@Injectable()
export class ConnectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: ConnectionSecrets,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The URL to paste into the CRM; for kinds with the secret in the URL, `<secret>` unless it is given. */
  webhookUrl(connection: Pick<Connection, 'id' | 'kind'>, secret?: string): string {
    const base = `${this.config.publicUrl}/hooks/${connection.id}`;
    return SECRET_IN_URL.includes(connection.kind) ? `${base}/${secret ?? '<secret>'}` : base;
  }

  async create(actor: Actor, body: CreateConnectionDto): Promise<ConnectionSavedView> {
    const departmentId = await this.departmentFor(actor, body.departmentId);
    const errors = fieldErrors();
    const rules = body.rules === undefined ? [] : (checkRules(body.rules, errors), body.rules as ConnectionRule[]);
    const attributes = body.attributes === undefined ? {} : (checkAttributes(body.attributes, errors), body.attributes as AttributeMapping);
    if (body.settings !== undefined) checkSettings(body.settings, errors);
    checkKindSettings(body.kind, body.settings ?? {}, errors, { allowPrivateHosts: this.config.CRM_ALLOW_PRIVATE_HOSTS });
    let secret = body.secret;
    let generated: string | undefined;
    let secretLater = false;
    if (secret === undefined) {
      if (GENERATED_SECRET.includes(body.kind)) secret = generated = randomBytes(24).toString('base64url');
      else if (SECRET_LATER.includes(body.kind)) {
        secret = randomBytes(32).toString('base64url');
        secretLater = true;
      } else (errors.secret ??= []).push(`secret is required for ${body.kind}: ${body.kind === 'hubspot' ? "the app's client secret" : 'the Basic password given to Pipedrive'}`);
    } else if (SECRET_IN_URL.includes(body.kind) && !URL_SAFE_SECRET.test(secret)) {
      (errors.secret ??= []).push('secret must be 16 to 200 letters, digits, "-" or "_": it is part of the URL');
    }
    if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
    const now = this.clock.now();
    const connection: Connection = {
      id: newId(),
      name: body.name,
      kind: body.kind,
      departmentId,
      subjectPrefix: body.subjectPrefix ?? '',
      rules,
      attributes,
      settings: (body.settings ?? {}) as Record<string, string>,
      secretCipher: this.secrets.seal(secret as string),
      createdAt: now,
      updatedAt: now,
    };
    const view = this.view(connection);
    const { warnings, unseenTypes } = await this.dataSource.transaction(async (manager) => {
      await manager.insert(Connection, connection);
      await this.audit.record(manager, actor, 'create', 'connection', connection.id, null, view);
      return this.warningsFor(manager, rules);
    });
    if (secretLater) {
      warnings.unshift(
        'secret: not set yet — deliveries are refused (401) until PATCH /api/connections/:id sets it to the application token Bitrix24 shows for the outbound webhook',
      );
    }
    return {
      ...view,
      webhookUrl: this.webhookUrl(connection, SECRET_IN_URL.includes(connection.kind) ? secret : undefined),
      ...(generated !== undefined ? { secret: generated } : {}),
      unseenTypes,
      warnings,
    };
  }

  async list(actor: Actor, query: PageQuery): Promise<ConnectionPage> {
    this.requireManager(actor);
    const where: FindOptionsWhere<Connection> = isAdmin(actor) ? {} : { departmentId: actor.departmentId ?? '' };
    const [items, total] = await this.dataSource.manager.findAndCount(Connection, { where, order: { createdAt: 'ASC', id: 'ASC' }, take: query.limit, skip: query.offset });
    return pageOf(items, total, query, (connection) => this.view(connection)) as Page<ConnectionView>;
  }

  async get(actor: Actor, id: string): Promise<ConnectionView> {
    return this.view(await this.findManaged(this.dataSource.manager, actor, id));
  }

  async update(actor: Actor, id: string, body: UpdateConnectionDto): Promise<ConnectionSavedView> {
    const errors = fieldErrors();
    if (body.rules !== undefined) checkRules(body.rules, errors);
    if (body.attributes !== undefined) checkAttributes(body.attributes, errors);
    if (body.settings !== undefined) checkSettings(body.settings, errors);
    if (body.departmentId !== undefined && !isAdmin(actor)) throw new ForbiddenError('only an admin may move a connection to another department');
    return this.dataSource.transaction(async (manager) => {
      const connection = await this.findManaged(manager, actor, id);
      if (body.settings !== undefined) checkKindSettings(connection.kind, body.settings, errors, { allowPrivateHosts: this.config.CRM_ALLOW_PRIVATE_HOSTS });
      if (body.secret !== undefined && SECRET_IN_URL.includes(connection.kind) && !URL_SAFE_SECRET.test(body.secret)) {
        (errors.secret ??= []).push('secret must be 16 to 200 letters, digits, "-" or "_": it is part of the URL');
      }
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      if (body.departmentId !== undefined && body.departmentId !== null) await this.requireDepartment(manager, body.departmentId);
      const before = this.view(connection);
      if (body.name !== undefined) connection.name = body.name;
      if (body.subjectPrefix !== undefined) connection.subjectPrefix = body.subjectPrefix;
      if (body.rules !== undefined) connection.rules = body.rules as ConnectionRule[];
      if (body.attributes !== undefined) connection.attributes = body.attributes as AttributeMapping;
      if (body.settings !== undefined) connection.settings = body.settings as Record<string, string>;
      if (body.departmentId !== undefined) connection.departmentId = body.departmentId;
      if (body.secret !== undefined) connection.secretCipher = this.secrets.seal(body.secret);
      connection.updatedAt = this.clock.now();
      await manager.save(Connection, connection);
      const after = this.view(connection);
      // The audit says a secret changed, never what it is.
      await this.audit.record(manager, actor, 'update', 'connection', id, before, body.secret !== undefined ? { ...after, secretChanged: true } : after);
      const { warnings, unseenTypes } = await this.warningsFor(manager, connection.rules);
      return { ...after, unseenTypes, warnings };
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const connection = await this.findManaged(manager, actor, id);
      await manager.delete(ConnectionDelivery, { connectionId: id });
      await manager.delete(ConnectionObjectProperty, { connectionId: id });
      await manager.delete(Connection, { id });
      await this.audit.record(manager, actor, 'delete', 'connection', id, this.view(connection), null);
    });
  }

  /** A connection the actor manages, or 404 / 403. */
  async findManaged(manager: EntityManager, actor: Actor, id: string): Promise<Connection> {
    this.requireManager(actor);
    const connection = await manager.findOneBy(Connection, { id });
    if (!connection) throw new NotFoundError('connection', id);
    if (!isAdmin(actor) && !isHeadOf(actor, connection.departmentId)) throw new ForbiddenError("only an admin or the head of the connection's department may manage it");
    return connection;
  }

  view(connection: Connection): ConnectionView {
    return {
      id: connection.id,
      name: connection.name,
      kind: connection.kind,
      departmentId: connection.departmentId,
      subjectPrefix: connection.subjectPrefix,
      rules: connection.rules,
      attributes: connection.attributes,
      settings: connection.settings,
      webhookUrl: this.webhookUrl(connection),
      createdAt: connection.createdAt.toISOString(),
      updatedAt: connection.updatedAt.toISOString(),
    };
  }

  /** Event types that some version of an agreement names, in force or not yet. */
  async agreementTypes(manager: EntityManager): Promise<Map<string, { id: string; name: string }[]>> {
    const versions = await manager.find(AgreementVersion, {
      select: { id: true, agreementId: true, name: true, status: true, response: true, quota: true },
      where: { status: In(['draft', 'proposed', 'active']) },
    });
    const byType = new Map<string, { id: string; name: string }[]>();
    for (const version of versions) {
      for (const type of eventTypesOf(version)) {
        const users = byType.get(type) ?? [];
        if (!users.some((user) => user.id === version.agreementId)) users.push({ id: version.agreementId, name: version.name });
        byType.set(type, users);
      }
    }
    return byType;
  }

  /** Event types entering a funnel stage: the funnel report and conversion agreements count them. */
  private async stageTypes(manager: EntityManager): Promise<Set<string>> {
    const stages = await manager.find(FunnelStage, { select: { id: true, enteredOn: true } });
    return new Set(stages.flatMap((stage) => (stage.enteredOn ? [stage.enteredOn.type] : [])));
  }

  /**
   * A warning per rule emitting a type no agreement or funnel stage uses. A type never received is said only
   * within that warning (a typo shows as "used by nothing, never received"): on its own it would
   * be noise, since a new installation, or a new connection for a type agreements already measure,
   * has received nothing yet, which is expected. The rules' unseen types are answered beside.
   */
  private async warningsFor(manager: EntityManager, rules: readonly ConnectionRule[]): Promise<{ warnings: string[]; unseenTypes: string[] }> {
    if (rules.length === 0) return { warnings: [], unseenTypes: [] };
    // One after another: inside a transaction the three share one connection, which runs one
    // query at a time anyway (pg warns that queuing them on it will stop working in pg 9).
    const used = await this.agreementTypes(manager);
    const stageTypes = await this.stageTypes(manager);
    const unseenTypes = await unseenTypesIn(manager, rules.map((rule) => rule.emit));
    const unseen = new Set(unseenTypes);
    const warnings = rules.flatMap((rule, index) =>
      used.has(rule.emit) || stageTypes.has(rule.emit)
        ? []
        : [
            `rules[${index}].emit: no agreement or funnel stage uses the event type "${rule.emit}" yet` +
              (unseen.has(rule.emit) ? ' and none has been received yet (if that is unexpected, check its spelling)' : '') +
              '; its events will be stored but measured by nothing',
          ],
    );
    return { warnings, unseenTypes };
  }

  private requireManager(actor: Actor): void {
    if (!isAdmin(actor) && actor.role !== 'head') throw new ForbiddenError('only an admin or a head may manage CRM connections');
  }

  private async departmentFor(actor: Actor, requested: string | undefined): Promise<string | null> {
    this.requireManager(actor);
    if (!isAdmin(actor)) {
      if (requested !== undefined && requested !== actor.departmentId) throw new ForbiddenError("a head creates connections for their own department only");
      if (!actor.departmentId) throw new ForbiddenError('a head without a department cannot create a connection');
      return actor.departmentId;
    }
    if (requested === undefined) return null;
    await this.requireDepartment(this.dataSource.manager, requested);
    return requested;
  }

  private async requireDepartment(manager: EntityManager, id: string): Promise<void> {
    if (!(await manager.existsBy(Department, { id }))) throw new NotFoundError('department', id, 'departmentId');
  }
}
