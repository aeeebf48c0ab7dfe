import {
  Binding,
  BindingScope,
  type Component,
  createBindingFromClass,
  inject,
  type Provider,
} from '@loopback/core';
import { JwtVerifier } from '../auth';
import type { Config } from '../config';
import { jwksRsaSource, KeyStore } from '../jwks';
import { JwtBindings } from '../keys';
import { JwtAuthenticationStrategy } from '../services/jwt.strategy';

// Property injection (not constructor parameters) throughout: Biome cannot parse TypeScript
// parameter decorators unless a config file enables them, and this app must lint clean both
// inside the monorepo and when copied out of it.

/** The process's ONE keystore: one jwks-rsa client, one cache, one in-flight fetch. */
export class KeyStoreProvider implements Provider<KeyStore> {
  @inject(JwtBindings.CONFIG) private readonly config!: Config;

  value(): KeyStore {
    // Nothing is fetched here: the app starts even while the JWKS endpoint is down.
    return new KeyStore(jwksRsaSource(this.config.jwksUri));
  }
}

export class VerifierProvider implements Provider<JwtVerifier> {
  @inject(JwtBindings.CONFIG) private readonly config!: Config;
  @inject(JwtBindings.KEY_STORE) private readonly keys!: KeyStore;

  value(): JwtVerifier {
    return new JwtVerifier(this.config, this.keys);
  }
}

/**
 * Contributes the `jwt` strategy and the singletons it needs. SINGLETON scope is the point:
 * the reference page built a new JWKS client inside authenticate(), so every request refetched
 * the keys; here the keystore is made once per process and shared by every request.
 */
export class JwtAuthenticationComponent implements Component {
  bindings: Binding[] = [
    Binding.bind(JwtBindings.KEY_STORE).toProvider(KeyStoreProvider).inScope(BindingScope.SINGLETON),
    Binding.bind(JwtBindings.VERIFIER).toProvider(VerifierProvider).inScope(BindingScope.SINGLETON),
    createBindingFromClass(JwtAuthenticationStrategy),
  ];
}
