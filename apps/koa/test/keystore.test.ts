import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.ts';
import { KeyStore, parseKeys } from '../src/keystore.ts';

const rsa = (bits = 2048) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
const ec = (namedCurve: string) =>
  generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'jwk' });
const RSA_A = rsa();
const RSA_B = rsa();
const P256 = ec('P-256');

const jwk = (base: JsonWebKey, extra: Record<string, unknown>) => ({ ...base, ...extra });

/** A store over a scripted fetcher and a hand-driven clock. */
function harness(initial: unknown[] | (() => Promise<unknown>)) {
  let clock = 1_000_000;
  let next: () => Promise<unknown> = typeof initial === 'function' ? initial : async () => initial;
  const logs: string[] = [];
  let fetches = 0;
  const store = new KeyStore({
    fetchKeys: () => {
      fetches++;
      return next();
    },
    timeoutMs: 50,
    now: () => clock,
    log: (line) => logs.push(line),
  });
  return {
    store,
    logs,
    fetches: () => fetches,
    serve: (value: unknown[] | (() => Promise<unknown>)) => {
      next = typeof value === 'function' ? value : async () => value;
    },
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    (value) =>
      value && typeof value === 'object' && 'key' in value ? 'key' : (value as { problem: string }).problem,
    (error: unknown) => (error instanceof ApiError ? error.code : 'other'),
  );

describe('parseKeys', () => {
  it('keeps signing keys only, of a kind the algorithms can use', () => {
    const keys = parseKeys([
      jwk(RSA_A, { kid: 'sig', use: 'sig' }),
      jwk(RSA_A, { kid: 'no-use' }),
      jwk(RSA_A, { kid: 'enc', use: 'enc' }),
      { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
      jwk(RSA_A, { kid: 'bad-alg', alg: 256 }),
      { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'broken' },
      'not an object',
      null,
    ]);
    expect(keys?.map((k) => k.kid)).toEqual(['sig', 'no-use']);
  });

  it('is undefined for something that is not a key list', () => {
    expect(parseKeys('none')).toBeUndefined();
    expect(parseKeys(undefined)).toBeUndefined();
    expect(parseKeys({ keys: [] })).toBeUndefined();
  });
});

describe('KeyStore', () => {
  it('finds a key by kid, and refuses a key whose alg or type does not fit', async () => {
    const h = harness([
      jwk(RSA_A, { kid: 'a', alg: 'RS256' }),
      jwk(P256, { kid: 'e' }),
      jwk(rsa(1024), { kid: 'small' }),
    ]);
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key');
    expect(await codeOf(h.store.find('PS256', 'a'))).toBe('wrong-key'); // JWK alg pins RS256
    expect(await codeOf(h.store.find('ES256', 'e'))).toBe('key');
    expect(await codeOf(h.store.find('ES384', 'e'))).toBe('wrong-key'); // wrong curve
    expect(await codeOf(h.store.find('RS256', 'e'))).toBe('wrong-key');
    expect(await codeOf(h.store.find('RS256', 'small'))).toBe('wrong-key'); // RFC 7518 §3.3
    expect(h.fetches()).toBe(1);
  });

  it('without kid, takes the one key that fits, and refuses when several do', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' }), jwk(RSA_B, { kid: 'b' }), jwk(P256, { kid: 'e' })]);
    expect(await codeOf(h.store.find('ES256', undefined))).toBe('key');
    expect(await codeOf(h.store.find('RS256', undefined))).toBe('ambiguous');
  });

  it('does not confuse kids with Object.prototype names', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    for (const kid of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect(await codeOf(h.store.find('RS256', kid))).toBe('unknown-kid');
    }
  });

  it('shares one fetch among concurrent cold requests', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    const results = await Promise.all(Array.from({ length: 20 }, () => codeOf(h.store.find('RS256', 'a'))));
    expect(results.every((r) => r === 'key')).toBe(true);
    expect(h.fetches()).toBe(1);
  });

  it('refetches for an unknown kid at most once per 30 s from the last successful fetch', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key');
    h.serve([jwk(RSA_A, { kid: 'a' }), jwk(RSA_B, { kid: 'b' })]);
    h.advance(29_000);
    expect(await codeOf(h.store.find('RS256', 'b'))).toBe('unknown-kid'); // cooling down
    expect(h.fetches()).toBe(1);
    h.advance(1_000);
    expect(await codeOf(h.store.find('RS256', 'b'))).toBe('key'); // rotation picked up
    expect(await codeOf(h.store.find('RS256', 'zzz'))).toBe('unknown-kid');
    expect(h.fetches()).toBe(2);
  });

  it('keeps the old keys when a refetch fails, and answers 503 for the key it could not get', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    await h.store.find('RS256', 'a');
    h.advance(31_000);
    h.serve(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await codeOf(h.store.find('RS256', 'new'))).toBe('temporarily_unavailable');
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key');
    // a failed fetch starts no cooldown: the next unknown kid tries again
    expect(await codeOf(h.store.find('RS256', 'new'))).toBe('temporarily_unavailable');
    expect(h.fetches()).toBe(3);
    h.serve(async () => ({ keys: 'none' }));
    expect(await codeOf(h.store.find('RS256', 'new'))).toBe('temporarily_unavailable');
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key');
    expect(h.logs.length).toBe(3);
  });

  it('answers 503 on a cold cache when the fetch fails or hangs past the timeout', async () => {
    const h = harness(() => new Promise(() => {}));
    const t0 = Date.now();
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('temporarily_unavailable');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(h.logs[0]).toMatch(/timed out/);
    h.serve([jwk(RSA_A, { kid: 'a' })]);
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key');
  });

  it('replaces the key set on refetch: retired keys go', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    await h.store.find('RS256', 'a');
    h.serve([jwk(RSA_B, { kid: 'b' })]);
    h.advance(30_000);
    expect(await codeOf(h.store.find('RS256', 'b'))).toBe('key');
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('unknown-kid');
  });

  it('refreshes an old key set in the background without making the request wait', async () => {
    const h = harness([jwk(RSA_A, { kid: 'a' })]);
    await h.store.find('RS256', 'a');
    h.advance(600_000);
    let release: (value: unknown) => void = () => {};
    h.serve(() => new Promise((resolve) => (release = resolve)));
    expect(await codeOf(h.store.find('RS256', 'a'))).toBe('key'); // answered from the cache
    expect(h.fetches()).toBe(2);
    release([jwk(RSA_B, { kid: 'b' })]);
    await new Promise((r) => setTimeout(r, 10));
    expect(await codeOf(h.store.find('RS256', 'b'))).toBe('key');
    expect(h.fetches()).toBe(2);
  });
});
