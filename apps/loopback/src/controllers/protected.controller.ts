import { authenticate } from '@loopback/authentication';
import { authorize } from '@loopback/authorization';
import { inject } from '@loopback/core';
import { get } from '@loopback/rest';
import { SecurityBindings, type UserProfile } from '@loopback/security';
import { JWT_STRATEGY } from '../services/jwt.strategy.js';
import { scopeVoter } from '../services/scope.voter.js';

/** The routes behind the gateway. Authentication runs before the method; 401/403/503 never reach it. */
@authenticate(JWT_STRATEGY)
export class ProtectedController {
  /** Set by the authentication step; a controller instance lives for one request. */
  @inject(SecurityBindings.USER) private readonly user!: UserProfile;

  @get('/protected')
  protected(): { message: string; user: UserProfile } {
    return { message: 'Access granted', user: this.user };
  }

  /** Needs the `admin` scope; otherwise the voter answers 403 insufficient_scope. */
  @authorize({ scopes: ['admin'], voters: [scopeVoter] })
  @get('/protected/admin')
  admin(): { message: string; user: UserProfile } {
    return { message: 'Access granted', user: this.user };
  }
}
