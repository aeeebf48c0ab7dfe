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
import { rejectAsJson } from './reject.js';
import { JWT_VERIFIER, JwtStrategy } from './services/jwt.strategy.js';

/** The LoopBack application: wiring only. */
export class JwtApiApplication extends RestApplication {
  /** `jwt` is `readConfig(process.env)`. */
  constructor({ jwt, ...options }: ApplicationConfig & { jwt: Config }) {
    super({
      // No LoopBack signal handler: after stopping it re-raises the signal, so the process ends
      // with 143, not 0. src/index.ts handles SIGTERM itself.
      shutdown: { signals: [] },
      ...options,
      rest: {
        // A stop waits this long for requests in flight before cutting their connections: longer
        // than the core's 5 s JWKS fetch timeout, so a request waiting on the JWKS gets its answer.
        gracePeriodForClose: 10_000,
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
    this.bind(RestBindings.SequenceActions.REJECT).to(rejectAsJson);

    this.component(AuthenticationComponent);
    registerAuthenticationStrategy(this, JwtStrategy);
    // Deny unless a voter allows: a route with @authorize and no verdict stays closed.
    const { DENY } = AuthorizationDecision;
    this.configure(AuthorizationBindings.COMPONENT).to({ precedence: DENY, defaultDecision: DENY });
    this.component(AuthorizationComponent);

    this.controller(HealthController);
    this.controller(ProtectedController);
  }
}
