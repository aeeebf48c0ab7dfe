import {
  type Answer,
  generateSigningKey,
  MockIssuer,
  paddedJwks,
  type SigningKey,
} from '@repo/test-fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../src/config.ts';
import type { AuthError } from '../src/errors.ts';
import { BACKOFF_MS, COOLDOWN_MS, MAX_JWKS_BYTES } from '../src/jwks.ts';
import { type Claims, createVerifier, type Verifier } from '../src/verifier.ts';

/** JWKS answers the mock issuer has no name for. */
const status =
  (code: number): Answer =>
  (res) =>
    res.writeHead(code).end('{}');
const body =
  (text: string | Buffer): Answer =>
  (res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);

let issuer: MockIssuer;
let key: SigningKey;
let logged: string[];

function start(env: Record<string, string> = {}): Verifier {
  const config = readConfig({ JWT_ISSUER: issuer.url, ...env });
  return createVerifier(config, { log: (line) => logged.push(line) });
}

/** Settles to the claims or the AuthError's code. */
const outcome = (v: Verifier, token: string, context?: Parameters<Verifier['verify']>[1]) =>
  v.verify(`Bearer ${token}`, context).then(
    (claims: Claims) => claims.sub,
    (error: AuthError) => error.code,
  );

/** Advances the clock the key set reads (performance.now) and nothing else. */
const later = (ms: number) => vi.advanceTimersByTime(ms);

beforeEach(async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256'] });
  key = issuer.key('ES256');
  logged = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await issuer.close();
});

describe('fetching the key set', () => {
  it('shares one fetch among concurrent requests, then serves from the cache', async () => {
    const v = start();
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => issuer.mint({ sub: `s${i}` })));
    const subs = await Promise.all(tokens.map((t) => outcome(v, t)));
    expect(subs).toEqual(tokens.map((_, i) => `s${i}`));
    expect(await outcome(v, issuer.mint({ sub: 'again' }))).toBe('again');
    expect(issuer.jwksRequests).toBe(1);
  });

  it('a set fetched for a token is not old for it: max age 0, one fetch, then the next request refetches', async () => {
    const v = start({ JWT_JWKS_MAX_AGE: '0' });
    const token = issuer.mint();
    expect(await outcome(v, token)).toBe('user-123');
    await new Promise((resolve) => setTimeout(resolve, 50)); // room for a refetch that should not be
    expect(issuer.jwksRequests).toBe(1);
    const handed: Promise<unknown>[] = [];
    expect(await outcome(v, token, { waitUntil: (p) => void handed.push(p) })).toBe('user-123');
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(issuer.jwksRequests).toBe(2);
  });

  it('does not fetch for a token that fails before a key is needed', async () => {
    const v = start({ JWT_ALGORITHMS: 'RS256' });
    expect(await outcome(v, issuer.mint())).toBe('invalid_token');
    expect(await outcome(v, 'a.b.c')).toBe('invalid_token');
    expect(issuer.jwksRequests).toBe(0);
  });

  it.each([
    ['HTTP 500', 'error' as const],
    ['HTTP 404', status(404)],
    ['not JSON', 'garbage' as const],
    ['JSON, not a JWK Set', 'not-a-jwks' as const],
    ['keys not objects', body('{"keys":[1]}')],
    ['an array', body('[]')],
    ['not UTF-8', body('\u{ff}')],
  ])('a JWKS answering %s is a failed fetch: 503 with Retry-After 5', async (_, fault) => {
    await issuer.fault(fault);
    const error = await start()
      .verify(`Bearer ${issuer.mint()}`)
      .catch((e: AuthError) => e);
    expect(error).toMatchObject({
      status: 503,
      code: 'temporarily_unavailable',
      headers: { 'retry-after': '5' },
    });
    expect(logged).toHaveLength(1);
    // Nothing was cached yet: the line says what follows (503s), not that cached keys serve.
    expect(logged[0]).toMatch(
      /^JWKS fetch from .* failed \(.+\); no keys yet: tokens get 503 until one succeeds\.$/,
    );
  });

  it('never follows a redirect, and the target is never contacted', async () => {
    await issuer.fault('redirect');
    expect(await outcome(start(), issuer.mint())).toBe('temporarily_unavailable');
    expect([issuer.jwksRequests, issuer.redirectTargetRequests]).toEqual([1, 0]);
  });

  it(`abandons a body past ${MAX_JWKS_BYTES} bytes; a set just under it is fine`, async () => {
    await issuer.fault(body(paddedJwks([key.jwk], MAX_JWKS_BYTES)));
    expect(await outcome(start(), issuer.mint())).toBe('user-123');
    await issuer.fault((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"keys":[${JSON.stringify(key.jwk)}],"pad":"`);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 16; i++) res.write(chunk); // 1 MiB, never ended: only the cap can stop the read
    });
    const t0 = performance.now();
    expect(await outcome(start(), issuer.mint())).toBe('temporarily_unavailable');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(logged.at(-1)).toMatch(/more than 524288 bytes/);
  });

  it('times out after 5 s; requests whose key is cached answer meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['performance'] }); // the 5 s timeout itself runs on real time
    const v = start();
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    const rotated = issuer.add(await generateSigningKey('ES256'));
    later(COOLDOWN_MS);
    await issuer.fault('slow');
    const t0 = Date.now();
    const hung = outcome(v, issuer.mint({}, { key: rotated }));
    expect(await outcome(v, issuer.mint({ sub: 'cached' }))).toBe('cached');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await hung).toBe('temporarily_unavailable');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
    expect(Date.now() - t0).toBeLessThan(7000);
    expect(logged.at(-1)).toMatch(/timeout/);
  }, 10_000);
});

