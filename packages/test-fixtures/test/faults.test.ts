import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockIssuer, requestToken, SLOW_MS } from '../src/index.ts';

let issuer: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256'] });
});
afterAll(() => issuer.close());

const fetchJwks = () => fetch(issuer.jwksUri, { signal: AbortSignal.timeout(2000) });

describe('rotation', () => {
  it('publishes a new key and retires the old one', async () => {
    const old = issuer.key('ES256');
    const next = await issuer.publish('ES256');
    issuer.retire(old.kid);
    const kids = ((await (await fetchJwks()).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(kids).toEqual([next.kid]);
  });
});

describe('faults', () => {
  it('counts JWKS requests at both JWKS paths', async () => {
    const before = issuer.jwksRequests;
    await fetchJwks();
    await fetch(issuer.altJwksUri);
    expect(issuer.jwksRequests).toBe(before + 2);
  });

  it('answers 500, garbage and a non-JWKS, then recovers', async () => {
    await issuer.fault('error');
    expect((await fetchJwks()).status).toBe(500);
    await issuer.fault('garbage');
    await expect((await fetchJwks()).json()).rejects.toThrow();
    await issuer.fault('not-a-jwks');
    expect(await (await fetchJwks()).json()).toMatchObject({ keys: 'none' });
    await issuer.fault(null);
    expect((await fetchJwks()).status).toBe(200);
  });

  it('refuses connections, then listens again on the same port', async () => {
    await issuer.fault('refuse');
    await fetchJwks().catch(() => undefined); // a pooled keep-alive socket fails first
    await expect(fetchJwks()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await issuer.fault(null);
    expect((await fetchJwks()).status).toBe(200);
  });

  it('answers slower than the app timeout, until the fault is cleared', async () => {
    expect(SLOW_MS).toBeGreaterThan(5000);
    await issuer.fault('slow');
    await expect(fetchJwks()).rejects.toMatchObject({ name: 'TimeoutError' });
    const pending = fetch(issuer.jwksUri);
    await issuer.fault(null);
    expect((await pending).status).toBe(200);
  });
});

describe('the mint endpoint', () => {
  it('mints with the requested claims', async () => {
    const token = await requestToken(issuer.origin, { alg: 'ES256', scope: 'read admin', aud: 'api', exp: 60 });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ iss: issuer.url, scope: 'read admin', aud: 'api' });
  });

  it('refuses an algorithm it has no key for', async () => {
    await expect(requestToken(issuer.origin, { alg: 'RS256' })).rejects.toThrow('no RS256 key');
  });
});
