/**
 * Fetching and reading a JWK Set (RFC 7517 §5): what the key store caches. Throws on anything
 * that is not a 200 with a JSON key set, so the store can treat every failure alike.
 */
import type { JWK } from 'jose';
import type { Algorithm } from './config';

/** A JWKS is a handful of keys; a bigger body is a misconfigured or hostile endpoint. */
const MAX_JWKS_BYTES = 512 * 1024;

export interface SigningJwk {
  kid: string | undefined;
  /** The public members only, plus `alg` when the set names one. */
  jwk: JWK;
}

/** Does this JWK suit `alg`? Its own `alg`, when present, must be the same (RFC 7517 §4.4). */
export function fits(jwk: JWK, alg: Algorithm): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return jwk.kty === 'RSA';
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'ES384') return jwk.kty === 'EC' && jwk.crv === 'P-384';
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Signing keys only: `use` other than "sig" (RFC 7517 §4.2) or key_ops without "verify" (§4.3)
 * are skipped. Only public members are kept, so a stray private `d` is never imported.
 */
export function signingKeys(doc: unknown): SigningJwk[] {
  if (!isObject(doc) || !Array.isArray(doc.keys)) throw new Error('not a JWK Set');
  return doc.keys.filter(isObject).flatMap((jwk) => {
    if (jwk.use !== undefined && jwk.use !== 'sig') return [];
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
      return [];
    const { kty, crv, n, e, x, y, alg } = jwk;
    const members = Object.entries({ kty, crv, n, e, x, y, alg }).filter(([, v]) => typeof v === 'string');
    return [
      { kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, jwk: Object.fromEntries(members) as JWK },
    ];
  });
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader.cancel();
      throw new Error('JWK Set too large');
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One GET; the timeout covers the connection, the headers and the body. */
export async function fetchJwks(uri: string, timeoutMs: number): Promise<SigningJwk[]> {
  const res = await fetch(uri, {
    headers: { accept: 'application/jwk-set+json, application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`JWKS answered ${res.status}`);
  }
  return signingKeys(JSON.parse(await readCapped(res)));
}
