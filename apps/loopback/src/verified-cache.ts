/**
 * The fast path for a repeated token: a bounded cache of tokens that already verified, keyed by
 * the exact token string. Only successes are stored, and an entry never outlives the token:
 * it expires at min(exp, insertion + 60 s) on the wall clock (exp is NumericDate seconds,
 * RFC 7519 §2), so a cached answer is never accepted after exp. The one state it can lag
 * behind is the JWKS: a retired key's tokens keep passing for at most 60 s.
 */
export type CachedClaims = Readonly<Record<string, unknown>>;

interface Entry {
  claims: CachedClaims;
  /** Wall-clock milliseconds after which the entry is dead. */
  expiresAt: number;
}

export interface VerifiedCacheOptions {
  maxEntries?: number;
  /** Cap on the total token text held (tokens are ASCII: characters = bytes). */
  maxChars?: number;
  ttlMs?: number;
  now?: () => number;
}

export class VerifiedCache {
  // A Map keeps insertion order: its first key is always the oldest entry (evicted first).
  readonly #entries = new Map<string, Entry>();
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

  /** The frozen claims of a live entry; an expired entry is dropped on the way. */
  get(token: string): CachedClaims | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.expiresAt) return entry.claims;
    this.#delete(token);
    return undefined;
  }

  /** Stores a verified token's claims (frozen, so no caller can change what others get). */
  set(token: string, claims: Record<string, unknown>): CachedClaims {
    const frozen = deepFreeze(claims);
    const now = this.#now();
    const exp = claims.exp;
    const expiresAt = Math.min(typeof exp === 'number' ? exp * 1000 : now, now + this.#ttlMs);
    if (expiresAt <= now || token.length > this.#maxChars) return frozen;
    this.#delete(token);
    this.#entries.set(token, { claims: frozen, expiresAt });
    this.#chars += token.length;
    while (this.#entries.size > this.#maxEntries || this.#chars > this.#maxChars) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#delete(oldest.value);
    }
    return frozen;
  }

  #delete(token: string): void {
    if (this.#entries.delete(token)) this.#chars -= token.length;
  }
}

/** Freezes an object and everything inside it (claims are plain JSON: no cycles). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
