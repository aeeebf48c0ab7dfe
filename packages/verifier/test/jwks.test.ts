import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../src/config.ts';
import type { AuthError } from '../src/errors.ts';
import { BACKOFF_MS, COOLDOWN_MS, MAX_JWKS_BYTES } from '../src/jwks.ts';
import { type Claims, createVerifier, type Verifier } from '../src/verifier.ts';
import { faults, Issuer, type Key, makeKey } from './support/issuer.ts';

let issuer: Issuer;
let key: Key;
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
  key = await makeKey('ES256');
  issuer = await Issuer.start([key]);
  logged = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await issuer.close();
});

describe('fetching the key set', () => {
  it('shares one fetch among concurrent requests, then serves from the cache', async () => {
    const v = start();
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => issuer.mint(key, { sub: `s${i}` })),
    );
    const subs = await Promise.all(tokens.map((t) => outcome(v, t)));
    expect(subs).toEqual(tokens.map((_, i) => `s${i}`));
    expect(await outcome(v, await issuer.mint(key, { sub: 'again' }))).toBe('again');
    expect(issuer.requests).toBe(1);
  });

  it('does not fetch for a token that fails before a key is needed', async () => {
    const v = start({ JWT_ALGORITHMS: 'RS256' });
    expect(await outcome(v, await issuer.mint(key))).toBe('invalid_token');
    expect(await outcome(v, 'a.b.c')).toBe('invalid_token');
    expect(issuer.requests).toBe(0);
  });

  it.each([
    ['HTTP 500', faults.status(500)],
    ['HTTP 404', faults.status(404)],
    ['not JSON', faults.body('<html>')],
    ['JSON, not a JWK Set', faults.body('{"keys":"x"}')],
    ['keys not objects', faults.body('{"keys":[1]}')],
    ['an array', faults.body('[]')],
    ['not UTF-8', faults.body('\u{ff}')],
  ])('a JWKS answering %s is a failed fetch: 503 with Retry-After 5', async (_, fault) => {
    issuer.fault = fault;
    const error = await start()
      .verify(`Bearer ${await issuer.mint(key)}`)
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
    const target = await Issuer.start([key]);
    issuer.fault = faults.redirect(target.jwksUri);
    expect(await outcome(start(), await issuer.mint(key))).toBe('temporarily_unavailable');
    expect([issuer.requests, target.requests]).toEqual([1, 0]);
    await target.close();
  });

  it(`abandons a body past ${MAX_JWKS_BYTES} bytes; a set just under it is fine`, async () => {
    const padded = (bytes: number) => {
      const base = JSON.stringify({ keys: [key.jwk], pad: '' });
      return `${base.slice(0, -2)}${'x'.repeat(bytes - base.length)}"}`;
    };
    issuer.fault = faults.body(padded(MAX_JWKS_BYTES));
    expect(await outcome(start(), await issuer.mint(key))).toBe('user-1');
    issuer.fault = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"keys":[${JSON.stringify(key.jwk)}],"pad":"`);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 16; i++) res.write(chunk); // 1 MiB, never ended: only the cap can stop the read
    };
    const t0 = performance.now();
    expect(await outcome(start(), await issuer.mint(key))).toBe('temporarily_unavailable');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(logged.at(-1)).toMatch(/more than 524288 bytes/);
  });

  it('times out after 5 s; requests whose key is cached answer meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['performance'] }); // the 5 s timeout itself runs on real time
    const v = start();
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    const rotated = await makeKey('ES256');
    issuer.keys = [key, rotated];
    later(COOLDOWN_MS);
    issuer.fault = faults.hang();
    const t0 = Date.now();
    const hung = outcome(v, await issuer.mint(rotated));
    expect(await outcome(v, await issuer.mint(key, { sub: 'cached' }))).toBe('cached');
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
    issuer.fault = faults.status(500);
    const token = await issuer.mint(key);
    expect(await outcome(v, token)).toBe('temporarily_unavailable');
    for (let i = 0; i < 20; i++) expect(await outcome(v, token)).toBe('temporarily_unavailable');
    later(BACKOFF_MS - 1);
    expect(await outcome(v, token)).toBe('temporarily_unavailable');
    expect(issuer.requests).toBe(1);
    issuer.fault = null;
    later(1);
    expect(await outcome(v, token)).toBe('user-1');
    expect(issuer.requests).toBe(2);
  });

  it('keeps the cached set through an outage of any kind, past the max age too', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '60' });
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    for (const fault of [
      faults.status(500),
      faults.body('nope'),
      faults.body('{"keys":[]}x'),
      faults.status(302),
    ]) {
      issuer.fault = fault;
      later(61_000);
      const before = issuer.requests;
      expect(await outcome(v, await issuer.mint(key, { sub: 'still' }))).toBe('still'); // starts the refetch
      await vi.waitFor(() => expect(logged).toHaveLength(before));
      expect(logged.at(-1)).toMatch(/; cached keys stay in use\.$/);
      expect(await outcome(v, await issuer.mint(key, { sub: 'after' }))).toBe('after');
      expect(issuer.requests).toBe(before + 1);
    }
  });
});

