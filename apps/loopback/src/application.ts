import { AuthenticationComponent } from '@loopback/authentication';
import {
  AuthorizationBindings,
  AuthorizationComponent,
  AuthorizationDecision,
} from '@loopback/authorization';
import { type ApplicationConfig, BindingScope } from '@loopback/core';
import { RestApplication, RestBindings } from '@loopback/rest';
import { JwtAuthenticationComponent } from './components/jwt-authentication.component';
import type { Config } from './config';
import { HealthController } from './controllers/health.controller';
import { ProtectedController } from './controllers/protected.controller';
import { JwtBindings } from './keys';
import { JsonRejectProvider } from './providers/reject.provider';
import { JwtApiSequence } from './sequence';

export interface JwtApiOptions extends ApplicationConfig {
  /** The validated configuration from src/config.ts. */
  jwt: Config;
}

/** The LoopBack 4 application: wiring only; the verifier lives in src/auth.ts. */
export class JwtApiApplication extends RestApplication {
  constructor(options: JwtApiOptions) {
    const { jwt, ...rest } = options;
    super({
      shutdown: { signals: ['SIGTERM', 'SIGINT'], gracePeriod: 5000 },
      ...rest,
      rest: {
        port: jwt.port,
        gracePeriodForClose: 3000,
        expressSettings: { 'x-powered-by': false },
        apiExplorer: { disabled: true },
        ...rest.rest,
      },
    });
    // Bound first: the JWT component reads it when it is mounted.
    this.bind(JwtBindings.CONFIG).to(jwt);
    this.sequence(JwtApiSequence);
    // Our error writer replaces strong-error-handler's (see reject.provider.ts for why).
    this.bind(RestBindings.SequenceActions.REJECT)
      .toProvider(JsonRejectProvider)
      .inScope(BindingScope.SINGLETON);

    this.component(AuthenticationComponent);
    this.component(JwtAuthenticationComponent);
    // Deny unless a voter allows: a route with @authorize and no voter verdict is closed.
    this.configure(AuthorizationBindings.COMPONENT).to({
      precedence: AuthorizationDecision.DENY,
      defaultDecision: AuthorizationDecision.DENY,
    });
    this.component(AuthorizationComponent);

    this.controller(HealthController);
    this.controller(ProtectedController);
  }
}
