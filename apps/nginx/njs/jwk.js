// Choosing a key from the JWK Set (RFC 7517) and verifying with WebCrypto (RFC 7518 §3).
// njs 0.7.9 has no Map: the set is searched as an array, so no kid can reach Object.prototype.
import der from './der.js';
import jwt from './jwt.js';
import errors from './errors.js';

/** What each algorithm needs of its key, and how WebCrypto names it. */
const ALGS = {
  RS256: { kty: 'RSA', name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RS384: { kty: 'RSA', name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  RS512: { kty: 'RSA', name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  // RFC 7518 §3.5: the PSS salt is as long as the hash.
  PS256: { kty: 'RSA', name: 'RSA-PSS', hash: 'SHA-256', salt: 32 },
  PS384: { kty: 'RSA', name: 'RSA-PSS', hash: 'SHA-384', salt: 48 },
  PS512: { kty: 'RSA', name: 'RSA-PSS', hash: 'SHA-512', salt: 64 },
  // RFC 7518 §3.4: the signature is R || S, each as long as the curve's field.
  ES256: { kty: 'EC', crv: 'P-256', name: 'ECDSA', hash: 'SHA-256', size: 32 },
  ES384: { kty: 'EC', crv: 'P-384', name: 'ECDSA', hash: 'SHA-384', size: 48 },
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7517 §4.2: a key published for another use (encryption) is not ours to use. */
const forSignatures = (key) => isObject(key) && (key.use === undefined || key.use === 'sig');

/** A key fits an algorithm when its own `alg` (if any) says so and its type and curve suit it. */
function fits(key, alg) {
  const spec = ALGS[alg];
  if (!spec || !forSignatures(key)) return false;
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (Array.isArray(key.key_ops) && key.key_ops.indexOf('verify') < 0) return false;
  return key.kty === spec.kty && (spec.crv === undefined || key.crv === spec.crv);
}

/**
 * The key for a token header: by kid, or, without kid, the only key that fits the alg.
 * `{ unknownKid: true }` when the kid is not in the set (a refetch may help).
 */
function select(keys, header) {
  const list = Array.isArray(keys) ? keys.filter(forSignatures) : [];
  if (typeof header.kid === 'string') {
    const same = list.filter((k) => k.kid === header.kid);
    if (same.length === 0) return { unknownKid: true };
    const usable = same.filter((k) => fits(k, header.alg));
    if (usable.length !== 1) throw errors.invalid('The token algorithm does not match its key.');
    return { key: usable[0] };
  }
  const candidates = list.filter((k) => fits(k, header.alg));
  if (candidates.length === 1) return { key: candidates[0] };
  throw errors.invalid(
    candidates.length === 0
      ? 'No key fits the token algorithm.'
      : 'The token has no kid and several keys fit.',
  );
}

function number(value) {
  const bytes = typeof value === 'string' ? jwt.decodeSegment(value) : null;
  if (bytes === null || bytes.length === 0) throw errors.invalid('The signing key is malformed.');
  return bytes;
}

/** SPKI DER for a JWK; RSA moduli under 2048 bits are refused (RFC 7518 §3.3). */
function spki(key, spec) {
  if (spec.kty === 'RSA') {
    const n = number(key.n);
    let bits = n.length * 8;
    for (let i = 0; i < n.length && n[i] === 0; i++) bits -= 8;
    if (bits < 2048 || n.length > 1024) throw errors.invalid('The signing key size is not acceptable.');
    return der.rsaSpki(n, number(key.e));
  }
  const x = number(key.x);
  const y = number(key.y);
  if (x.length !== spec.size || y.length !== spec.size) throw errors.invalid('The signing key is malformed.');
  return der.ecSpki(spec.crv, x, y);
}

/** Verifies a JWS signature with WebCrypto; false for any signature that does not verify. */
async function verify(key, alg, signature, data) {
  const spec = ALGS[alg];
  const material = spki(key, spec);
  let cryptoKey;
  try {
    const params = { name: spec.name, hash: spec.hash, namedCurve: spec.crv };
    cryptoKey = await crypto.subtle.importKey('spki', material, params, false, ['verify']);
  } catch (_e) {
    throw errors.invalid('The signing key is unusable.');
  }
  if (spec.size && signature.length !== 2 * spec.size) return false;
  try {
    const params = { name: spec.name, hash: spec.hash, saltLength: spec.salt };
    return (await crypto.subtle.verify(params, cryptoKey, signature, data)) === true;
  } catch (_e) {
    // njs 0.7.9 throws, instead of answering false, when an ECDSA signature does not verify.
    return false;
  }
}

export default { ALGS, fits, select, verify };
