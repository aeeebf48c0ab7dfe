// Compact JWS parsing and claim checks (RFC 7515, RFC 7519, RFC 8725), free of nginx:
// everything here takes its inputs as arguments, so Node's unit tests import it as is.
import errors from './errors.js';

/** The contract's limit: longer tokens are refused before any parsing. */
const MAX_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]*$/;
// No Object.hasOwn in njs 0.7.9; parsed JSON has only own enumerable properties.
const has = (object, name) => Object.keys(object).indexOf(name) >= 0;

/**
 * RFC 6750 §2.1: `Bearer` (any case, RFC 7235 §2.1), one space, the token. Other schemes and
 * an empty token are "no token"; anything after the token makes it invalid.
 */
function bearerToken(header) {
  if (typeof header !== 'string' || header === '') throw errors.missing();
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') throw errors.missing();
  const token = space < 0 ? '' : header.slice(space + 1);
  if (token === '') throw errors.missing();
  if (token.length > MAX_TOKEN_LENGTH) throw errors.invalid('The token is too long.');
  if (token.indexOf(' ') >= 0) throw errors.invalid('The authorization header holds more than one token.');
  return token;
}

/** Strict base64url (RFC 7515 §2): the alphabet only, no padding, canonical trailing bits. */
function decodeSegment(segment) {
  if (!B64URL.test(segment) || segment.length % 4 === 1) return null;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : null;
}

function jsonObject(segment) {
  const bytes = decodeSegment(segment);
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  // RFC 7515 §5.2 asks for UTF-8: a lossy decode (invalid sequences) is refused.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch (_e) {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** Splits and decodes a compact JWS; checks the header against the allow-list. */
function parse(token, algorithms) {
  if (token.length > MAX_TOKEN_LENGTH) throw errors.invalid('The token is too long.');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
    throw errors.invalid('The token is not a compact JWS.');
  }
  const header = jsonObject(parts[0]);
  if (header === null) throw errors.invalid('The token header is not a base64url JSON object.');
  const payload = jsonObject(parts[1]);
  if (payload === null) throw errors.invalid('The token payload is not a base64url JSON object.');
  const signature = decodeSegment(parts[2]);
  if (signature === null || signature.length === 0) throw errors.invalid('The token signature is malformed.');
  // RFC 8725 §3.1: only the configured algorithms; `none` and HS* can never be configured.
  if (typeof header.alg !== 'string' || algorithms.indexOf(header.alg) < 0) {
    throw errors.invalid('The token algorithm is not allowed.');
  }
  // RFC 7515 §4.1.11: we understand no extension, so any `crit` is refused.
  if (has(header, 'crit')) throw errors.invalid('The token has critical header parameters.');
  if (has(header, 'kid') && typeof header.kid !== 'string')
    throw errors.invalid('The token kid is not a string.');
  return {
    header: header,
    payload: payload,
    payloadSegment: parts[1],
    signature: signature,
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
  };
}

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/** RFC 7519 §4.1: iss exact, exp required, nbf and iat numeric, aud when configured. */
function checkClaims(payload, config, now) {
  const leeway = config.clockTolerance;
  if (payload.iss !== config.issuer) throw errors.invalid('The token issuer is not trusted.');
  if (!isNumber(payload.exp)) throw errors.invalid('The token has no numeric exp claim.');
  if (payload.exp <= now - leeway) throw errors.invalid('The token has expired.');
  if (has(payload, 'nbf')) {
    if (!isNumber(payload.nbf)) throw errors.invalid('The token nbf claim is not numeric.');
    if (payload.nbf > now + leeway) throw errors.invalid('The token is not valid yet.');
  }
  if (has(payload, 'iat') && !isNumber(payload.iat))
    throw errors.invalid('The token iat claim is not numeric.');
  if (config.audiences) {
    const aud = payload.aud;
    const list = Array.isArray(aud) ? aud : [aud];
    const ok = list.some((a) => typeof a === 'string' && config.audiences.indexOf(a) >= 0);
    if (!ok) throw errors.invalid('The token audience is not accepted.');
  }
}

/** RFC 6749 §3.3: `scope` is a space-separated string; items compare exactly. */
function hasScope(payload, scope) {
  return typeof payload.scope === 'string' && payload.scope.split(' ').indexOf(scope) >= 0;
}

/** A claim fit for a request header line: printable ASCII only, else nothing (no injection). */
function headerSafe(value) {
  return typeof value === 'string' && /^[\x20-\x7e]{1,256}$/.test(value) ? value : '';
}

export default { MAX_TOKEN_LENGTH, bearerToken, decodeSegment, parse, checkClaims, hasScope, headerSafe };
