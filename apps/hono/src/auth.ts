import { errors, type JWTPayload, jwtVerify } from 'jose';
import type { Alg, Config } from './config.js';
import { AuthError } from './errors.js';
import type { KeyStore } from './keystore.js';

/** Verifies the Authorization header's bearer token; returns the claims or throws AuthError. */
export type Verify = (authorization: string | undefined) => Promise<JWTPayload>;

/** Tokens past this are refused unread (a bound on work per request). */
export const MAX_TOKEN_LENGTH = 8192;
// RFC 7515 §7.1 compact serialization; each part base64url without padding (RFC 7515 §2).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; we allow exactly one space.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** RFC 6750 §2.1 with RFC 9110 §11.1 (the scheme is case-insensitive); only the header counts. */
function bearerToken(authorization: string | undefined): string {
  const space = authorization?.indexOf(' ') ?? -1;
  const scheme = space < 0 ? authorization : authorization?.slice(0, space);
  const token = space < 0 ? '' : (authorization?.slice(space + 1) ?? '');
  if (scheme?.toLowerCase() !== 'bearer' || token === '') throw AuthError.missingToken();
  if (token.length > MAX_TOKEN_LENGTH) throw AuthError.invalidToken('The token is too long.');
  if (!B64TOKEN.test(token))
    throw AuthError.invalidToken('The Authorization header must be Bearer, one space, one token.');
  return token;
}

/** base64url that decodes and re-encodes to itself, so no two spellings carry one signature. */
function canonical(segment: string): Buffer | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = canonical(segment);
  try {
    const value: unknown = bytes && JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Structure and header checks done before any key is looked up or fetched. */
function inspect(token: string, allowed: readonly Alg[]): { alg: Alg; kid: string | undefined } {
  const [head = '', body = '', signature = ''] = token.split('.');
  if (!COMPACT_JWS.test(token) || !canonical(signature))
    throw AuthError.invalidToken('The token is not a compact JWS.');
  const header = jsonObject(head);
  if (!header || !jsonObject(body))
    throw AuthError.invalidToken('The token header or payload is not a JSON object.');
  // RFC 8725 §3.1: only what we allow; `none` and HS* never are (config refuses them).
  if (!allowed.includes(header.alg as Alg))
    throw AuthError.invalidToken('The token algorithm is not accepted.');
  // RFC 7515 §4.1.11: we understand no extensions, so any crit is refused.
  if (Object.hasOwn(header, 'crit'))
    throw AuthError.invalidToken('The token has critical extensions we do not support.');
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw AuthError.invalidToken('The token kid is not a string.');
  // jwk, jku, x5u, x5c (RFC 7515 §4.1.2-4.1.6) are never read: keys come only from our JWKS.
  return { alg: header.alg as Alg, kid: header.kid as string | undefined };
}

/** jose's reasons, as fixed sentences: its own messages never reach the client. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The token has no ${error.claim} claim.`;
    return error.claim === 'nbf'
      ? 'The token is not valid yet.'
      : `The token ${error.claim} claim is not accepted.`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  return 'The token is invalid.';
}

export function createVerifier(config: Config, keys: KeyStore): Verify {
  const options = {
    algorithms: config.algorithms,
    issuer: config.issuer, // RFC 7519 §4.1.1, exact match
    audience: config.audiences, // RFC 7519 §4.1.3, one of them (unset: not checked)
    clockTolerance: config.clockTolerance,
    requiredClaims: ['exp'], // RFC 8725 §3.10 wants bounded lifetimes: exp is required
  };
  return async (authorization) => {
    const token = bearerToken(authorization);
    const { alg, kid } = inspect(token, config.algorithms);
    try {
      const { payload } = await jwtVerify(token, () => keys.resolve(alg, kid), options);
      // JSON.parse turns 1e999 into Infinity: such an exp would never expire.
      for (const claim of ['exp', 'nbf', 'iat'] as const) {
        const value = payload[claim];
        if (value !== undefined && !Number.isFinite(value))
          throw AuthError.invalidToken(`The token ${claim} claim is not a number.`);
      }
      return payload;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw AuthError.invalidToken(describe(error));
    }
  };
}

/** RFC 6749 §3.3: scope is a space-separated string; items compare case-sensitively. */
export function hasScope(claims: JWTPayload, scope: string): boolean {
  return typeof claims.scope === 'string' && claims.scope.split(' ').includes(scope);
}
