// The JWT verifier core. This folder is a byte-for-byte copy of packages/verifier/src in the
// gateway-jwt-backends repository, where its tests live: change it there, not here.
export { ALGORITHMS, type Algorithm, type Config, ConfigError, readConfig, readPort } from './config.js';
export { AuthError, type AuthErrorCode } from './errors.js';
export { requireScope } from './scope.js';
export { type Claims, createVerifier, type Verifier, type VerifierOptions } from './verifier.js';
