import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { JwtVerifier } from '../src/auth';
import { AuthError } from '../src/errors';
import { KeyStore, type SigningKeySource } from '../src/jwks';
import { VerifiedCache } from '../src/verified-cache';

/** A controllable wall clock, in milliseconds. */
function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('VerifiedCache', () => {
  it('returns frozen claims until the token exp, not a moment after', () => {
    const c = clock();
    const cache = new VerifiedCache({ now: c.now });
    const exp = c.t / 1000 + 10; // 10 s left: exp comes before the 60 s bound
    cache.set('t1', { sub: 'a', exp, nested: { roles: ['x'] } });
    const hit = cache.get('t1');
    expect(hit).toMatchObject({ sub: 'a', exp });
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen((hit as { nested: { roles: string[] } }).nested.roles)).toBe(true);
    c.t += 9_999;
    expect(cache.get('t1')).toBeDefined();
    c.t += 1;
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.size).toBe(0); // dropped when met
  });

  it('drops an entry 60 s after insertion when exp is later', () => {
    const c = clock();
    const cache = new VerifiedCache({ now: c.now });
    cache.set('t1', { exp: c.t / 1000 + 3600 });
    c.t += 59_999;
    expect(cache.get('t1')).toBeDefined();
    c.t += 1;
    expect(cache.get('t1')).toBeUndefined();
  });

  it('does not store a token that is already past exp (accepted only within the clock tolerance)', () => {
    const c = clock();
    const cache = new VerifiedCache({ now: c.now });
    cache.set('t1', { exp: c.t / 1000 - 2 });
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entries beyond the entry cap', () => {
    const cache = new VerifiedCache({ maxEntries: 3 });
    const exp = Date.now() / 1000 + 600;
    for (const t of ['a', 'b', 'c', 'd']) cache.set(t, { exp, t });
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toMatchObject({ t: 'b' });
    expect(cache.get('d')).toMatchObject({ t: 'd' });
  });

  it('evicts the oldest entries beyond the token-text cap', () => {
    const cache = new VerifiedCache({ maxChars: 10 });
    const exp = Date.now() / 1000 + 600;
    cache.set('aaaa', { exp });
    cache.set('bbbb', { exp });
    cache.set('cccc', { exp }); // 12 chars > 10: 'aaaa' goes
    expect(cache.get('aaaa')).toBeUndefined();
    expect(cache.get('bbbb')).toBeDefined();
    expect(cache.get('cccc')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('has the contract defaults: 10,000 entries', () => {
    const cache = new VerifiedCache();
    const exp = Date.now() / 1000 + 600;
    for (let i = 0; i < 10_001; i++) cache.set(`t${i}`, { exp });
    expect(cache.size).toBe(10_000);
    expect(cache.get('t0')).toBeUndefined();
  });
});

describe('the verifier with the cache', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const source: SigningKeySource = {
    getSigningKeys: async () => [{ kid: 'k1', alg: 'RS256', getPublicKey: () => pem }],
  } as unknown as SigningKeySource;
  const issuer = 'https://issuer.example/__zuplo/issuer';
  const config = { issuer, audiences: undefined, algorithms: ['RS256' as const], clockTolerance: 5 };
  const sign = (claims: Record<string, unknown>) =>
    jwt.sign({ iss: issuer, exp: Math.floor(Date.now() / 1000) + 600, ...claims }, privateKey, {
      algorithm: 'RS256',
      keyid: 'k1',
    });

  /** A real key store, with every key lookup counted. */
  function countingStore() {
    const store = new KeyStore(source);
    const uses = { n: 0 };
    const counted = {
      keyFor: (...a: Parameters<KeyStore['keyFor']>) => {
        uses.n++;
        return store.keyFor(...a);
      },
    } as unknown as KeyStore;
    return { counted, uses };
  }

  it('answers a repeated token without the key store, with the same frozen claims', async () => {
    const { counted, uses } = countingStore();
    const verifier = new JwtVerifier(config, counted);
    const token = sign({ sub: 'a', scope: 'read' });
    const first = await verifier.verify(`Bearer ${token}`);
    expect(uses.n).toBe(1);
    const second = await verifier.verify(`Bearer ${token}`);
    expect(uses.n).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it('never caches a failure: a bad token goes through the checks every time', async () => {
    const { counted, uses } = countingStore();
    const cache = new VerifiedCache();
    const verifier = new JwtVerifier(config, counted, cache);
    const token = sign({ iss: 'https://someone-else.example' });
    for (let i = 0; i < 2; i++) {
      await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthError);
    }
    expect(uses.n).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('still refuses an over-long token before the cache', async () => {
    const verifier = new JwtVerifier(config, countingStore().counted);
    await expect(verifier.verify(`Bearer ${'a'.repeat(8193)}`)).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });
});
