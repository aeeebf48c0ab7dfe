import { MockIssuer } from '@repo/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../server/utils/errors';
import { KeyStore } from '../server/utils/keystore';
import { outcome } from './support';

let issuer: MockIssuer;
let clock: number;

function store(options: { timeoutMs?: number } = {}) {
  return new KeyStore(issuer.jwksUri, { now: () => clock, ...options });
}

beforeEach(async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256', 'ES256', 'EdDSA'] });
  clock = 1_000_000;
});
afterEach(() => issuer.close());

describe('KeyStore', () => {
  it('fetches on first need, shares that fetch, and imports each key once per fetch', async () => {
    const keys = store();
    expect(issuer.jwksRequests).toBe(0);
    const kid = issuer.key('RS256').kid;
    const found = await Promise.all(Array.from({ length: 20 }, () => keys.keyFor('RS256', kid)));
    expect(issuer.jwksRequests).toBe(1);
    expect(new Set(found).size).toBe(1);
    expect(await keys.keyFor('RS256', kid)).toBe(found[0]);
    expect(issuer.jwksRequests).toBe(1);
  });

  it('refetches for an unknown kid at most once per 30 s after the last success', async () => {
    const keys = store();
    await keys.keyFor('ES256', issuer.key('ES256').kid);
    const rotated = await issuer.publish('RS256', 'rotated');
    clock += 29_000;
    expect(await outcome(keys.keyFor('RS256', 'rotated'))).toBe('invalid_token');
    expect(issuer.jwksRequests).toBe(1);
    clock += 1_000;
    expect(await outcome(keys.keyFor('RS256', rotated.kid))).toBe('ok');
    expect(await outcome(keys.keyFor('RS256', 'never-published'))).toBe('invalid_token');
    expect(issuer.jwksRequests).toBe(2);
  });

  it('answers 503 with Retry-After when the key is needed and the JWKS cannot be fetched', async () => {
    const keys = store();
    for (const fault of ['error', 'garbage', 'not-a-jwks', 'refuse'] as const) {
      await issuer.fault(fault);
      const error = await keys.keyFor('RS256', issuer.key('RS256').kid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('temporarily_unavailable');
      expect((error as ApiError).headers['retry-after']).toMatch(/^\d+$/);
    }
    // A failed fetch starts no cooldown: the next request tries again and succeeds.
    await issuer.fault(null);
    expect(await outcome(keys.keyFor('RS256', issuer.key('RS256').kid))).toBe('ok');
  });

  it('keeps cached keys through a failed refetch', async () => {
    const keys = store();
    const kid = issuer.key('RS256').kid;
    await keys.keyFor('RS256', kid);
    await issuer.fault('error');
    clock += 60_000;
    expect(await outcome(keys.keyFor('RS256', 'new-kid'))).toBe('temporarily_unavailable');
    expect(await outcome(keys.keyFor('RS256', kid))).toBe('ok');
  });

  it('gives up on a slow JWKS after the timeout', async () => {
    const keys = store({ timeoutMs: 300 });
    await issuer.fault('slow');
    const started = Date.now();
    expect(await outcome(keys.keyFor('RS256', issuer.key('RS256').kid))).toBe('temporarily_unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('chooses a key for a token without kid only when exactly one fits', async () => {
    const keys = store();
    expect(await outcome(keys.keyFor('EdDSA', undefined))).toBe('ok');
    await issuer.publish('EdDSA');
    clock += 30_000;
    await outcome(keys.keyFor('RS256', 'force-refetch'));
    expect(await outcome(keys.keyFor('EdDSA', undefined))).toBe('invalid_token');
  });

  it('refuses a kid whose key is for another algorithm or curve, and ignores non-signing keys', async () => {
    const rs = issuer.key('RS256');
    issuer.add({ ...rs, kid: 'enc-key', jwk: { ...rs.jwk, kid: 'enc-key', use: 'enc' as 'sig' } });
    const keys = store();
    expect(await outcome(keys.keyFor('PS256', rs.kid))).toBe('invalid_token');
    expect(await outcome(keys.keyFor('ES384', issuer.key('ES256').kid))).toBe('invalid_token');
    expect(await outcome(keys.keyFor('RS256', 'enc-key'))).toBe('invalid_token');
  });
});
