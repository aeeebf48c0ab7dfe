/**
 * One JWKS cache per process (RFC 7517 §5). jose's createRemoteJWKSet is close but not the
 * contract: it expires the whole set after cacheMaxAge and then fails requests while the
 * endpoint is down, it tries every key when a kid-less token matches several, it does not
 * follow redirects and reads bodies without a size limit. So: this small store, with jose
 * doing the key import and (in auth.ts) the signature check.
 */
import { type CryptoKey, importJWK, type JWK } from 'jose';
import type { Algorithm } from './config';
import { ApiError } from './errors';

const FETCH_TIMEOUT_MS = 5_000;
const COOLDOWN_MS = 30_000;
const MAX_JWKS_BYTES = 512 * 1024;
/** What the 503 tells clients: the next request that needs the keys fetches them again. */
const RETRY_AFTER_SECONDS = 5;

interface Entry {
  kid: string | undefined;
  jwk: JWK;
  /** One import per algorithm, made on first use and dropped with the entry on the next fetch. */
  imported: Map<Algorithm, Promise<CryptoKey>>;
}

export interface KeyStoreOptions {
  timeoutMs?: number;
  cooldownMs?: number;
  now?: () => number;
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

/** Keeps only the public members a verification key needs: no `d`, no `use`/`key_ops` surprises at import. */
function publicPart(jwk: Record<string, unknown>): JWK {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, crv, n, e, x, y }).filter(([, v]) => typeof v === 'string'),
  ) as JWK;
}

/** Signing keys only: `use` other than "sig" (RFC 7517 §4.2) or key_ops without "verify" (§4.3) are skipped. */
function toEntries(doc: unknown): Entry[] {
  if (!isObject(doc) || !Array.isArray(doc.keys)) throw new Error('not a JWKS');
  return doc.keys.filter(isObject).flatMap((jwk) => {
    if (jwk.use !== undefined && jwk.use !== 'sig') return [];
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
      return [];
    const key = { ...publicPart(jwk), ...(typeof jwk.alg === 'string' ? { alg: jwk.alg } : {}) };
    return [{ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, jwk: key, imported: new Map() }];
  });
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader.cancel();
      throw new Error('JWKS too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class KeyStore {
  #byKid = new Map<string, Entry[]>();
  #all: Entry[] = [];
  #loaded = false;
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<boolean> | undefined;
  readonly #timeoutMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;

  constructor(
    readonly uri: string,
    options: KeyStoreOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
    this.#cooldownMs = options.cooldownMs ?? COOLDOWN_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The verification key for a token's `alg` and `kid`. Throws ApiError: invalid_token when the
   * JWKS has no single fitting key, temporarily_unavailable when it is needed but cannot be fetched.
   */
  async keyFor(alg: Algorithm, kid: string | undefined): Promise<CryptoKey> {
    // Nothing cached yet: the first fetch, which may be shared with concurrent requests.
    const fetched = !this.#loaded && (await this.#refresh());
    let found = this.#find(alg, kid);
    // An unknown kid may be a rotation: refetch, at most once per cooldown after a success.
    if (
      found === 'missing' &&
      !fetched &&
      (this.#inFlight || this.#now() - this.#lastSuccess >= this.#cooldownMs)
    ) {
      await this.#refresh();
      found = this.#find(alg, kid);
    }
    if (found === 'missing') throw ApiError.invalidToken('No key in the key set matches the token.');
    if (found === 'unfit')
      throw ApiError.invalidToken('The key named by the token is not for its algorithm.');
    if (found === 'ambiguous')
      throw ApiError.invalidToken('Several keys fit the token, which must name one by kid.');
    return this.#import(found, alg);
  }

  #find(alg: Algorithm, kid: string | undefined): Entry | 'missing' | 'unfit' | 'ambiguous' {
    const named = kid === undefined ? this.#all : this.#byKid.get(kid);
    if (!named || named.length === 0) return 'missing';
    const fitting = named.filter((e) => fits(e.jwk, alg));
    if (fitting.length === 1 && fitting[0]) return fitting[0];
    if (fitting.length > 1) return 'ambiguous';
    return kid === undefined ? 'missing' : 'unfit';
  }

  #import(entry: Entry, alg: Algorithm): Promise<CryptoKey> {
    let key = entry.imported.get(alg);
    if (!key) {
      key = importJWK(entry.jwk, alg) as Promise<CryptoKey>;
      entry.imported.set(alg, key);
    }
    return key.catch(() => {
      throw ApiError.invalidToken('The key for this token cannot be used.');
    });
  }

  /** Fetches the JWKS (one fetch shared by concurrent callers). Throws 503 when it fails. */
  async #refresh(): Promise<boolean> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    if (!(await this.#inFlight)) throw ApiError.unavailable(RETRY_AFTER_SECONDS);
    return true;
  }

  /** True on success; a failure keeps the keys already cached and starts no cooldown. */
  async #fetch(): Promise<boolean> {
    try {
      const res = await fetch(this.uri, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        return false;
      }
      const entries = toEntries(JSON.parse(await readCapped(res)));
      const byKid = new Map<string, Entry[]>();
      for (const entry of entries) {
        if (entry.kid !== undefined) byKid.set(entry.kid, [...(byKid.get(entry.kid) ?? []), entry]);
      }
      this.#all = entries;
      this.#byKid = byKid;
      this.#loaded = true;
      this.#lastSuccess = this.#now();
      return true;
    } catch {
      return false;
    }
  }
}
