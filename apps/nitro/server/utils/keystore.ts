/**
 * One JWKS cache per process. jose's createRemoteJWKSet is close but not the contract: it
 * expires the whole set after cacheMaxAge and then fails requests while the endpoint is down,
 * it tries every key when a kid-less token matches several, it does not follow redirects, and
 * it reads bodies without a size limit. So this small store; jose imports the keys and (in
 * auth.ts) checks the signature.
 */
import { type CryptoKey, importJWK } from 'jose';
import type { Algorithm } from './config';
import { ApiError } from './errors';
import { fetchJwks, fits, type SigningJwk } from './jwks';

const FETCH_TIMEOUT_MS = 5_000;
const COOLDOWN_MS = 30_000;
/** What the 503 tells clients: the next request that needs the keys fetches them again. */
const RETRY_AFTER_SECONDS = 5;

interface Entry extends SigningJwk {
  /** One import per algorithm, made on first use and dropped with the entry on the next fetch. */
  imported: Map<Algorithm, Promise<CryptoKey>>;
  /** The same imports once they have resolved: what the per-request path reads, no promise. */
  ready: Map<Algorithm, CryptoKey>;
}

export interface KeyStoreOptions {
  timeoutMs?: number;
  cooldownMs?: number;
  now?: () => number;
}

export class KeyStore {
  /** Replaced whole on every successful fetch: nothing here grows per request. */
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
    // Nothing cached yet: the first fetch, shared with concurrent requests.
    const fetched = !this.#loaded && (await this.#refresh());
    let found = this.#find(alg, kid);
    // An unknown kid may be a rotation: refetch, at most once per cooldown after a success
    // (joining a fetch already under way costs nothing).
    const mayRefetch = this.#inFlight || this.#now() - this.#lastSuccess >= this.#cooldownMs;
    if (found === 'missing' && !fetched && mayRefetch) {
      await this.#refresh();
      found = this.#find(alg, kid);
    }
    if (found === 'missing') throw ApiError.invalidToken('No key in the key set matches the token.');
    if (found === 'unfit')
      throw ApiError.invalidToken('The key named by the token is not for its algorithm.');
    if (found === 'ambiguous')
      throw ApiError.invalidToken('Several keys fit the token; it must name one by kid.');
    return this.#import(found, alg);
  }

  /** The key when it is imported and the only one that fits: no promise, no allocation. */
  cached(alg: Algorithm, kid: string | undefined): CryptoKey | undefined {
    const found = this.#find(alg, kid);
    return typeof found === 'string' ? undefined : found.ready.get(alg);
  }

  #find(alg: Algorithm, kid: string | undefined): Entry | 'missing' | 'unfit' | 'ambiguous' {
    // A Map, not an object: a kid such as "__proto__" or "constructor" finds nothing.
    const named = kid === undefined ? this.#all : this.#byKid.get(kid);
    if (!named || named.length === 0) return 'missing';
    let found: Entry | undefined;
    for (const entry of named) {
      if (!fits(entry.jwk, alg)) continue;
      if (found) return 'ambiguous';
      found = entry;
    }
    return found ?? (kid === undefined ? 'missing' : 'unfit');
  }

  #import(entry: Entry, alg: Algorithm): Promise<CryptoKey> {
    let key = entry.imported.get(alg);
    if (!key) {
      key = importJWK(entry.jwk, alg) as Promise<CryptoKey>;
      entry.imported.set(alg, key);
      key.then(
        (imported) => entry.ready.set(alg, imported),
        () => {}, // answered below, to every request that needs this key
      );
    }
    return key.catch(() => {
      throw ApiError.invalidToken('The key for this token cannot be used.');
    });
  }

  /** Fetches the JWKS, one fetch shared by concurrent callers; 503 when it fails. */
  async #refresh(): Promise<true> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    if (!(await this.#inFlight)) throw ApiError.unavailable(RETRY_AFTER_SECONDS);
    return true;
  }

  /** A failure keeps the keys already cached and starts no cooldown. */
  async #fetch(): Promise<boolean> {
    let keys: SigningJwk[];
    try {
      keys = await fetchJwks(this.uri, this.#timeoutMs);
    } catch {
      return false;
    }
    const entries: Entry[] = keys.map((key) => ({ ...key, imported: new Map(), ready: new Map() }));
    const byKid = new Map<string, Entry[]>();
    for (const entry of entries) {
      if (entry.kid !== undefined) byKid.set(entry.kid, [...(byKid.get(entry.kid) ?? []), entry]);
    }
    this.#all = entries;
    this.#byKid = byKid;
    this.#loaded = true;
    this.#lastSuccess = this.#now();
    return true;
  }
}
