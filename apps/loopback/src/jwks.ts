import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import type { Algorithm } from './config';
import { AuthError } from './errors';

/** What the keystore needs from a fetcher: jwks-rsa's `getSigningKeys()`. */
export interface SigningKeySource {
  getSigningKeys(): Promise<Array<{ kid?: string; alg?: string; getPublicKey(): string }>>;
}

interface CachedKey {
  /** The JWK's `alg`, when it names one (RFC 7517 §4.4). */
  alg: string | undefined;
  key: KeyObject;
}

export const FETCH_TIMEOUT_MS = 5_000;
export const REFETCH_COOLDOWN_MS = 30_000;

/**
 * jwks-rsa as a plain fetcher: its own cache and rate limiter are off because they cannot give
 * the semantics below (a failed fetch must not drop keys or start a cooldown). Its `timeout` is
 * a socket idle timeout; KeyStore adds an overall deadline on top.
 */
export function jwksRsaSource(jwksUri: string): SigningKeySource {
  return new JwksClient({ jwksUri, cache: false, rateLimit: false, timeout: FETCH_TIMEOUT_MS });
}

/** One KeyObject per key per fetch, never re-parsed per request; a key that will not parse is skipped. */
function toEntry(signingKey: { alg?: string; getPublicKey(): string }): CachedKey | undefined {
  try {
    return { alg: signingKey.alg, key: createPublicKey(signingKey.getPublicKey()) };
  } catch {
    return undefined;
  }
}

/** Does the key suit the algorithm (RFC 7518 §3.3-3.5: RSA for RS/PS, the matching curve for ES)? */
function fits(entry: CachedKey, alg: Algorithm): boolean {
  if (entry.alg !== undefined && entry.alg !== alg) return false;
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = entry.key;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return type === 'rsa';
  if (alg === 'ES256') return type === 'ec' && details?.namedCurve === 'prime256v1';
  if (alg === 'ES384') return type === 'ec' && details?.namedCurve === 'secp384r1';
  return false;
}

/**
 * The process's ONE view of the JWKS. Fetched on first need; concurrent requests share one
 * in-flight fetch; an unknown kid refetches at most once per cooldown, counted from the last
 * SUCCESSFUL fetch; a failed fetch keeps what is cached. Memory is bounded by the JWKS itself:
 * the map is replaced on each successful fetch and nothing is stored per request or per kid.
 */
export class KeyStore {
  /** kid -> keys (a list, so a JWKS repeating a kid stays unambiguous per alg). */
  #byKid = new Map<string, CachedKey[]>();
  #all: CachedKey[] = [];
  #lastSuccess: number | undefined;
  #inFlight: Promise<boolean> | undefined;

  constructor(
    private readonly source: SigningKeySource,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The key to verify a token with `alg` and optional `kid`; throws AuthError invalid_token
   * when no key fits, or temporarily_unavailable when one is needed and the JWKS is out of reach.
   */
  async keyFor(alg: Algorithm, kid: string | undefined): Promise<KeyObject> {
    if (this.#lastSuccess === undefined && !(await this.refresh())) throw AuthError.unavailable();
    let found = this.#find(alg, kid);
    if (found === 'none' && this.#mayRefetch()) {
      // Key rotation (RFC 7517 §5): the issuer may have published a key we have not seen.
      if (!(await this.refresh())) throw AuthError.unavailable();
      found = this.#find(alg, kid);
    }
    if (found === 'none') throw AuthError.invalidToken('The token is signed with an unknown key.');
    if (found === 'ambiguous') throw AuthError.invalidToken('The token does not say which key signed it.');
    if (found === 'mismatch') throw AuthError.invalidToken('The signing key is not for this algorithm.');
    return found;
  }

  #find(alg: Algorithm, kid: string | undefined): KeyObject | 'none' | 'ambiguous' | 'mismatch' {
    const candidates = kid === undefined ? this.#all : this.#byKid.get(kid);
    if (!candidates?.length) return 'none';
    const fitting = candidates.filter((entry) => fits(entry, alg));
    // RFC 7515 §4.1.4: without a kid the key must still be unambiguous.
    if (fitting.length > 1) return 'ambiguous';
    if (fitting[0]) return fitting[0].key;
    return kid === undefined ? 'none' : 'mismatch';
  }

  #mayRefetch(): boolean {
    return this.#lastSuccess === undefined || this.now() - this.#lastSuccess >= REFETCH_COOLDOWN_MS;
  }

  /** Fetches the JWKS (one fetch at a time, shared); resolves false when the fetch failed. */
  refresh(): Promise<boolean> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('JWKS fetch timed out')), FETCH_TIMEOUT_MS);
    });
    try {
      const keys = await Promise.race([this.source.getSigningKeys(), deadline]);
      const all: CachedKey[] = [];
      const byKid = new Map<string, CachedKey[]>();
      for (const signingKey of keys) {
        const entry = toEntry(signingKey);
        if (!entry) continue;
        all.push(entry);
        if (typeof signingKey.kid === 'string')
          byKid.set(signingKey.kid, [...(byKid.get(signingKey.kid) ?? []), entry]);
      }
      this.#all = all;
      this.#byKid = byKid;
      this.#lastSuccess = this.now();
      return true;
    } catch (error) {
      // Unreachable, error status, not JSON, not a JWKS, no usable key, timeout: keep the old keys.
      const why = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : 'unknown error';
      console.warn(`JWKS fetch failed (${why}); keeping ${this.#all.length} cached key(s)`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
