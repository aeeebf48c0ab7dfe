import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Claims, requireScope, type Verifier } from '../jwt/index.js';
import { Scopes } from './scopes.decorator.js';
import { VERIFIER } from './auth.module.js';

export type AuthRequest = { headers: Record<string, string | undefined>; user?: Claims };

/**
 * Verifies the Authorization header (never the query or the body, RFC 6750 §2.1), puts the claims
 * on request.user, then checks the route's @Scopes. It throws the core's AuthError, which the
 * exception filter answers; it never returns false (Nest would answer a bare 403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(VERIFIER) private readonly verifier: Verifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const claims = await this.verifier.verify(request.headers[this.verifier.header]);
    request.user = claims;
    // The route's @Scopes, else its controller's: a class-level @Scopes is never ignored.
    const scopes = this.reflector.getAllAndOverride(Scopes, [context.getHandler(), context.getClass()]);
    for (const scope of [scopes ?? []].flat()) requireScope(claims, scope);
    return true;
  }
}
