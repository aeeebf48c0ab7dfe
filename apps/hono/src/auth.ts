import { compactVerify, errors, type JWTPayload } from 'jose';
import type { Alg, Config } from './config.js';
import { AuthError } from './errors.js';
import type { KeyStore } from './keystore.js';
import { VerifiedCache } from './verified-cache.js';

/**
 * Verifies the Authorization header's bearer token; returns the claims or throws AuthError. A
 * cached token answers synchronously (no promise); callers `await` the result either way.
 */
export type Verify = (authorization: string | undefined) => JWTPayload | Promise<JWTPayload>;

/** Tokens past this are refused unread (a bound on work per request). */
export const MAX_TOKEN_LENGTH = 8192;
// RFC 7515 §7.1 compact serialization; each part base64url without padding (RFC 7515 §2).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; we allow exactly one space.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// One decoder for the process: fatal, so bytes that are not UTF-8 are refused (RFC 7519 §7.2).
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 6750 §2.1 with RFC 9110 §11.1 (the scheme is case-insensitive); only the header counts. */
function bearerToken(authorization: string | undefined): string {
  const space = authorization?.indexOf(' ') ?? -1;
  const scheme = space < 0 ? authorization : authorization?.slice(0, space);
  const token = space < 0 ? '' : (authorization?.slice(space + 1) ?? '');
  if (scheme?.toLowerCase() !== 'bearer' || token === '') throw AuthError.missingToken();
  if (token.length > MAX_TOKEN_LENGTH) throw AuthError.invalidToken('The token is too long.');
  return token;
}

/**
 * base64url that decodes and re-encodes to itself, so no two spellings carry one signature: the
 * length is not 1 mod 4 and the bits past the last whole byte are zero (RFC 4648 §3.5). The
 * alphabet itself is checked by COMPACT_JWS.
 */
function canonical(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = B64URL_ALPHABET.indexOf(segment.charAt(segment.length - 1));
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  if (!canonical(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(UTF8.decode(Buffer.from(segment, 'base64url')));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

interface Inspected {
  alg: Alg;
  kid: string | undefined;
  payload: JWTPayload;
}

/** Structure and header checks done before any key is looked up or fetched. */
function inspect(token: string, allowed: readonly Alg[]): Inspected {
  if (!COMPACT_JWS.test(token)) throw AuthError.invalidToken('The token is not a compact JWS.');
  const [head = '', body = '', signature = ''] = token.split('.');
  if (!canonical(signature)) throw AuthError.invalidToken('The token is not a compact JWS.');
  const header = jsonObject(head);
  const payload = header && jsonObject(body);
  if (!header || !payload) throw AuthError.invalidToken('The token header or payload is not a JSON object.');
  // RFC 8725 §3.1: only what we allow; `none` and HS* never are (config refuses them).
  if (!allowed.includes(header.alg as Alg))
    throw AuthError.invalidToken('The token algorithm is not accepted.');
  // RFC 7515 §4.1.11: we understand no extensions, so any crit is refused (and with it RFC 7797's
  // unencoded payloads, which need "b64" in crit).
  if (Object.hasOwn(header, 'crit'))
    throw AuthError.invalidToken('The token has critical extensions we do not support.');
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw AuthError.invalidToken('The token kid is not a string.');
  // jwk, jku, x5u, x5c (RFC 7515 §4.1.2-4.1.6) are never read: keys come only from our JWKS.
  return { alg: header.alg as Alg, kid: header.kid as string | undefined, payload };
}

/** A NumericDate (RFC 7519 §2): a finite number (JSON.parse turns 1e999 into Infinity). */
const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * RFC 7519 §4.1, the checks jose's jwtVerify made, done on the payload parsed once: iss present
 * and exact; aud present and one of ours when configured; exp required; iat, nbf, exp numbers;
 * nbf not in the future and exp not past, each with the clock tolerance. Returns exp.
 */
function checkClaims(claims: JWTPayload, config: Config): number {
  const { issuer, audiences, clockTolerance } = config;
  if (!Object.hasOwn(claims, 'iss')) throw AuthError.invalidToken('The token has no iss claim.');
  if (audiences && !Object.hasOwn(claims, 'aud')) throw AuthError.invalidToken('The token has no aud claim.');
  if (!Object.hasOwn(claims, 'exp')) throw AuthError.invalidToken('The token has no exp claim.');
  if (claims.iss !== issuer) throw AuthError.invalidToken('The token iss claim is not accepted.');
  if (audiences) {
    const { aud } = claims;
    const ok =
      typeof aud === 'string'
        ? audiences.includes(aud)
        : Array.isArray(aud) && audiences.some((a) => aud.includes(a));
    if (!ok) throw AuthError.invalidToken('The token aud claim is not accepted.');
  }
  const now = Math.floor(Date.now() / 1000);
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && !isNumericDate(iat))
    throw AuthError.invalidToken('The token iat claim is not a number.');
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) throw AuthError.invalidToken('The token nbf claim is not a number.');
    if (nbf > now + clockTolerance) throw AuthError.invalidToken('The token is not valid yet.');
  }
  if (!isNumericDate(exp)) throw AuthError.invalidToken('The token exp claim is not a number.');
  if (exp <= now - clockTolerance) throw AuthError.invalidToken('The token has expired.');
  return exp;
}

/**
 * jose's compactVerify with the imported key checks the signature (and that the key suits the
 * alg); the claims are checked here, on the payload parsed once. jwtVerify would decode and parse
 * the payload a second time and take its key through a resolver function: measured slower.
 */
export function createVerifier(
  config: Config,
  keys: KeyStore,
  cache = new VerifiedCache<JWTPayload>(),
): Verify {
  // One options object per alg, made once: the alg is pinned to the one the key was chosen for.
  const options = new Map(config.algorithms.map((alg) => [alg, { algorithms: [alg] }]));

  async function verifyToken(token: string): Promise<JWTPayload> {
    const { alg, kid, payload } = inspect(token, config.algorithms);
    const key = keys.cached(alg, kid) ?? (await keys.resolve(alg, kid));
    try {
      await compactVerify(token, key, options.get(alg));
    } catch (error) {
      // jose's own messages never reach the client.
      throw AuthError.invalidToken(
        error instanceof errors.JWSSignatureVerificationFailed
          ? 'The token signature is invalid.'
          : 'The token is invalid.',
      );
    }
    // Only tokens that passed every check are cached (failures throw before this line).
    return cache.set(token, payload, checkClaims(payload, config));
  }

  return (authorization) => {
    const token = bearerToken(authorization);
    // Right after the Bearer parse and the length check: a repeated token skips everything below.
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    if (!B64TOKEN.test(token))
      throw AuthError.invalidToken('The Authorization header must be Bearer, one space, one token.');
    return verifyToken(token);
  };
}

/** RFC 6749 §3.3: scope is a space-separated string; items compare case-sensitively. */
export function hasScope(claims: JWTPayload, scope: string): boolean {
  return typeof claims.scope === 'string' && claims.scope.split(' ').includes(scope);
}
