/**
 * The verifier, free of Koa: verify(authorizationHeader) resolves with the verified claims or
 * rejects with an ApiError. jsonwebtoken checks the signature and the claims it knows; the
 * checks it skips or gets wrong for this contract (size, structure, `crit`, `kid`, the key's
 * fit, a required `exp`) are done here first.
 */
import { TextDecoder } from 'node:util';
import jwt from 'jsonwebtoken';
import type { Algorithm, Config } from './config.js';
import { insufficientScope, invalidToken, missingToken } from './errors.js';
import type { KeyStore, Lookup } from './keystore.js';
import { VerifiedCache } from './verified-cache.js';

/** Verified claims: frozen, since a cached set is shared by every request with that token. */
export type Claims = Readonly<Record<string, unknown>>;

/** Longer tokens are refused before any decoding (a cheap bound on the work per request). */
export const MAX_TOKEN_LENGTH = 8192;
// RFC 7515 §7.1 + §2: three base64url segments (no padding), header and payload non-empty. One
// anchored, linear pass over the token instead of a split and a test per segment.
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 6750 §2.1: `Bearer` (any case, RFC 7235 §2.1), one space, the token. No header, another
 * scheme or nothing after the scheme: no credentials at all (missing_token, §3.1). Anything
 * else after "Bearer " is the token, and the structural checks below refuse what is not one.
 */
export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw missingToken();
  const space = authorization.indexOf(' ');
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') throw missingToken();
  const token = space === -1 ? '' : authorization.slice(space + 1);
  if (token === '') throw missingToken();
  return token;
}

/** A base64url segment holding a JSON object (RFC 7515 §5.2 steps 2-4), or undefined. */
function jsonObject(segment: string): Record<string, unknown> | undefined {
  if (segment.length % 4 === 1) return undefined; // no byte string encodes to this length
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const KEY_PROBLEMS: Record<Exclude<Lookup, { key: unknown }>['problem'], string> = {
  'unknown-kid': 'The signing key is not in the issuer key set.',
  'no-key': 'No key of the issuer fits the token algorithm.',
  ambiguous: 'The token names no key and several keys fit.',
  'wrong-key': 'The signing key is not for this algorithm.',
};

/** jsonwebtoken's errors, told in our words: its messages never reach the client. */
function describe(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The token has expired.';
  if (error instanceof jwt.NotBeforeError) return 'The token is not valid yet.';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('invalid signature')) return 'The token signature is invalid.';
  if (message.startsWith('jwt issuer invalid')) return 'The token issuer is not accepted.';
  if (message.startsWith('jwt audience invalid')) return 'The token audience is not accepted.';
  return 'The token could not be verified.';
}

export interface Verifier {
  verify(authorization: string | undefined): Promise<Claims>;
}

export function createVerifier(config: Config, keys: KeyStore, cache = new VerifiedCache()): Verifier {
  const allowed: readonly string[] = config.algorithms;
  // Built once: nothing jsonwebtoken is told varies per request but the (allowed) alg.
  const options = new Map(
    config.algorithms.map((alg) => [
      alg,
      {
        algorithms: [alg],
        issuer: config.issuer,
        audience: config.audiences as [string, ...string[]] | undefined,
        clockTolerance: config.clockTolerance,
      },
    ]),
  );

  async function verify(authorization: string | undefined): Promise<Claims> {
    const token = bearerToken(authorization);
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('The token is too long.');
    // The fast path: this exact token verified less than 60 s ago and has not expired.
    const cached = cache.get(token);
    if (cached !== undefined) return cached;

    if (!COMPACT.test(token)) throw invalidToken('The token is not a signed JWT.');
    const dot1 = token.indexOf('.');
    const dot2 = token.indexOf('.', dot1 + 1);
    const header = jsonObject(token.slice(0, dot1));
    const payload = jsonObject(token.slice(dot1 + 1, dot2));
    if (!header) throw invalidToken('The token header is not a JSON object.');
    if (!payload) throw invalidToken('The token payload is not a JSON object.');

    // RFC 8725 §3.1: the allow-list decides; `none` and HS* are never on it.
    const { alg, kid } = header;
    if (typeof alg !== 'string' || !allowed.includes(alg))
      throw invalidToken('The token algorithm is not accepted.');
    if (kid !== undefined && typeof kid !== 'string') throw invalidToken('The token kid is not a string.');
    // RFC 7515 §4.1.11: we understand no extension, so any `crit` (even empty) is refused.
    if (Object.hasOwn(header, 'crit')) throw invalidToken('The token has critical extensions.');
    // jsonwebtoken checks `exp` only when present; RFC 7519 §4.1.4 makes it ours to require.
    if (!isNumber(payload.exp)) throw invalidToken('The token has no valid expiry.');
    if (payload.nbf !== undefined && !isNumber(payload.nbf))
      throw invalidToken('The token nbf is not a number.');

    // The key comes only from the JWKS (never jwk/jku/x5u/x5c, RFC 8725 §3.10). A cached key is
    // found synchronously: no await (and no extra microtask hop) on the common path.
    const found = keys.cached(alg as Algorithm, kid) ?? (await keys.find(alg as Algorithm, kid));
    if ('problem' in found) throw invalidToken(KEY_PROBLEMS[found.problem]);

    let claims: unknown;
    try {
      claims = jwt.verify(token, found.key, options.get(alg as Algorithm));
    } catch (error) {
      throw invalidToken(describe(error));
    }
    if (typeof claims !== 'object' || claims === null)
      throw invalidToken('The token payload is not a JSON object.');
    // Only successes are stored; the scope (403) is decided afterwards, from these same claims.
    return cache.set(token, claims as Record<string, unknown>);
  }

  return { verify };
}

/** RFC 6749 §3.3: `scope` is a space-separated string; the match is exact and case-sensitive. */
export function requireScope(claims: Claims, scope: string): void {
  const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!granted.includes(scope)) throw insufficientScope(scope);
}
