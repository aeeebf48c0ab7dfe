import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { AuthError } from './errors.js';

export const FETCH_TIMEOUT_MS = 5000;
/** After a failed fetch, no other attempt for this long: a dead issuer is never hammered. */
export const BACKOFF_MS = 5000;
/** Unknown kids cause at most one refetch per this long after a successful fetch. */
export const COOLDOWN_MS = 30_000;
export const MAX_JWKS_BYTES = 512 * 1024;

export interface KeySetOptions {
  uri: string;
  maxAgeMs: number;
  fetch: typeof fetch;
  /** Called when a successful fetch removed or changed a key. */
  onChange: () => void;
  log: (line: string) => void;
}

/**
 * The issuer's JWK Set (RFC 7517 §5) and its lifecycle, which no library implements as the
 * contract wants: one fetch at a time, shared; a failed fetch never touches the cached set; a
 * background refetch past the max age. Key selection itself is jose's createLocalJWKSet.
 * Times come from performance.now(): a wall-clock jump cannot stretch or reopen a wait.
 */
export class KeySet {
  /** jose's resolver over the current set; undefined until the first successful fetch. */
  current: JWTVerifyGetKey | undefined;
  #keys = new Set<string>(); // each key as fetched (JSON): tells what a new fetch changed
  #kids = new Set<unknown>();
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #lastFailure = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<boolean> | undefined;

  constructor(readonly options: KeySetOptions) {}

  /** The key resolver for jwtVerify: the cached set, or (cold) one that fetches it first. */
  get resolver(): JWTVerifyGetKey {
    return this.current ?? this.#cold;
  }

  // Called by jose only once the token parsed and its alg is allowed: junk never causes a fetch.
  #cold: JWTVerifyGetKey = async (header, token) => {
    if (!this.current) await this.refresh();
    if (!this.current) throw AuthError.unavailable();
    return this.current(header, token);
  };

  /** Past the max age, one background refetch; the request itself goes on with the cached set. */
  refreshIfOld(context?: { waitUntil?(promise: Promise<unknown>): void }): void {
    const now = performance.now();
    if (now - this.#lastSuccess < this.options.maxAgeMs || !this.current || this.#inFlight) return;
    if (now - this.#lastFailure < BACKOFF_MS) return;
    const done = this.refresh(); // never rejects
    context?.waitUntil?.(done);
  }

  /**
   * After jose found no key: true when a refetch was made and may have brought it (a rotation),
   * false when it cannot help; throws the 503 when the JWKS is needed and cannot be fetched.
   */
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
        this.options.log(
          `JWKS fetch from ${this.options.uri} failed (${why(error)}); cached keys stay in use.`,
        );
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
      redirect: 'manual', // a 3xx (or a browser's opaque redirect, status 0) is a failure, never followed
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), // also bounds reading the body
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (response.status !== 200) {
      response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status}`);
    }
    const set = JSON.parse(await readText(response.body, MAX_JWKS_BYTES));
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
    if (removed) this.options.onChange();
  }
}

/** The body as UTF-8 text, abandoned as soon as it passes `max` bytes. */
async function readText(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  const reader = body?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    size += chunk.value.byteLength;
    if (size > max) {
      reader?.cancel().catch(() => {});
      throw new Error(`more than ${max} bytes`);
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

/** For the operator's log line (never a client's answer): what went wrong, never the body. */
function why(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${FETCH_TIMEOUT_MS} ms`;
  if (name === 'SyntaxError') return 'not JSON';
  if (name === 'JWKSInvalid') return 'not a JWK Set';
  return error instanceof Error ? error.message : 'unknown error';
}
