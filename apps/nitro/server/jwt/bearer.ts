import { AuthError } from './errors.js';

/** Longer tokens are refused unread: a bound on the work one request can cause. */
export const MAX_TOKEN_LENGTH = 8192;
// RFC 7515 §7.1: three base64url segments without padding (RFC 7515 §2). This also keeps out what
// jose's lenient base64 decoders would skip (spaces, `=`, `+`, `/`).
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * RFC 6750 §2.1: `Bearer` (any case, RFC 9110 §11.1), one space, the token. The gateway may send
 * its token in another header with another prefix, or none (`prefix` empty: the whole value).
 * No header, another prefix or nothing after it: no credentials (missing_token).
 */
export function bearerToken(value: string | null | undefined, prefix = 'Bearer'): string {
  const start = prefix === '' ? 0 : prefix.length + 1;
  const prefixed =
    prefix === '' ||
    (value?.charAt(prefix.length) === ' ' &&
      value.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase());
  if (!value || !prefixed || value.length === start) throw AuthError.missingToken();
  if (value.length - start > MAX_TOKEN_LENGTH) throw AuthError.invalidToken('The token is too long.');
  return value.slice(start);
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
