// The key set's life in nginx (contract v2): the max age and its background refetch, failed
// fetches of every kind, the 5 s backoff, and the one log line for a JWKS with no usable key.
// The conformance suite checks these over HTTP too; these tests also read nginx's log and the
// issuer's side (when it was asked, whether a redirect target was contacted).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, startApp } from './helpers/app.ts';
import { type Mode, TestIssuer } from './helpers/issuer.ts';

let issuer: TestIssuer | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  await issuer?.close();
  app = undefined;
  issuer = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ issuer: TestIssuer; app: App }> {
  issuer = await TestIssuer.start();
  app = await startApp({ JWT_ISSUER: issuer.url, ...env });
  return { issuer, app };
}

async function status(target: App, token: string): Promise<number> {
  const res = await fetch(`${target.url}/protected`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

describe('JWT_JWKS_MAX_AGE', () => {
  it('refetches in the background once the max age has passed; a retired key stops working, even for a token cached before', async () => {
    const { issuer, app } = await start({ JWT_JWKS_MAX_AGE: '2' });
    const old = issuer.mint();
    // Verified, then answered from the verified-token cache (stored on its second use).
    for (let i = 0; i < 3; i++) expect(await status(app, old)).toBe(200);
    issuer.rotate();
    const fresh = issuer.mint();
    await sleep(2500);
    // Past the max age: the first request is served from the cached set, and starts the refetch.
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push(await status(app, old));
      await sleep(200);
    }
    expect(seen.at(-1)).toBe(401);
    // Once refused, never accepted again: no cached answer outlives the refetch.
    expect(seen.slice(seen.indexOf(401))).not.toContain(200);
    expect(await status(app, fresh)).toBe(200);
  });

  it('serves the cached set at once while the refetch hangs, and keeps it through the outage', async () => {
    const { issuer, app } = await start({ JWT_JWKS_MAX_AGE: '1' });
    const token = issuer.mint();
    expect(await status(app, token)).toBe(200);
    issuer.mode = 'hang';
    await sleep(1500);
    for (let i = 0; i < 8; i++) {
      const t0 = Date.now();
      expect(await status(app, token)).toBe(200);
      // The 5 s fetch timeout never reaches a client.
      expect(Date.now() - t0).toBeLessThan(1000);
      await sleep(250);
    }
  });
});

describe('a failed fetch never replaces the cached set, and is followed by a 5 s backoff', () => {
  it.each<[Mode, RegExp]>([
    ['error', /HTTP 500/],
    ['redirect', /HTTP 302 \(redirects are not followed\)/],
    ['huge', /larger than 512 KiB/],
    ['garbage', /not a JWK Set/],
  ])('%s', async (mode, logged) => {
    const { issuer, app } = await start({ JWT_JWKS_MAX_AGE: '1' });
    const token = issuer.mint();
    expect(await status(app, token)).toBe(200);
    issuer.mode = mode;
    const before = issuer.fetches.length;
    const until = Date.now() + 7000;
    while (Date.now() < until) {
      expect(await status(app, token)).toBe(200);
      await sleep(100);
    }
    const attempts = issuer.fetches.slice(before);
    // About one attempt per 5 s, however many requests: never two within 5 s.
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < attempts.length; i++)
      expect((attempts[i] as number) - (attempts[i - 1] as number)).toBeGreaterThanOrEqual(5000);
    expect(issuer.redirectHits).toEqual([]);
    expect(app.output()).toMatch(logged);
  });

  it('cold: 503 with Retry-After: 5, at most one fetch per 5 s, and the keys work once the issuer is back', async () => {
    issuer = await TestIssuer.start();
    issuer.mode = 'error';
    app = await startApp({ JWT_ISSUER: issuer.url });
    const token = issuer.mint({}, { alg: 'ES256' });
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      const res = await fetch(`${app.url}/protected`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { error: string }).error).toBe('temporarily_unavailable');
      await sleep(100);
    }
    expect(issuer.fetches.length).toBeLessThanOrEqual(2);
    issuer.mode = 'keys';
    await sleep(5000);
    expect(await status(app, token)).toBe(200);
  });
});

it('logs one line, not one per request, when the JWKS holds only keys it cannot use (Ed25519)', async () => {
  issuer = await TestIssuer.start();
  issuer.mode = 'ed25519';
  app = await startApp({ JWT_ISSUER: issuer.url });
  for (let i = 0; i < 5; i++) expect(await status(app, issuer.mint())).toBe(401);
  const lines = app
    .output()
    .split('\n')
    .filter((line) => line.includes('holds no key this app can use'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/no Ed25519.*sign with RS256 or ES256.*`algorithm` option/);
});
