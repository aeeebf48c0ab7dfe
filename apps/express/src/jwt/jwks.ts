import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { AuthError } from './errors.js';

export const FETCH_TIMEOUT_MS = 5000;
export const BACKOFF_MS = 5000;
export const COOLDOWN_MS = 30_000;
export const MAX_JWKS_BYTES = 512 * 1024;

export type WaitUntil = { waitUntil?(promise: Promise<unknown>): void };
type Options = {
  uri: string;
  maxAgeMs: number;
  fetch: typeof fetch;
  onChange(): void;
  log(line: string): void;
};

/**
 * The issuer's JWK Set (RFC 7517 §5) and the lifecycle no library gives as the contract wants:
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
        this.options.log(`JWKS fetch from ${this.options.uri} failed (${why}); ${then}.`);
        return false;
      },
    );
    this.#inFlight = attempt.finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    const response = await this.options.fetch(this.options.uri, {
      redirect: 'manual', // a 3xx (or a browser's opaque redirect, status 0) fails: never followed
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), // also bounds reading the body
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (response.status !== 200) {
      response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status}`);
    }
    const set = JSON.parse(await readText(response.body));
    const resolver = createLocalJWKSet(set); // throws unless { keys: [objects...] }
    const keys = new Set<string>(set.keys.map((key: unknown) => JSON.stringify(key)));
    const removed = [...this.#keys].some((key) => !keys.has(key));
    if (removed || keys.size !== this.#keys.size || !this.current) {
      // Replaced whole, never merged: memory follows the JWKS, and retired keys go.
      this.current = resolver;
      this.#keys = keys;
      this.#kids = new Set(set.keys.map((key: { kid?: unknown }) => key.kid));
    }
    this.#lastSuccess = performance.now();
    if (removed) {
      this.generation++;
      this.options.onChange();
    }
  }
}

/** The body as UTF-8 text, abandoned (the stream cancelled) as soon as it passes MAX_JWKS_BYTES. */
async function readText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  for await (const chunk of body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_JWKS_BYTES) throw new Error(`more than ${MAX_JWKS_BYTES} bytes`);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
