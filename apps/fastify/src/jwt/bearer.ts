import { AuthError } from './errors.js';

/** Longer tokens are refused unread: a bound on the work one request can cause. */
export const MAX_TOKEN_LENGTH = 8192;
// RFC 7515 §7.1: three base64url segments without padding (RFC 7515 §2). This also keeps out what
// jose's lenient base64 decoders would skip (spaces, `=`, `+`, `/`).
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * RFC 6750 §2.1: `Bearer` (any case, RFC 9110 §11.1), one space, the token; only the header
 * counts. No header, another scheme or nothing after it: no credentials (missing_token).
 */
export function bearerToken(authorization: string | null | undefined): string {
  const space = authorization ? authorization.indexOf(' ') : -1;
  if (space !== 6 || authorization?.slice(0, 6).toLowerCase() !== 'bearer' || authorization.length === 7)
    throw AuthError.missingToken();
  if (authorization.length - 7 > MAX_TOKEN_LENGTH) throw AuthError.invalidToken('The token is too long.');
  return authorization.slice(7);
}

/**
 * A compact JWS whose signature is canonical base64url (RFC 4648 §3.5: no length of 1 mod 4, no
 * bits set past the last byte), so one signature has one spelling; decoders ignore those bits.
 */
export function checkShape(token: string): void {
  const rest = (token.length - token.lastIndexOf('.') - 1) % 4;
  const last = B64URL.indexOf(token.charAt(token.length - 1));
  if (!COMPACT_JWS.test(token) || rest === 1 || (rest > 1 && (last & (rest === 2 ? 0x0f : 0x03)) !== 0))
    throw AuthError.invalidToken('The token is not a compact JWS.');
}
