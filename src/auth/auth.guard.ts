import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import type { Role } from '../access/roles.js';
import { ALLOWED_SCOPES, PUBLIC_ROUTE, REQUIRED_ROLES } from '../access/access.decorators.js';
import type { Actor, RequestWithActor } from '../access/actor.js';
import { AuthLimits } from './auth-limits.js';
import type { TokenScope } from '../access/token-scopes.js';
import { TokensService } from './tokens.service.js';

/**
 * Every route needs a bearer token unless marked @Public(). The guard establishes who is
 * calling and applies the coarse checks (role, token scope); services apply the finer rules.
 * A token that fails counts against its client address, a token that works spends one request
 * of its budget (AuthLimits).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly limits: AuthLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & RequestWithActor>();
    const response = context.switchToHttp().getResponse<Response>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthenticatedError();
    let actor: Actor;
    try {
      actor = await this.tokens.authenticate(match[1]);
    } catch (error) {
      if (error instanceof UnauthenticatedError) return this.limits.failed(request, response, error);
      throw error;
    }
    await this.limits.tokenUsed(actor.tokenId, response);

    const scopes = this.reflector.getAllAndOverride<TokenScope[] | undefined>(ALLOWED_SCOPES, targets) ?? [];
    if (actor.scope !== 'full' && !scopes.includes(actor.scope)) {
      throw new ForbiddenError(`this token is limited to ${actor.scope} and may not call this route`);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ForbiddenError(`only ${roles.join(' or ')} may call this route`);
    }
    request.actor = actor;
    return true;
  }
}
