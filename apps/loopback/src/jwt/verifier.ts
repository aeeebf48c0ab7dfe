import { decodeProtectedHeader, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { bearerToken, checkShape } from './bearer.js';
import type { Config } from './config.js';
import { AuthError } from './errors.js';
import { KeySet } from './jwks.js';

/** The verified claims, frozen: a cached set is shared by every request bearing that token. */
export type Claims = Readonly<JWTPayload>;

export interface VerifierOptions {
  fetch?: typeof fetch;
  /** Where JWKS fetch failures are told (default console.error); never a token or key. */
  log?: (line: string) => void;
}

export interface Verifier {
  /** Verifies an Authorization header value; resolves to the verified claims, rejects only with AuthError. */
  verify(
    authorization: string | null | undefined,
    context?: { waitUntil?(promise: Promise<unknown>): void },
  ): Promise<Claims>;
}

/** jose's errors told in our words, by `code`: jose's messages never reach a client. */
const DESCRIPTIONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The token has expired.',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The token signature is invalid.',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The token algorithm is not accepted.',
  ERR_JOSE_NOT_SUPPORTED: 'The token uses an algorithm or a critical extension that is not supported.',
  ERR_JWKS_NO_MATCHING_KEY: 'No key of the issuer fits the token.',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'Several keys of the issuer fit the token; it needs a kid.',
  ERR_JWS_INVALID: 'The token is malformed.',
  ERR_JWT_INVALID: 'The token is malformed.',
};
const CLAIMS: Record<string, string> = {
  iss: 'The token issuer is not accepted.',
  aud: 'The token audience is not accepted.',
  exp: 'The token has no valid expiry.',
  nbf: 'The token is not valid yet.',
  iat: 'The token iat claim is not a number.',
};

function invalid(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
    return AuthError.invalidToken(CLAIMS[String(claim)] ?? 'The token claims are not valid.');
  // Anything else from jose or WebCrypto (a JWKS key that cannot be imported, an RSA key under
  // 2048 bits) is about this token's key: still the client's 401, never a 5xx.
  return AuthError.invalidToken(DESCRIPTIONS[String(code)] ?? 'The token could not be verified.');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** Make it once at start-up: it holds the key set and the cache of verified tokens. */
export function createVerifier(config: Config, options: VerifierOptions = {}): Verifier {
  // Exact token -> claims, successes only; bounded in entries and in token text.
  const verified = new LRUCache<string, Claims>({
    max: 10_000,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (_claims, token) => token.length,
  });
  const keys = new KeySet({
    uri: config.jwksUri,
    maxAgeMs: config.jwksMaxAge * 1000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    // A key was retired: tokens it verified must stop working now, not when their entry expires.
    onChange: () => verified.clear(),
    log: options.log ?? ((line) => console.error(line)),
  });
  // Built once. jose checks the signature, crit (RFC 7515 §4.1.11), alg, iss, aud, exp, nbf.
  const checks: JWTVerifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockTolerance,
    requiredClaims: ['exp'],
  };

  async function verifyToken(token: string): Promise<Claims> {
    checkShape(token);
    let result: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      result = await jwtVerify(token, keys.resolver, checks);
    } catch (error) {
      // No key fits: an unknown kid may be a rotation, so one refetch (bounded) and one retry.
      const code = (error as { code?: unknown } | undefined)?.code;
      if (code !== 'ERR_JWKS_NO_MATCHING_KEY' || !(await keys.refetchFor(decodeProtectedHeader(token).kid)))
        throw invalid(error);
      result = await jwtVerify(token, keys.resolver, checks).catch((retry: unknown) => {
        throw invalid(retry);
      });
    }
    const claims = deepFreeze(result.payload);
    const ttl = Math.min((claims.exp as number) * 1000 - Date.now(), 60_000);
    if (ttl > 0) verified.set(token, claims, { ttl });
    return claims;
  }

  return {
    async verify(authorization, context) {
      try {
        const token = bearerToken(authorization);
        keys.refreshIfOld(context);
        return verified.get(token) ?? (await verifyToken(token));
      } catch (error) {
        throw AuthError.from(error);
      }
    },
  };
}
