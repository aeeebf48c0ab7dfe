import { type CryptoKey, importJWK } from 'jose';
import type { Alg } from './config.js';
import { AuthError } from './errors.js';

/**
 * The JWKS cache: one per process, made at start-up. jose's createRemoteJWKSet is close but not
 * the contract: past cacheMaxAge a failed refetch fails requests whose key is cached, a known kid
 * with another `alg` triggers a refetch (and a 503 during an outage), and fetch failures surface as
 * assorted errors. So this keeps the keys itself and hands jwtVerify a key-resolver function.
 */
export interface KeyStoreOptions {
  uri: URL;
  /** Only keys fitting these are imported. */
  algorithms: readonly Alg[];
  timeoutMs?: number;
  cooldownMs?: number;
  log?: (line: string) => void;
}

/** A JWKS key, imported once per successful fetch for every allowed alg it fits. */
interface StoredKey {
  kid: string | undefined;
  byAlg: Map<Alg, CryptoKey>;
}

const MAX_JWKS_BYTES = 512 * 1024;
const MAX_KEYS = 100;

/** RFC 7518 §3.3-3.5, RFC 8037 §3.1: the key type (and curve) each algorithm needs. */
function suits(jwk: Record<string, unknown>, alg: Alg): boolean {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return jwk.kty === 'RSA';
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'ES384') return jwk.kty === 'EC' && jwk.crv === 'P-384';
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Public members only (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2): nothing else reaches the import. */
function publicPart(jwk: Record<string, unknown>) {
  const { kty, crv, n, e, x, y } = jwk as Record<string, string | undefined>;
  return kty === 'RSA' ? { kty, n, e } : kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x };
}

async function importKey(jwk: unknown, algorithms: readonly Alg[]): Promise<StoredKey | undefined> {
  if (!isObject(jwk)) return undefined;
  // RFC 7517 §4.2/§4.3: keys for encryption are not ours; `d` means someone published a private key.
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
    return undefined;
  if (jwk.d !== undefined || (jwk.kid !== undefined && typeof jwk.kid !== 'string')) return undefined;
  const byAlg = new Map<Alg, CryptoKey>();
  for (const alg of algorithms) {
    // RFC 7517 §4.4: a key that names its alg is for that alg only.
    if ((jwk.alg !== undefined && jwk.alg !== alg) || !suits(jwk, alg)) continue;
    try {
      byAlg.set(alg, (await importJWK(publicPart(jwk), alg)) as CryptoKey);
    } catch {
      // a malformed key is skipped; the others still work
    }
  }
  return { kid: jwk.kid as string | undefined, byAlg };
}

export class KeyStore {
  readonly #opts: Required<KeyStoreOptions>;
  #byKid = new Map<string, StoredKey[]>();
  #all: StoredKey[] = [];
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;

  constructor(options: KeyStoreOptions) {
    this.#opts = { timeoutMs: 5000, cooldownMs: 30_000, log: (l) => console.error(l), ...options };
  }

  /** The key to verify a token with `alg` and `kid`, or an AuthError (invalid_token or 503). */
  async resolve(alg: Alg, kid: string | undefined): Promise<CryptoKey> {
    let found = this.#find(alg, kid);
    // An unknown key may be a rotation: refetch, at most once per cooldown after a success.
    if (
      found === 'unknown' &&
      (this.#inFlight || performance.now() - this.#lastSuccess >= this.#opts.cooldownMs)
    ) {
      const ok = await this.refresh();
      if (!ok) throw AuthError.unavailable();
      found = this.#find(alg, kid);
    }
    if (found === 'unknown') throw AuthError.invalidToken('The token was signed with an unknown key.');
    if (found === 'ambiguous') throw AuthError.invalidToken('Several keys fit the token; it needs a kid.');
    if (found === 'wrong-alg') throw AuthError.invalidToken('The token key is not for this algorithm.');
    return found;
  }

  /** The key when it is cached and unambiguous: the per-request path, no promise, no allocation. */
  cached(alg: Alg, kid: string | undefined): CryptoKey | undefined {
    const found = this.#find(alg, kid);
    return typeof found === 'string' ? undefined : found;
  }

  #find(alg: Alg, kid: string | undefined): CryptoKey | 'unknown' | 'ambiguous' | 'wrong-alg' {
    const named = kid === undefined ? undefined : this.#byKid.get(kid);
    if (kid !== undefined && !named) return 'unknown';
    let found: CryptoKey | undefined;
    for (const stored of named ?? this.#all) {
      const key = stored.byAlg.get(alg);
      if (key === undefined) continue;
      if (found !== undefined) return 'ambiguous';
      found = key;
    }
    return found ?? (named ? 'wrong-alg' : 'unknown');
  }

  /** Fetches the JWKS (shared by concurrent callers); true when the key set was replaced. */
  async refresh(): Promise<boolean> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight.then(
      () => true,
      () => false,
    );
  }

  async #fetch(): Promise<void> {
    const { uri, timeoutMs, algorithms, log } = this.#opts;
    let doc: unknown;
    try {
      // The signal also bounds reading the body. Redirects are not followed (as jose does).
      const res = await fetch(uri, {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
        headers: { accept: 'application/jwk-set+json, application/json' },
      });
      if (res.status !== 200) throw new Error(`answered HTTP ${res.status}`);
      const text = await res.text();
      if (text.length > MAX_JWKS_BYTES) throw new Error('answered a body too large for a key set');
      doc = JSON.parse(text);
      if (!isObject(doc) || !Array.isArray(doc.keys)) throw new Error('answered JSON that is not a key set');
    } catch (error) {
      const why = error instanceof SyntaxError ? 'answered something that is not JSON' : describe(error);
      log(`JWKS fetch from ${uri.href} failed: ${why}; cached keys stay in use.`);
      throw error;
    }
    const keys = await Promise.all(doc.keys.slice(0, MAX_KEYS).map((jwk) => importKey(jwk, algorithms)));
    const byKid = new Map<string, StoredKey[]>();
    const all = keys.filter((k) => k !== undefined);
    for (const key of all)
      if (key.kid !== undefined) byKid.set(key.kid, [...(byKid.get(key.kid) ?? []), key]);
    // Replaced whole (never merged), so memory follows the JWKS, not the traffic.
    this.#byKid = byKid;
    this.#all = all;
    this.#lastSuccess = performance.now(); // monotonic: a wall-clock jump cannot reopen or stretch the cooldown
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  if (error instanceof Error && error.message.startsWith('answered')) return error.message;
  return 'could not connect';
}
