import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type Config, createVerifier } from '../jwt/index.js';

/** The injection token of the process's one Verifier (an interface, so it has no class to inject by). */
export const VERIFIER = Symbol('VERIFIER');

/**
 * Provides the verifier, made once at start-up (never per request: its key set and token cache
 * live as long as the process), for the AuthGuard of any module that imports this one.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Config): DynamicModule {
    // The core's lines name the JWKS URL and why a fetch failed; never a token or a key.
    const verifier = createVerifier(config, { log: (line) => Logger.warn(line, 'JWKS') });
    const providers = [{ provide: VERIFIER, useValue: verifier }];
    return { module: AuthModule, providers, exports: [VERIFIER] };
  }
}