describe('unknown kids and rotation', () => {
  it(`refetches once for an unknown kid, then not again for ${COOLDOWN_MS} ms`, async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    later(COOLDOWN_MS);
    const stranger = await makeKey('ES256');
    const unknown = await Promise.all(Array.from({ length: 20 }, () => issuer.mint(stranger)));
    expect(await Promise.all(unknown.map((t) => outcome(v, t)))).toEqual(unknown.map(() => 'invalid_token'));
    expect(issuer.requests).toBe(2);
    later(COOLDOWN_MS - 1);
    expect(await outcome(v, await issuer.mint(stranger))).toBe('invalid_token');
    expect(issuer.requests).toBe(2);
    issuer.keys = [key, stranger]; // the rotation lands: found at the next refetch
    later(1);
    expect(await outcome(v, await issuer.mint(stranger, { sub: 'rotated' }))).toBe('rotated');
    expect(issuer.requests).toBe(3);
  });

  it('no refetch for a known kid whose key does not fit, nor for a kid that is not a string', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    later(COOLDOWN_MS);
    const es384 = await makeKey('ES384');
    expect(await outcome(v, await issuer.mint({ ...es384, kid: key.kid }))).toBe('invalid_token');
    expect(await outcome(v, await issuer.mint(key, {}, { kid: 7 }))).toBe('invalid_token');
    expect(issuer.requests).toBe(1);
  });

  it('an unknown kid during an outage is a 503 (the key may exist), and cached keys still work', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start();
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    later(COOLDOWN_MS);
    issuer.fault = faults.body('garbage');
    const rotated = await makeKey('ES256');
    expect(await outcome(v, await issuer.mint(rotated))).toBe('temporarily_unavailable');
    expect(await outcome(v, await issuer.mint(key, { sub: 'cached' }))).toBe('cached');
  });
});

describe('max age', () => {
  it('serves from the cache and refetches in the background; a retired key stops working when it lands', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '2' });
    const old = await issuer.mint(key, { sub: 'old' });
    expect(await outcome(v, old)).toBe('old');
    expect(await outcome(v, old)).toBe('old'); // now in the verified-token cache
    const successor = await makeKey('ES256');
    issuer.keys = [successor];
    later(1999);
    expect(await outcome(v, old)).toBe('old');
    expect(issuer.requests).toBe(1);
    later(1);
    const waited: Promise<unknown>[] = [];
    expect(await outcome(v, old, { waitUntil: (p) => waited.push(p) })).toBe('old'); // from the cache
    expect(waited).toHaveLength(1);
    expect(await outcome(v, old)).toBe('old'); // the refetch is in flight: not a second one
    await waited[0];
    expect(issuer.requests).toBe(2);
    expect(await outcome(v, old)).toBe('invalid_token'); // the cached verification went with the key
    expect(await outcome(v, await issuer.mint(successor, { sub: 'new' }))).toBe('new');
  });

  it('keeps the verified-token cache when a refetch brings the same keys', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '1' });
    const token = await issuer.mint(key);
    const first = await v.verify(`Bearer ${token}`);
    later(1000);
    const waited: Promise<unknown>[] = [];
    await v.verify(`Bearer ${token}`, { waitUntil: (p) => waited.push(p) });
    await waited[0];
    expect(issuer.requests).toBe(2);
    expect(await v.verify(`Bearer ${token}`)).toBe(first);
  });

  it('a background refetch that fails leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    vi.useFakeTimers({ toFake: ['performance'] });
    const v = start({ JWT_JWKS_MAX_AGE: '1' });
    expect(await outcome(v, await issuer.mint(key))).toBe('user-1');
    issuer.fault = faults.status(503);
    later(1000);
    expect(await outcome(v, await issuer.mint(key, { sub: 'x' }))).toBe('x');
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
  });
});

describe('retiring a key', () => {
  it('a verification in flight when the refetch retires its key is not cached', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const config = readConfig({ JWT_ISSUER: issuer.url, JWT_JWKS_MAX_AGE: '1' });
    // An answer with no network in between: the refetch lands while the signature is checked.
    const jwks = async () => Response.json({ keys: issuer.keys.map((k) => k.jwk) });
    const v = createVerifier(config, { fetch: jwks, log: (line) => logged.push(line) });
    expect(await outcome(v, await issuer.mint(key, { sub: 'before' }))).toBe('before');
    issuer.keys = [await makeKey('ES256')]; // the issuer retires `key`
    later(1000);
    const token = await issuer.mint(key, { sub: 'in-flight' });
    const waited: Promise<unknown>[] = [];
    await outcome(v, token, { waitUntil: (p) => waited.push(p) }); // starts the refetch
    await waited[0];
    expect(await outcome(v, token)).toBe('invalid_token');
  });
});
