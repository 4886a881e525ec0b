import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { sharedReads } from '../common/shared-reads.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../common/errors.js';
import { Person } from '../org/person.entity.js';
import type { Actor } from '../access/actor.js';
import type { TokenScope } from '../access/token-scopes.js';
import { ApiToken } from './api-token.entity.js';
import { WebSession } from './web-session.entity.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import { generateTokenSecret, hashTokenSecret, tokenPrefixOf } from './token-secret.js';
import { IssuedTokenView, TokenView, type CreateTokenDto } from './tokens.dto.js';

/** Last-use times are written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A token as authentication reads it, with its holder. */
interface TokenRow {
  id: string;
  scope: TokenScope;
  person_id: string | null;
  email: string;
  role: Actor['role'];
  department_id: string | null;
  revokedAt: number | null;
  deactivatedAt: number | null;
}

@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The actor behind a bearer secret; UnauthenticatedError when unknown or revoked. Every API
   * request passes here: one hand-written statement (an indexed look-up by hash and the person
   * by primary key) instead of the ORM's find with a relation, whose query building cost more
   * than the query under load (a fifth of a compliance request). Requests arriving together
   * share it on PostgreSQL (sharedReads): one statement looks up every token asked for since the
   * last one was sent, never an answer read before the request arrived, so a revocation committed
   * before a request is seen by it.
   */
  async authenticate(secret: string): Promise<Actor> {
    const hash = hashTokenSecret(secret);
    const token = SqlDialect.sharesReads(this.dataSource.manager) ? await this.byHash.load(hash) : (await this.readTokens([hash]))[0];
    if (!token || token.person_id === null) throw new UnauthenticatedError('this API token is unknown');
    if (token.revokedAt !== null) throw new UnauthenticatedError('this API token has been revoked');
    if (token.deactivatedAt !== null) throw new UnauthenticatedError('this person no longer has access to Concord');
    return {
      personId: token.person_id,
      email: token.email,
      role: token.role,
      departmentId: token.department_id,
      tokenId: token.id,
      scope: token.scope,
    };
  }

  /**
   * The tokens with these hashes (null when unknown), in their order, with their people. Writes
   * the last-use time of the tokens found whose last use is older than LAST_USED_RESOLUTION_MS,
   * in one statement however many requests shared the read (its failure is logged, not thrown).
   */
  private async readTokens(hashes: readonly string[]): Promise<(TokenRow | null)[]> {
    const dialect = SqlDialect.of(this.dataSource);
    const distinct = [...new Set(hashes)];
    const hashIs = dialect.oneOf('t.token_hash', 1, distinct);
    const rows = await SqlDialect.rows<
      Omit<TokenRow, 'revokedAt' | 'deactivatedAt'> & { token_hash: string; last_used_at: unknown; revoked_at: unknown; deactivated_at: unknown }
    >(
      this.dataSource.manager,
      `SELECT t.token_hash AS token_hash, t.id AS id, t.scope AS scope, t.last_used_at AS last_used_at, t.revoked_at AS revoked_at,
              p.id AS person_id, p.email AS email, p.role AS role, p.department_id AS department_id, p.deactivated_at AS deactivated_at
       FROM api_tokens t LEFT JOIN people p ON p.id = t.person_id
       WHERE ${hashIs.sql}`,
      hashIs.parameters,
      { prepared: true },
    );
    const now = this.clock.now();
    const found = new Map<string, TokenRow>();
    const used: string[] = [];
    for (const row of rows) {
      const token: TokenRow = {
        id: row.id,
        scope: row.scope,
        person_id: row.person_id,
        email: row.email,
        role: row.role,
        department_id: row.department_id,
        revokedAt: dialect.readInstant(row.revoked_at),
        deactivatedAt: dialect.readInstant(row.deactivated_at),
      };
      found.set(row.token_hash, token);
      const lastUsed = dialect.readInstant(row.last_used_at);
      if (token.person_id !== null && token.revokedAt === null && token.deactivatedAt === null && (lastUsed === null || now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS)) {
        used.push(token.id);
      }
    }
    if (used.length > 0) {
      // One statement for every token of the read; a failure costs a last-use time, not the requests.
      const isUsed = dialect.oneOf('id', 2, used);
      await this.dataSource
        .query(`UPDATE api_tokens SET last_used_at = ${dialect.param(1)} WHERE ${isUsed.sql}`, [dialect.instant(now), ...isUsed.parameters])
        .catch((error: unknown) => this.logger.warn(`could not write the last use of ${used.length} API token(s): ${String(error)}`));
    }
    return hashes.map((hash) => found.get(hash) ?? null);
  }

  private readonly byHash = sharedReads<string, TokenRow | null>((hashes) => this.readTokens(hashes));

  async issue(actor: Actor, personId: string, request: CreateTokenDto): Promise<IssuedTokenView> {
    return this.dataSource.transaction(async (manager) => {
      const person = await this.requireManageableHolder(manager, actor, personId);
      const secret = generateTokenSecret();
      const issued = await this.insertToken(manager, person.id, request.name, request.scope ?? 'full', secret);
      const view = TokenView.from(issued);
      await this.audit.record(manager, actor, 'issue-token', 'api-token', issued.id, null, view);
      return { ...view, token: secret };
    });
  }

  /** Stores a token for a secret chosen by the caller (start-up admin) or generated (API). */
  async insertToken(
    manager: EntityManager,
    personId: string,
    name: string,
    scope: TokenScope,
    secret: string,
  ): Promise<ApiToken> {
    const token = manager.create(ApiToken, {
      id: randomUUID(),
      personId,
      name,
      scope,
      tokenHash: hashTokenSecret(secret),
      prefix: tokenPrefixOf(secret),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await manager.insert(ApiToken, token);
    return token;
  }

  async list(actor: Actor, personId: string): Promise<TokenView[]> {
    await this.requireManageableHolder(this.dataSource.manager, actor, personId);
    const tokens = await this.tokens.find({ where: { personId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return tokens.map(TokenView.from);
  }

  /** Revokes a token; revoking a revoked token changes nothing. */
  async revoke(actor: Actor, personId: string, tokenId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.requireManageableHolder(manager, actor, personId);
      const token = await manager.findOne(ApiToken, { where: { id: tokenId, personId } });
      if (!token) throw new NotFoundError('token', tokenId);
      if (token.revokedAt) return;
      const before = TokenView.from(token);
      token.revokedAt = this.clock.now();
      await manager.update(ApiToken, { id: token.id, revokedAt: IsNull() }, { revokedAt: token.revokedAt });
      // Browser sessions opened with the token end with it.
      await manager.update(WebSession, { tokenId: token.id, endedAt: IsNull() }, { endedAt: token.revokedAt });
      await this.audit.record(manager, actor, 'revoke-token', 'api-token', token.id, before, TokenView.from(token));
      this.logger.log(`token ${token.prefix}… of person ${personId} revoked by ${actor.email}`);
    });
  }

  /** People manage their own tokens; heads those of their department; admins everyone's. */
  private async requireManageableHolder(manager: EntityManager, actor: Actor, personId: string): Promise<Person> {
    const person = await manager.findOne(Person, { where: { id: personId } });
    if (!person) throw new NotFoundError('person', personId);
    if (actor.personId !== person.id && !isAdmin(actor) && !isHeadOf(actor, person.departmentId)) {
      throw new ForbiddenError("only the person, the head of their department or an admin may manage a person's tokens");
    }
    if (isHeadOf(actor, person.departmentId) && person.role === 'admin') {
      throw new ForbiddenError("only an admin may manage an admin's tokens");
    }
    return person;
  }
}