describe('after a failed fetch', () => {
  it(`waits ${BACKOFF_MS} ms before the next attempt, answering 503 at once meanwhile`, async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    await issuer.fault('error');
    const token = issuer.mint();
    expect(await outcome(v, token)).toBe('temporarily_unavailable');
    for (let i = 0; i < 20; i++) expect(await outcome(v, token)).toBe('temporarily_unavailable');
    later(BACKOFF_MS - 1);
    expect(await outcome(v, token)).toBe('temporarily_unavailable');
    expect(issuer.jwksRequests).toBe(1);
    await issuer.fault(null);
    later(1);
    expect(await outcome(v, token)).toBe('user-123');
    expect(issuer.jwksRequests).toBe(2);
  });

  it('keeps the cached set through an outage of any kind, past the max age too', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '60' });
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    for (const fault of ['error' as const, 'garbage' as const, body('{"keys":[]}x'), status(302)]) {
      await issuer.fault(fault);
      later(61_000);
      const before = issuer.jwksRequests;
      expect(await outcome(v, issuer.mint({ sub: 'still' }))).toBe('still'); // starts the refetch
      await vi.waitFor(() => expect(logged).toHaveLength(before));
      expect(logged.at(-1)).toMatch(/; cached keys stay in use\.$/);
      expect(await outcome(v, issuer.mint({ sub: 'after' }))).toBe('after');
      expect(issuer.jwksRequests).toBe(before + 1);
    }
  });
});

describe('unknown kids and rotation', () => {
  it(`refetches once for an unknown kid, then not again for ${COOLDOWN_MS} ms`, async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    later(COOLDOWN_MS);
    const stranger = await generateSigningKey('ES256');
    const unknown = await Promise.all(Array.from({ length: 20 }, () => issuer.mint({}, { key: stranger })));
    expect(await Promise.all(unknown.map((t) => outcome(v, t)))).toEqual(unknown.map(() => 'invalid_token'));
    expect(issuer.jwksRequests).toBe(2);
    later(COOLDOWN_MS - 1);
    expect(await outcome(v, issuer.mint({}, { key: stranger }))).toBe('invalid_token');
    expect(issuer.jwksRequests).toBe(2);
    issuer.add(stranger); // the rotation lands: found at the next refetch
    later(1);
    expect(await outcome(v, issuer.mint({ sub: 'rotated' }, { key: stranger }))).toBe('rotated');
    expect(issuer.jwksRequests).toBe(3);
  });

  it('no fetch for an unlisted issuer with keys in hand: not for its unknown kid, nor past the max age', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '60' });
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    later(61_000); // past the cooldown and the max age: a token of ours would fetch now
    const stranger = await generateSigningKey('ES256');
    const iss = 'https://stranger.example';
    for (const token of [issuer.mint({ iss }, { key: stranger }), issuer.mint({ iss })]) {
      const answer = await v.verify(`Bearer ${token}`).then(
        () => 'verified',
        (error: AuthError) => error.body.message,
      );
      expect(answer).toBe('The token issuer is not accepted.');
    }
    expect(issuer.jwksRequests).toBe(1);
  });

  it('no refetch for a known kid whose key does not fit, nor for a kid that is not a string', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    later(COOLDOWN_MS);
    const es384 = await generateSigningKey('ES384');
    expect(await outcome(v, issuer.mint({}, { key: es384, kid: key.kid }))).toBe('invalid_token');
    expect(await outcome(v, issuer.mint({}, { header: { kid: 7 } }))).toBe('invalid_token');
    expect(issuer.jwksRequests).toBe(1);
  });

  it('an unknown kid during an outage is a 503 (the key may exist), and cached keys still work', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    later(COOLDOWN_MS);
    await issuer.fault('garbage');
    const rotated = await generateSigningKey('ES256');
    expect(await outcome(v, issuer.mint({}, { key: rotated }))).toBe('temporarily_unavailable');
    expect(await outcome(v, issuer.mint({ sub: 'cached' }))).toBe('cached');
  });
});

