export { ALGORITHMS, type Alg, isAlg, SPEC } from './algorithms.ts';
export { b64u, b64uJson, fromB64u } from './base64url.ts';
export {
  type Answer,
  DELAY_MS,
  FAULTS,
  type Fault,
  HUGE_BYTES,
  notFound,
  paddedJwks,
  REDIRECT_TARGET_PATH,
  SLOW_MS,
} from './faults.ts';
export {
  ALT_JWKS_PATH,
  ATTACKER_PATH,
  DISCOVERY_REDIRECT_PATH,
  type DiscoveryFields,
  ISSUER_PATH,
  type IssuerOptions,
  MockIssuer,
} from './issuer.ts';
export { fromKeyObject, generateSigningKey, type SigningKey } from './keys.ts';
export { type Claims, type MintOptions, now } from './mint.ts';
export { requestToken, type TokenRequest } from './mint-endpoint.ts';
export { compact, signBytes } from './sign.ts';
export * from './process.ts';
