/**
 * The verifier, framework-free: `verify(authorizationHeader)` returns the verified claims or
 * throws AuthError. LoopBack reaches it through src/services/jwt.strategy.ts.
 *
 * jsonwebtoken 9 checks the signature, iss, aud, exp and nbf, but it ignores `crit`, accepts
 * a token without `exp`, and picks no key: those checks are done here, before it runs.
 */
import { TextDecoder } from 'node:util';
import jwt from 'jsonwebtoken';
import type { Algorithm, Config } from './config';
import { AuthError } from './errors';
import type { KeyStore } from './jwks';
import { VerifiedCache } from './verified-cache';

/** Verified claims: frozen, since a cached set is shared by every request with that token. */
export type Claims = Readonly<Record<string, unknown>>;

/** Longer tokens are refused before any parsing (bounded work per request). */
export const MAX_TOKEN_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (description: string) => AuthError.invalidToken(description);

/**
 * RFC 6750 §2.1: `Authorization: Bearer <token>`, the scheme case-insensitive (RFC 7235 §2.1),
 * exactly one space. No header, another scheme or no token at all is a request without
 * credentials (missing_token); anything else after "Bearer " is judged as a token.
 */
export function bearerToken(authorization: string | undefined): string {
  const header = authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  const token = space === -1 ? '' : header.slice(space + 1);
  if (scheme.toLowerCase() !== 'bearer' || token === '') throw AuthError.missingToken();
  return token;
}

/** A JOSE header or claims set: canonical base64url (RFC 7515 §2) of a UTF-8 JSON object. */
function decodeObject(segment: string): Record<string, unknown> | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Claims)
      : undefined;
  } catch {
    return undefined;
  }
}

const isNumericDate = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/** Maps jsonwebtoken's errors to fixed sentences: its messages never reach the client. */
function describe(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The token has expired.';
  if (error instanceof jwt.NotBeforeError) return 'The token is not valid yet.';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid')) return 'The token is not meant for this API.';
  if (message.startsWith('jwt issuer invalid')) return 'The token is not from the trusted issuer.';
  if (message === 'invalid signature') return 'The token signature is invalid.';
  return 'The token could not be verified.';
}

export class JwtVerifier {
  constructor(
    private readonly config: Pick<Config, 'issuer' | 'audiences' | 'algorithms' | 'clockTolerance'>,
    private readonly keys: KeyStore,
    private readonly cache = new VerifiedCache(),
  ) {}

  async verify(authorization: string | undefined): Promise<Claims> {
    const token = bearerToken(authorization);
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('The token is too long.');
    // The fast path: this exact token verified less than 60 s ago and has not expired.
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    const segments = token.split('.');
    const [head, body, signature] = segments;
    if (segments.length !== 3 || !head || !body || !signature || !segments.every((s) => BASE64URL.test(s))) {
      throw invalid('The token is not a compact JWS.');
    }
    const header = decodeObject(head);
    const payload = decodeObject(body);
    if (!header || !payload || Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
      throw invalid('The token is not a compact JWS.');
    }
    const { alg, kid } = this.#checkHeader(header);
    // RFC 7519 §4.1.4: this API requires exp; jsonwebtoken only checks it when present.
    if (!isNumericDate(payload.exp)) throw invalid('The token has no valid expiry.');
    if (Object.hasOwn(payload, 'nbf') && !isNumericDate(payload.nbf))
      throw invalid('The token has an invalid nbf.');

    const key = await this.keys.keyFor(alg, kid);
    const { issuer, audiences, clockTolerance } = this.config;
    try {
      const claims = jwt.verify(token, key, {
        algorithms: [alg],
        issuer,
        audience: audiences as [string, ...string[]] | undefined,
        clockTolerance,
      });
      if (typeof claims !== 'object' || claims === null) throw new Error('not an object');
      // Only successes are stored; the scope (403) is decided afterwards, from these claims.
      return this.cache.set(token, claims as Record<string, unknown>);
    } catch (error) {
      throw invalid(describe(error));
    }
  }

  #checkHeader(header: Record<string, unknown>): { alg: Algorithm; kid: string | undefined } {
    const { alg, kid } = header;
    // RFC 8725 §3.1: only the configured allow-list (never "none" or HMAC, refused by config).
    if (typeof alg !== 'string' || !(this.config.algorithms as string[]).includes(alg)) {
      throw invalid('The token algorithm is not allowed.');
    }
    // RFC 7515 §4.1.11: we understand no extension, so any crit must be refused.
    if (Object.hasOwn(header, 'crit')) throw invalid('The token uses unsupported critical extensions.');
    if (Object.hasOwn(header, 'kid') && typeof kid !== 'string')
      throw invalid('The token key id is not a string.');
    // jwk, jku, x5u, x5c are deliberately never read: keys come only from the configured JWKS.
    return { alg: alg as Algorithm, kid: kid as string | undefined };
  }
}
