import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';
import type { TokenScope } from './token-scopes.js';

export const PUBLIC_ROUTE = 'concord:public';
export const REQUIRED_ROLES = 'concord:roles';
export const ALLOWED_SCOPES = 'concord:scopes';

/** No token needed (health check). Every other route requires one. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles may call the route; finer rules (own department…) live in the services. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Limited tokens (e.g. `events:write`) may call only routes that list their scope. */
export const AllowScopes = (...scopes: TokenScope[]) => SetMetadata(ALLOWED_SCOPES, scopes);
