import { AuthenticationComponent, registerAuthenticationStrategy } from '@loopback/authentication';
import {
  AuthorizationBindings,
  AuthorizationComponent,
  AuthorizationDecision,
} from '@loopback/authorization';
import type { ApplicationConfig } from '@loopback/core';
import { RestApplication, RestBindings } from '@loopback/rest';
import { HealthController } from './controllers/health.controller.js';
import { ProtectedController } from './controllers/protected.controller.js';
import { type Config, createVerifier } from './jwt/index.js';
import { JWT_VERIFIER } from './keys.js';
import { JsonRejectProvider } from './providers/reject.provider.js';
import { JwtStrategy } from './services/jwt.strategy.js';

export interface JwtApiOptions extends ApplicationConfig {
  /** From `readConfig(process.env)`. */
  jwt: Config;
}

/**
 * Milliseconds a stop waits for requests in flight before cutting their connections. Longer
 * than the core's 5 s JWKS fetch timeout, so a request waiting on the JWKS gets its answer.
 */
export const GRACE_PERIOD_MS = 10_000;

/** The LoopBack application: wiring only. */
export class JwtApiApplication extends RestApplication {
  constructor({ jwt, ...options }: JwtApiOptions) {
    super({
      // No LoopBack signal handler: after stopping it re-raises the signal, so the process ends
      // with 143, not 0. src/index.ts handles SIGTERM itself.
      shutdown: { signals: [] },
      ...options,
      rest: {
        gracePeriodForClose: GRACE_PERIOD_MS,
        expressSettings: { 'x-powered-by': false },
        // Only the contract's routes answer: no /openapi.json, /openapi.yaml, nor /explorer (a
        // redirect to an outside site); disabling the spec disables the explorer too.
        openApiSpec: { disabled: true },
        ...options.rest,
      },
    });
    // Created once, here: never per request.
    this.bind(JWT_VERIFIER).to(createVerifier(jwt));
    // Our error writer replaces strong-error-handler's, which drops AuthError's headers.
    this.bind(RestBindings.SequenceActions.REJECT).toProvider(JsonRejectProvider);

    this.component(AuthenticationComponent);
    registerAuthenticationStrategy(this, JwtStrategy);
    // Deny unless a voter allows: a route with @authorize and no verdict stays closed.
    this.configure(AuthorizationBindings.COMPONENT).to({
      precedence: AuthorizationDecision.DENY,
      defaultDecision: AuthorizationDecision.DENY,
    });
    this.component(AuthorizationComponent);

    this.controller(HealthController);
    this.controller(ProtectedController);
  }
}
