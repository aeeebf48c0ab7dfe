import { type AuthenticationStrategy, asAuthStrategy } from '@loopback/authentication';
import { BindingScope, inject, injectable } from '@loopback/core';
import type { Request } from '@loopback/rest';
import { securityId, type UserProfile } from '@loopback/security';
import type { JwtVerifier } from '../auth';
import { JWT_STRATEGY, JwtBindings } from '../keys';

/**
 * The `jwt` authentication strategy: a thin adapter from LoopBack's AuthenticationStrategy to
 * the framework-free verifier. It builds nothing per request: the verifier and its keystore
 * are singletons injected once.
 */
@injectable(asAuthStrategy, { scope: BindingScope.SINGLETON })
export class JwtAuthenticationStrategy implements AuthenticationStrategy {
  readonly name = JWT_STRATEGY;

  @inject(JwtBindings.VERIFIER) private readonly verifier!: JwtVerifier;

  /** Throws AuthError (401/503); the app's reject action turns it into the RFC 6750 answer. */
  async authenticate(request: Request): Promise<UserProfile> {
    const claims = await this.verifier.verify(request.headers.authorization);
    // The profile IS the verified claims; securityId is a symbol, so it never reaches the JSON.
    return { ...claims, [securityId]: typeof claims.sub === 'string' ? claims.sub : '' };
  }
}
