import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type Config, createVerifier } from '../jwt/index.js';
import { AuthGuard } from './auth.guard.js';
import { VERIFIER } from './verifier.token.js';

/**
 * Provides the verifier, made once at start-up from the configuration read from the environment
 * (never per request: its key set and token cache live as long as the process), and the guard.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Config): DynamicModule {
    const logger = new Logger('JWKS');
    return {
      module: AuthModule,
      global: true,
      providers: [
        // The core's lines name the JWKS URL and why a fetch failed; never a token or a key.
        { provide: VERIFIER, useFactory: () => createVerifier(config, { log: (line) => logger.warn(line) }) },
        AuthGuard,
      ],
      exports: [VERIFIER, AuthGuard],
    };
  }
}
