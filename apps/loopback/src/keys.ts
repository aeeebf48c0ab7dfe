import { BindingKey } from '@loopback/core';
import type { Verifier } from './jwt/index.js';

/** The ONE verifier of the process: its key set, its JWKS fetch and its token cache are shared. */
export const JWT_VERIFIER = BindingKey.create<Verifier>('jwt.verifier');

/** The strategy name in `@authenticate(JWT_STRATEGY)`. */
export const JWT_STRATEGY = 'jwt';
