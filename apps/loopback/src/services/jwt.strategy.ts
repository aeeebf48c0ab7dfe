import type { AuthenticationStrategy } from '@loopback/authentication';
import { BindingKey, BindingScope, inject, injectable } from '@loopback/core';
import type { Request } from '@loopback/rest';
import { securityId, type UserProfile } from '@loopback/security';
import type { Verifier } from '../jwt/index.js';

/** The ONE verifier of the process: its key set, its JWKS fetch and its token cache are shared. */
export const JWT_VERIFIER = BindingKey.create<Verifier>('jwt.verifier');

/** The strategy name in `@authenticate(JWT_STRATEGY)`. */
export const JWT_STRATEGY = 'jwt';

/**
 * The `jwt` strategy, for `@authenticate('jwt')`: the Authorization header goes to the verifier,
 * the verified claims come back as the UserProfile. An AuthError (401, 503) goes on to the
 * reject action (src/reject.ts), which writes it.
 */
@injectable({ scope: BindingScope.SINGLETON })
export class JwtStrategy implements AuthenticationStrategy {
  readonly name = JWT_STRATEGY;

  // Property injection: Biome parses parameter decorators only when a config file enables them.
  @inject(JWT_VERIFIER) private readonly verifier!: Verifier;

  async authenticate(request: Request): Promise<UserProfile> {
    const claims = await this.verifier.verify(request.get(this.verifier.header));
    // securityId is a symbol: it never reaches the JSON, which is all the verified claims.
    return { ...claims, [securityId]: claims.sub ?? '' };
  }
}
