/**
 * The JWKS cache (RFC 7517), one per process. jwks-rsa is used only to fetch the document;
 * its own per-kid cache and rate limiter are off, because they cannot express what we need:
 * keys kept through an outage, one fetch shared by concurrent requests, and a refetch for an
 * unknown kid at most once per cooldown counted from the last successful fetch.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwksRsa from 'jwks-rsa';
import type { Algorithm } from './config.js';
import { temporarilyUnavailable } from './errors.js';

export interface StoredKey {
  kid: string | undefined;
  /** The JWK's `alg` (RFC 7517 §4.4), when it names one: the key is then for that algorithm only. */
  alg: string | undefined;
  /** Parsed once per fetch: a PEM string would be re-parsed on every verification. */
  key: KeyObject;
}

export type Lookup = { key: KeyObject } | { problem: 'unknown-kid' | 'no-key' | 'ambiguous' | 'wrong-key' };

export interface KeyStoreOptions {
  /** Resolves with the JWKS `keys` member as fetched; rejects when the fetch fails. */
  fetchKeys: () => Promise<unknown>;
  timeoutMs?: number;
  /** Minimum time between refetches caused by unknown kids, from the last successful fetch. */
  cooldownMs?: number;
  /** After this long, a request refreshes the set in the background (retired keys go away). */
  maxAgeMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const MAX_KEYS = 100;
export const RETRY_AFTER_SECONDS = 10;

/** RFC 7518 §3.3/§3.5: RSA keys of at least 2048 bits; §3.4: the curve is fixed by the alg. */
export function fits(stored: StoredKey, alg: Algorithm): boolean {
  if (stored.alg !== undefined && stored.alg !== alg) return false;
  const { key } = stored;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  }
  const curve = alg === 'ES256' ? 'prime256v1' : alg === 'ES384' ? 'secp384r1' : undefined;
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
}

/** The usable keys of a fetched `keys` member, or undefined when it is not a JWKS at all. */
export function parseKeys(keys: unknown): StoredKey[] | undefined {
  if (!Array.isArray(keys)) return undefined;
  const out: StoredKey[] = [];
  for (const jwk of keys.slice(0, MAX_KEYS)) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const { kid, alg, use, kty } = jwk as Record<string, unknown>;
    // RFC 7517 §4.2: a key for encryption is never used to verify signatures.
    if (use !== undefined && use !== 'sig') continue;
    if (kty !== 'RSA' && kty !== 'EC') continue;
    if (alg !== undefined && typeof alg !== 'string') continue;
    try {
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      out.push({ kid: typeof kid === 'string' ? kid : undefined, alg, key });
    } catch {
      // a malformed key is skipped; the others stay usable
    }
  }
  return out;
}

export class KeyStore {
  #keys: StoredKey[] | undefined;
  #byKid = new Map<string, StoredKey[]>();
  /** Successful lookups of the current set, by alg and kid: at most algorithms × (keys + 1). */
  #found = new Map<string, { key: KeyObject }>();
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #lastBackground = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;
  readonly #fetchKeys: () => Promise<unknown>;
  readonly #timeoutMs: number;
  readonly #cooldownMs: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #log: (line: string) => void;

  constructor(options: KeyStoreOptions) {
    this.#fetchKeys = options.fetchKeys;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#maxAgeMs = options.maxAgeMs ?? 600_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /**
   * The key for a token's `alg` and `kid`. Rejects with the 503 ApiError only when the key is
   * needed, not cached, and the fetch failed; every other miss is a `problem` (invalid_token).
   */
  /**
   * The synchronous fast path: the key for `alg` and `kid` when the current set already gave it
   * (the common case); undefined sends the caller to find(), which fetches or reports a problem.
   */
  cached(alg: Algorithm, kid: string | undefined): Lookup | undefined {
    if (!this.#keys) return undefined;
    this.#refreshIfOld();
    return this.#found.get(kid === undefined ? alg : `${alg}\u0000${kid}`);
  }

  async find(alg: Algorithm, kid: string | undefined): Promise<Lookup> {
    if (!this.#keys) await this.#refresh();
    else this.#refreshIfOld();
    let found = this.#select(alg, kid);
    const missing = 'problem' in found && (found.problem === 'unknown-kid' || found.problem === 'no-key');
    if (missing && (this.#inflight || this.#now() - this.#lastSuccess >= this.#cooldownMs)) {
      await this.#refresh(); // key rotation: one refetch, shared
      found = this.#select(alg, kid);
    }
    return found;
  }

  #select(alg: Algorithm, kid: string | undefined): Lookup {
    const candidates = kid === undefined ? (this.#keys ?? []) : this.#byKid.get(kid);
    if (!candidates) return { problem: 'unknown-kid' };
    const fitting = candidates.filter((k) => fits(k, alg));
    const [only] = fitting;
    if (only && fitting.length === 1) {
      const found = { key: only.key };
      this.#found.set(kid === undefined ? alg : `${alg}\u0000${kid}`, found);
      return found;
    }
    if (fitting.length > 1) return { problem: 'ambiguous' };
    return { problem: kid === undefined ? 'no-key' : 'wrong-key' };
  }

  /** A background refresh of an old set, at most once per cooldown; failures keep the old keys. */
  #refreshIfOld(): void {
    const now = this.#now();
    if (now - this.#lastSuccess < this.#maxAgeMs || now - this.#lastBackground < this.#cooldownMs) return;
    this.#lastBackground = now;
    this.#refresh().catch(() => {});
  }

  /** One fetch at a time: concurrent callers share the promise in flight. */
  #refresh(): Promise<void> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetch(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    let keys: StoredKey[] | undefined;
    try {
      keys = parseKeys(await Promise.race([this.#fetchKeys(), deadline]));
      if (!keys) throw new Error('the response is not a JWKS');
    } catch (error) {
      // Logged for operators; the client only ever sees the 503. Old keys stay in place.
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      this.#log(`koa-app: JWKS fetch failed: ${reason}`);
      throw temporarilyUnavailable(RETRY_AFTER_SECONDS);
    } finally {
      clearTimeout(timer);
    }
    const byKid = new Map<string, StoredKey[]>();
    for (const k of keys) if (k.kid !== undefined) byKid.set(k.kid, [...(byKid.get(k.kid) ?? []), k]);
    // Replaced whole, never merged: retired keys go, and nothing grows per request.
    this.#keys = keys;
    this.#byKid = byKid;
    this.#found = new Map();
    this.#lastSuccess = this.#now();
  }
}

/** The one JWKS client of the process: jwks-rsa as a plain fetcher, caches off. */
export function createKeyStore(jwksUri: string): KeyStore {
  const timeoutMs = 5000;
  const client = jwksRsa({ jwksUri, cache: false, rateLimit: false, timeout: timeoutMs });
  return new KeyStore({ fetchKeys: () => client.getKeys(), timeoutMs });
}
