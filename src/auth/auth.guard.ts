import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import type { Role } from '../org/person.entity.js';
import { ALLOWED_SCOPES, PUBLIC_ROUTE, REQUIRED_ROLES } from './access.decorators.js';
import type { RequestWithActor } from './actor.js';
import type { TokenScope } from './api-token.entity.js';
import { TokensService } from './tokens.service.js';

/**
 * Every route needs a bearer token unless marked @Public(). The guard establishes who is
 * calling and applies the coarse checks (role, token scope); services apply the finer rules.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithActor & { headers: Record<string, string | undefined> }>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthenticatedError();
    const actor = await this.tokens.authenticate(match[1]);

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
