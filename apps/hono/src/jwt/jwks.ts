import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { discoverJwksUri, getJson } from './discovery.js';
import { AuthError } from './errors.js';

export const FETCH_TIMEOUT_MS = 5000;
export const BACKOFF_MS = 5000;
export const COOLDOWN_MS = 30_000;
export { MAX_BYTES as MAX_JWKS_BYTES } from './discovery.js';

export type WaitUntil = { waitUntil?(promise: Promise<unknown>): void };
type Options = {
  issuer: string;
  /** The configured JWKS URI; undefined: found by discovery on every fetch. */
  uri: string | undefined;
  maxAgeMs: number;
  fetch: typeof fetch;
  onChange(): void;
  log(line: string): void;
};

/**
 * One issuer's JWK Set (RFC 7517 §5) and the lifecycle no library gives as the contract wants:
 * one fetch at a time, shared; a failed fetch never touches the cached set and is followed by
 * BACKOFF_MS without another; unknown kids refetch at most once per COOLDOWN_MS; past the max
 * age, a refetch in the background. Key selection itself is jose's createLocalJWKSet. Times are
 * performance.now(): a wall-clock jump cannot stretch or reopen a wait.
 */
export class KeySet {
  /** jose's resolver over the current set; undefined until the first successful fetch. */
  current: JWTVerifyGetKey | undefined;
  #keys = new Set<string>(); // each key as JSON: tells what a new fetch changed
  #kids = new Set<unknown>();
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #lastFailure = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<boolean> | undefined;
  /** Goes up each time keys are retired: a verification that began before must not be cached. */
  generation = 0;

  constructor(readonly options: Options) {}

  /** For jwtVerify: the cached set, or (cold) one that fetches it first. */
  get resolver(): JWTVerifyGetKey {
    return this.current ?? this.#cold;
  }

  // jose calls this only once the token parsed and its alg is allowed: junk never causes a fetch.
  #cold: JWTVerifyGetKey = async (header, token) => {
    if (!this.current) await this.refresh();
    if (!this.current) throw AuthError.unavailable();
    return this.current(header, token);
  };

  /** Past the max age, one background refetch; the request goes on with the cached set. */
  refreshIfOld(context?: WaitUntil): void {
    const now = performance.now();
    if (now - this.#lastSuccess < this.options.maxAgeMs || !this.current || this.#inFlight) return;
    if (now - this.#lastFailure < BACKOFF_MS) return;
    const refreshed = this.refresh(); // never rejects
    context?.waitUntil?.(refreshed);
  }

  /** No key fitted: true when a refetch may have brought it; throws the 503 when one cannot be made. */
  async refetchFor(kid: unknown): Promise<boolean> {
    if (kid !== undefined && (typeof kid !== 'string' || this.#kids.has(kid))) return false;
    if (!this.#inFlight && performance.now() - this.#lastSuccess < COOLDOWN_MS) return false;
    if (!(await this.refresh())) throw AuthError.unavailable();
    return true;
  }

  /** Fetches the set, or joins the fetch in flight; false after a failure or during the backoff. */
  refresh(): Promise<boolean> {
    if (this.#inFlight) return this.#inFlight;
    if (performance.now() - this.#lastFailure < BACKOFF_MS) return Promise.resolve(false);
    const attempt = this.#fetch().then(
      () => true,
      (error: unknown) => {
        this.#lastFailure = performance.now();
        const why =
          error instanceof SyntaxError ? 'not JSON' : error instanceof Error ? error.message : error;
        const then = this.current
          ? 'cached keys stay in use'
          : 'no keys yet: tokens get 503 until one succeeds';
        const from = this.options.uri ?? `issuer ${this.options.issuer}`;
        this.options.log(`JWKS fetch from ${from} failed (${why}); ${then}.`);
        return false;
      },
    );
    this.#inFlight = attempt.finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    // One bound for discovery and the key set together: a request never waits longer.
    const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    const { fetch, issuer, uri } = this.options;
    const jwksUri = uri ?? (await discoverJwksUri(fetch, issuer, signal));
    const set = (await getJson(fetch, jwksUri, signal)) as JSONWebKeySet;
    const resolver = createLocalJWKSet(set); // throws unless { keys: [objects...] }
    const keys = new Set(set.keys.map((key) => JSON.stringify(key)));
    const removed = [...this.#keys].some((key) => !keys.has(key));
    if (removed || keys.size !== this.#keys.size || !this.current) {
      // Replaced whole, never merged: memory follows the JWKS, and retired keys go.
      this.current = resolver;
      this.#keys = keys;
      this.#kids = new Set(set.keys.map((key) => key.kid));
    }
    this.#lastSuccess = performance.now();
    if (removed) {
      this.generation++;
      this.options.onChange();
    }
  }
}
