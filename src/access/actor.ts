import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './roles.js';
import type { TokenScope } from './token-scopes.js';

/** Who is making the request, as established by the token. */
export interface Actor {
  personId: string;
  email: string;
  role: Role;
  departmentId: string | null;
  /** The API token, or `session:<id>` for a browser session. */
  tokenId: string;
  scope: TokenScope;
}

export interface RequestWithActor {
  actor?: Actor;
}

/** The authenticated actor of the request (routes behind the auth guard always have one). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
