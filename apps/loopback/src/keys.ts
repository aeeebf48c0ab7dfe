import { BindingKey } from '@loopback/core';
import type { JwtVerifier } from './auth';
import type { Config } from './config';
import type { KeyStore } from './jwks';

/** Typed binding keys of this app (LoopBack resolves them by name; the type travels with the key). */
export namespace JwtBindings {
  /** The validated configuration, bound once by the application. */
  export const CONFIG = BindingKey.create<Config>('jwt.config');
  /** The ONE JWKS keystore of the process (a singleton: one cache, one in-flight fetch). */
  export const KEY_STORE = BindingKey.create<KeyStore>('jwt.keyStore');
  /** The framework-free verifier, a singleton over CONFIG and KEY_STORE. */
  export const VERIFIER = BindingKey.create<JwtVerifier>('jwt.verifier');
}

/** The strategy name used in `@authenticate(JWT_STRATEGY)`. */
export const JWT_STRATEGY = 'jwt';