describe('max age', () => {
  it('serves from the cache and refetches in the background; a retired key stops working when it lands', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '2' });
    const old = issuer.mint({ sub: 'old' });
    expect(await outcome(v, old)).toBe('old');
    expect(await outcome(v, old)).toBe('old'); // now in the verified-token cache
    const successor = await generateSigningKey('ES256');
    issuer.retire(key.kid);
    issuer.add(successor);
    later(1999);
    expect(await outcome(v, old)).toBe('old');
    expect(issuer.jwksRequests).toBe(1);
    later(1);
    const waited: Promise<unknown>[] = [];
    expect(await outcome(v, old, { waitUntil: (p) => waited.push(p) })).toBe('old'); // from the cache
    expect(waited).toHaveLength(1);
    expect(await outcome(v, old)).toBe('old'); // the refetch is in flight: not a second one
    await waited[0];
    expect(issuer.jwksRequests).toBe(2);
    expect(await outcome(v, old)).toBe('invalid_token'); // the cached verification went with the key
    expect(await outcome(v, issuer.mint({ sub: 'new' }, { key: successor }))).toBe('new');
  });

  it('keeps the verified-token cache when a refetch brings the same keys', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '1' });
    const token = issuer.mint();
    await v.verify(`Bearer ${token}`);
    const first = await v.verify(`Bearer ${token}`); // cached from its second verification on
    later(1000);
    const waited: Promise<unknown>[] = [];
    await v.verify(`Bearer ${token}`, { waitUntil: (p) => waited.push(p) });
    await waited[0];
    expect(issuer.jwksRequests).toBe(2);
    expect(await v.verify(`Bearer ${token}`)).toBe(first);
  });

  it('a background refetch that fails leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '1' });
    expect(await outcome(v, issuer.mint())).toBe('user-123');
    await issuer.fault(status(503));
    later(1000);
    expect(await outcome(v, issuer.mint({ sub: 'x' }))).toBe('x');
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
  });
});

describe('retiring a key', () => {
  it('a verification in flight when a refetch retires its key is not cached', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const config = readConfig({
      JWT_ISSUER: issuer.url,
      JWT_JWKS_URI: issuer.jwksUri,
      JWT_JWKS_MAX_AGE: '1',
    });
    // An answer with no network in between: the refetch lands while the signature is checked.
    const jwks = async () => Response.json({ keys: issuer.keys.map((k) => k.jwk) });
    const v = createVerifier(config, { fetch: jwks, log: (line) => logged.push(line) });
    const cached = issuer.mint({ sub: 'cached' });
    const token = issuer.mint({ sub: 'in-flight' }, { key });
    // `cached` twice, so it is in the cache; `token` once, so its next verification would cache it.
    for (const each of [cached, cached, token]) await outcome(v, each);
    issuer.retire(key.kid); // the issuer retires `key`
    issuer.add(await generateSigningKey('ES256'));
    later(1000);
    let settled = false;
    const inFlight = outcome(v, token).finally(() => {
      settled = true;
    });
    const waited: Promise<unknown>[] = [];
    await outcome(v, cached, { waitUntil: (p) => waited.push(p) }); // from the cache: starts the refetch
    await waited[0];
    expect(settled).toBe(false); // the refetch landed while the signature was being checked
    expect(await inFlight).toBe('in-flight');
    expect(await outcome(v, token)).toBe('invalid_token');
  });
});
