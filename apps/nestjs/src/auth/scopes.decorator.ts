import { Reflector } from '@nestjs/core';

/**
 * `@Scopes('admin')` on a route or a controller: every scope named must be in the token's
 * `scope`, else 403 insufficient_scope (RFC 6750 §3.1). Read by AuthGuard through the Reflector.
 */
export const Scopes = Reflector.createDecorator<string | string[]>();
