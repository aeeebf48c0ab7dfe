/**
 * A bounded cache of tokens that verified, keyed by the exact token string: a repeated token costs
 * a Map lookup instead of a signature check. Only successes are stored; an entry lives until the
 * token's own `exp` or 60 s after insertion, whichever comes first, so a cached answer never
 * outlives the token and a retired key stops being honoured within 60 s. Wall clock throughout,
 * because `exp` is wall-clock seconds (RFC 7519 §2 NumericDate).
 */
export interface VerifiedCacheOptions {
  /** Most entries kept (default 10,000). */
  maxEntries?: number;
  /** Most token characters kept, summed over the entries (default 4 MiB). */
  maxChars?: number;
  /** Longest an entry lives after insertion, in ms (default 60 s). */
  ttlMs?: number;
  /** Wall clock in ms (tests replace it). */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Freezes the claims and everything in them, so no caller can change a cached answer. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

export class VerifiedCache<T extends object> {
  // A Map keeps insertion order: the first key is the oldest, evicted first.
  readonly #entries = new Map<string, Entry<T>>();
  #chars = 0;
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: VerifiedCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxChars = options.maxChars ?? 4 * 1024 * 1024;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The frozen claims of a token that verified and has not expired here, else undefined. */
  get(token: string): T | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.expiresAt) return entry.value;
    this.#delete(token); // expired: dropped when met
    return undefined;
  }

  /** Stores verified claims (frozen) until min(exp, now + ttl); returns them. */
  set(token: string, claims: T, exp: number): T {
    const value = deepFreeze(claims);
    const now = this.#now();
    const expiresAt = Math.min(exp * 1000, now + this.#ttlMs);
    if (!(expiresAt > now) || token.length > this.#maxChars) return value;
    this.#delete(token);
    this.#entries.set(token, { value, expiresAt });
    this.#chars += token.length;
    while (this.#entries.size > this.#maxEntries || this.#chars > this.#maxChars) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#delete(oldest.value);
    }
    return value;
  }

  #delete(token: string): void {
    if (this.#entries.delete(token)) this.#chars -= token.length;
  }
}
