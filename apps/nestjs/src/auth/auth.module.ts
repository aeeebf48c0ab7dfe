import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type Config, createVerifier } from '../jwt/index.js';
import { VERIFIER } from './verifier.token.js';

/**
 * Provides the verifier, made once at start-up (never per request: its key set and token cache
 * live as long as the process), for the AuthGuard of any module that imports this one.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Config): DynamicModule {
    // The core's lines name the JWKS URL and why a fetch failed; never a token or a key.
    const logger = new Logger('JWKS');
    const verifier = {
      provide: VERIFIER,
      useFactory: () => createVerifier(config, { log: (l) => logger.warn(l) }),
    };
    return { module: AuthModule, providers: [verifier], exports: [VERIFIER] };
  }
}
