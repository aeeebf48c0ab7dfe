/**
 * The verifier, framework-free: verify(authorizationHeader) returns the verified claims or
 * throws ApiError. Order matters: everything that needs no key is checked first, so a
 * malformed token never causes a JWKS fetch; jose checks the signature; the claims last.
 */
import { compactVerify } from 'jose';
import type { Algorithm, Config } from './config';
import { ApiError } from './errors';
import { KeyStore } from './keystore';
import { VerifiedCache } from './verified-cache';

export type Claims = Record<string, unknown>;

const MAX_TOKEN_LENGTH = 8192;
/** RFC 6750 §2.1 b64token: one run of these characters, nothing after it. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
// One decoder for the process: fatal, so bytes that are not UTF-8 are refused (RFC 7519 §7.2).
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (description: string) => ApiError.invalidToken(description);
const isObject = (v: unknown): v is Claims => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `Authorization: Bearer <token>`, scheme case-insensitive (RFC 7235 §2.1), and the length bound. */
function bearerToken(header: string | undefined): string {
  if (!header) throw ApiError.missingToken();
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') throw ApiError.missingToken();
  const token = space === -1 ? '' : header.slice(space + 1);
  if (token === '') throw ApiError.missingToken();
  // Before any parsing: a huge token costs nothing but this comparison.
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('The token is too long.');
  return token;
}

function checkB64token(token: string): string {
  if (!B64TOKEN.test(token))
    throw invalid('The Authorization header must be "Bearer", one space and the token.');
  return token;
}

/** The token of an Authorization header, or ApiError (missing_token / invalid_token). */
export function extractToken(header: string | undefined): string {
  return checkB64token(bearerToken(header));
}

/** A base64url segment holding a JSON object (RFC 7515 §7.1, RFC 7519 §7.2). */
function jsonObject(segment: string, what: string): Claims {
  try {
    const text = UTF8.decode(Buffer.from(segment, 'base64url'));
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // fall through: the same answer for every kind of malformed segment
  }
  throw invalid(`The token ${what} is not a JSON object.`);
}

const segment = (part: string) => part.length % 4 !== 1 && B64URL.test(part);

function decode(token: string, allowed: readonly Algorithm[]) {
  const parts = token.split('.');
  const [h = '', p = '', s = ''] = parts;
  if (parts.length !== 3 || !h || !p || !segment(h) || !segment(p) || !segment(s)) {
    throw invalid('The token is not a compact JWS.');
  }
  if (!s) throw invalid('The token is not signed.');
  const header = jsonObject(h, 'header');
  const payload = jsonObject(p, 'payload');
  const alg = header.alg;
  // RFC 8725 §3.1: only the configured algorithms, which never include none or HS*.
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    throw invalid('The token algorithm is not accepted.');
  }
  // RFC 7515 §4.1.11: we understand no extensions, so any crit is a reason to reject.
  if (Object.hasOwn(header, 'crit'))
    throw invalid('The token requires extensions this API does not support.');
  const kid = header.kid;
  if (Object.hasOwn(header, 'kid') && typeof kid !== 'string')
    throw invalid('The token kid is not a string.');
  // jwk, jku, x5u and x5c are never read: keys come only from the configured JWKS (RFC 8725 §3.10).
  return { alg: alg as Algorithm, kid: kid as string | undefined, payload };
}

/** RFC 7519 §4.1: iss exact, exp required, nbf if present, aud when configured. */
function checkClaims(claims: Claims, config: Config, now: number): number {
  const { issuer, audiences, clockTolerance } = config;
  if (claims.iss !== issuer) throw invalid('The token issuer is not accepted.');
  if (!isNumericDate(claims.exp)) throw invalid('The token has no valid expiry.');
  if (claims.exp <= now - clockTolerance) throw invalid('The token has expired.');
  if (claims.nbf !== undefined) {
    if (!isNumericDate(claims.nbf)) throw invalid('The token not-before time is not a number.');
    if (claims.nbf > now + clockTolerance) throw invalid('The token is not valid yet.');
  }
  if (claims.iat !== undefined && !isNumericDate(claims.iat))
    throw invalid('The token issued-at time is not a number.');
  if (audiences) {
    const aud = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
    if (!Array.isArray(aud) || !aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
      throw invalid('The token audience is not accepted.');
    }
  }
  return claims.exp;
}

/** RFC 6749 §3.3: scope is a space-separated string; items compare exactly. */
export function hasScope(claims: Claims, scope: string): boolean {
  return typeof claims.scope === 'string' && claims.scope.split(' ').includes(scope);
}

export interface Verifier {
  /** The claims, or ApiError thrown or rejected; a cached token answers without a promise. */
  verify(authorizationHeader: string | undefined): Claims | Promise<Claims>;
}

export function createVerifier(
  config: Config,
  keys = new KeyStore(config.jwksUri),
  cache = new VerifiedCache<Claims>(),
): Verifier {
  // One options object per alg, made once: jose re-reads the header, alg pinned to the key's.
  const options = new Map(config.algorithms.map((alg) => [alg, { algorithms: [alg] }]));

  async function verifyToken(token: string): Promise<Claims> {
    const { alg, kid, payload } = decode(token, config.algorithms);
    // The key already imported: no promise; otherwise the store fetches/imports it.
    const key = keys.cached(alg, kid) ?? (await keys.keyFor(alg, kid));
    try {
      // compactVerify, not jwtVerify: the payload is already parsed above and the claims are
      // checked below; jwtVerify would decode and parse it again (measured slower).
      await compactVerify(token, key, options.get(alg));
    } catch {
      throw invalid('The token signature is invalid.');
    }
    const exp = checkClaims(payload, config, Math.floor(Date.now() / 1000));
    // Only tokens that passed every check reach the cache (failures threw above).
    return cache.set(token, payload, exp);
  }

  return {
    verify(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      // Right after the Bearer parse and the length check: a repeated token skips the rest.
      return cache.get(token) ?? verifyToken(checkB64token(token));
    },
  };
}

let current: Verifier | undefined;

/** Called once at start-up (server/plugins/config.ts): one verifier, one JWKS cache per process. */
export function installVerifier(verifier: Verifier): void {
  current = verifier;
}

export function verify(authorizationHeader: string | undefined): Claims | Promise<Claims> {
  if (!current) throw new Error('verify() called before installVerifier()');
  return current.verify(authorizationHeader);
}
