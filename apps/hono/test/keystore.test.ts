import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alg } from '../src/config.ts';
import { AuthError } from '../src/errors.ts';
import { KeyStore } from '../src/keystore.ts';
import { JwksServer, makeKey, type TestKey } from './support/jwks-server.ts';

let jwks: JwksServer;
let rs: TestKey;

function store(options: { cooldownMs?: number; timeoutMs?: number; algorithms?: Alg[] } = {}) {
  return new KeyStore({ uri: jwks.jwksUri, algorithms: ['RS256', 'ES256'], log: () => {}, ...options });
}
/** The error code `resolve` throws, or 'key'. */
const outcome = (keys: KeyStore, alg: Alg, kid: string | undefined) =>
  keys.resolve(alg, kid).then(
    () => 'key',
    (e: unknown) => (e instanceof AuthError ? e.code : String(e)),
  );

beforeEach(async () => {
  rs = await makeKey('RS256', 'rs-1');
  jwks = await JwksServer.start([rs]);
});
afterEach(() => jwks.close());

describe('KeyStore', () => {
  it('shares one fetch between concurrent first requests, and imports each key once per fetch', async () => {
    const keys = store();
    const found = await Promise.all(Array.from({ length: 20 }, () => keys.resolve('RS256', 'rs-1')));
    expect(jwks.requests).toBe(1);
    // The same CryptoKey object every time: nothing is imported per request.
    expect(new Set(found).size).toBe(1);
    expect(await keys.resolve('RS256', 'rs-1')).toBe(found[0]);
  });

  it('refetches for an unknown kid at most once per cooldown, counted from the last success', async () => {
    const rotated = await makeKey('RS256', 'rs-2');
    const keys = store({ cooldownMs: 1000 });
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('key');
    jwks.keys.push(rotated);
    // Within the cooldown after the first fetch: unknown, no fetch.
    expect(await outcome(keys, 'RS256', 'rs-2')).toBe('invalid_token');
    expect(jwks.requests).toBe(1);
    await sleep(1050);
    expect(await outcome(keys, 'RS256', 'rs-2')).toBe('key');
    expect(await outcome(keys, 'RS256', 'nope')).toBe('invalid_token');
    expect(jwks.requests).toBe(2);
  });

  it('keeps cached keys through failed refetches, and picks up the new key once the JWKS is back', async () => {
    const keys = store({ cooldownMs: 0 });
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('key');
    jwks.mode = 'error';
    expect(await outcome(keys, 'RS256', 'rs-new')).toBe('temporarily_unavailable');
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('key');
    jwks.mode = 'garbage';
    expect(await outcome(keys, 'RS256', 'rs-new')).toBe('temporarily_unavailable');
    jwks.mode = 'ok';
    jwks.keys.push(await makeKey('RS256', 'rs-new'));
    expect(await outcome(keys, 'RS256', 'rs-new')).toBe('key');
  });

  it('a failed fetch is retried on the next need, even right after', async () => {
    const keys = store();
    jwks.mode = 'error';
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('temporarily_unavailable');
    jwks.mode = 'ok';
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('key');
    expect(jwks.requests).toBe(2);
  });

  it('gives up on a hung JWKS after the timeout', async () => {
    const keys = store({ timeoutMs: 200 });
    jwks.mode = 'slow';
    const t0 = Date.now();
    expect(await outcome(keys, 'RS256', 'rs-1')).toBe('temporarily_unavailable');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('ignores keys whose use is not sig, and private or malformed entries', async () => {
    jwks.raw = [
      { ...rs.jwk, kid: 'enc', use: 'enc' },
      { ...rs.jwk, kid: 'priv', d: 'AAAA' },
      'x',
      { kty: 'RSA', kid: 'bad', n: '!' },
    ];
    const keys = store({ cooldownMs: 60_000 });
    for (const kid of ['enc', 'priv', 'bad']) expect(await outcome(keys, 'RS256', kid)).toBe('invalid_token');
  });

  it('fits a key without alg to every allowed alg of its type, and a named alg to that alg only', async () => {
    const { alg: _drop, ...bare } = rs.jwk;
    jwks.raw = [{ ...bare, kid: 'bare' }, rs.jwk];
    const keys = store({ algorithms: ['RS256', 'PS256', 'ES256'] });
    expect(await outcome(keys, 'PS256', 'bare')).toBe('key');
    expect(await outcome(keys, 'PS256', 'rs-1')).toBe('invalid_token');
    expect(await outcome(keys, 'ES256', 'bare')).toBe('invalid_token');
    // Without kid: two keys fit RS256 (ambiguous), one fits PS256.
    expect(await outcome(keys, 'RS256', undefined)).toBe('invalid_token');
    expect(await outcome(keys, 'PS256', undefined)).toBe('key');
  });

  it('looks kids up in a Map: "__proto__" and "constructor" are just unknown kids', async () => {
    const keys = store({ cooldownMs: 60_000 });
    for (const kid of ['__proto__', 'constructor', 'toString'])
      expect(await outcome(keys, 'RS256', kid)).toBe('invalid_token');
  });
});
