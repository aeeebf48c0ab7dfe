// The key set's life in nginx: the max age and its background refetch, failed fetches of every
// kind, the 5 s backoff, the trickling JWKS, key_ops. The conformance suite checks most of these
// over HTTP; these tests also read nginx's log and the origin's side (how often, when).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Fault, MockIssuer } from '@repo/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, startApp } from './helpers/app.ts';
import { Origin } from './helpers/origin.ts';

let issuer: MockIssuer | undefined;
let app: App | undefined;
let origin: Origin | undefined;
afterEach(async () => {
  await app?.stop();
  await issuer?.close();
  await origin?.close();
  app = issuer = origin = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ issuer: MockIssuer; app: App }> {
  issuer = await MockIssuer.start({ algorithms: ['ES256', 'EdDSA'] });
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
    // Cached from its second verification in a worker: five requests, at most four workers.
    for (let i = 0; i < 5; i++) expect(await status(app, old)).toBe(200);
    issuer.retire(issuer.key('EdDSA').kid);
    await issuer.publish('EdDSA');
    const fresh = issuer.mint();
    await sleep(2500);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push(await status(app, old));
      await sleep(200);
    }
    expect(seen.at(-1)).toBe(401);
    expect(seen.slice(seen.indexOf(401))).not.toContain(200);
    expect(await status(app, fresh)).toBe(200);
  });

  it('serves the cached set at once while the refetch hangs, and keeps it through the outage', async () => {
    const { issuer, app } = await start({ JWT_JWKS_MAX_AGE: '1' });
    const token = issuer.mint();
    expect(await status(app, token)).toBe(200);
    await issuer.fault('slow');
    await sleep(1500);
    for (let i = 0; i < 8; i++) {
      const t0 = Date.now();
      expect(await status(app, token)).toBe(200);
      expect(Date.now() - t0).toBeLessThan(1000);
      await sleep(250);
    }
  });
});

describe('a failed fetch never replaces the cached set, and is followed by a 5 s backoff', () => {
  it.each<[Fault, RegExp]>([
    ['error', /HTTP 500/],
    ['redirect', /HTTP 302/],
    ['huge', /more than 524288 bytes/],
    ['huge-chunked', /more than 524288 bytes/],
    ['garbage', /not a JWK Set/],
  ])('%s', async (fault, logged) => {
    const { issuer, app } = await start({ JWT_JWKS_MAX_AGE: '1' });
    const token = issuer.mint();
    expect(await status(app, token)).toBe(200);
    await issuer.fault(fault);
    const before = issuer.jwksRequestTimes.length;
    const until = Date.now() + 7000;
    while (Date.now() < until) {
      expect(await status(app, token)).toBe(200);
      await sleep(100);
    }
    const attempts = issuer.jwksRequestTimes.slice(before);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < attempts.length; i++)
      expect((attempts[i] as number) - (attempts[i - 1] as number)).toBeGreaterThanOrEqual(5000);
    expect(issuer.redirectTargetRequests).toBe(0);
    expect(app.output()).toMatch(logged);
  });

  it('cold: 503 with Retry-After: 5, at most one fetch per 5 s, and the keys work once the issuer is back', async () => {
    issuer = await MockIssuer.start({ algorithms: ['ES256'] });
    await issuer.fault('error');
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
    expect(issuer.jwksRequestTimes.length).toBeLessThanOrEqual(2);
    await issuer.fault(null);
    await sleep(5000);
    expect(await status(app, token)).toBe(200);
  });
});

it('a JWKS that trickles after its headers: 20 unknown kids, one fetch, all answered 503 by about 5 s', async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256'] });
  origin = await Origin.start(() => JSON.stringify(issuer?.jwks()));
  origin.trickleMs = 200; // a byte every 200 ms: the whole set would take minutes
  app = await startApp({ JWT_ISSUER: issuer.url, JWT_JWKS_URI: origin.url });
  const t0 = Date.now();
  const tokens = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => issuer?.mint({}, { alg: 'ES256', kid: `unknown-${i}` }) ?? ''),
  );
  const answers = await Promise.all(
    tokens.map(async (token) => {
      const res = await fetch(`${app?.url}/protected`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - t0 };
    }),
  );
  for (const { status: code, ms } of answers) {
    expect(code).toBe(503);
    expect(ms).toBeGreaterThanOrEqual(4500);
    expect(ms).toBeLessThan(7000);
  }
  expect(origin.times).toHaveLength(1);
});

describe('key_ops (RFC 7517 §4.3): when present, an array of distinct operations holding "verify"', () => {
  it.each([
    ['"verify" as a string', 'verify', 401],
    ['an object', {}, 401],
    ['a repeated operation', ['verify', 'verify'], 401],
    ['no verify', ['sign'], 401],
    ['["verify"]', ['verify'], 200],
  ])('%s', async (_, keyOps, expected) => {
    issuer = await MockIssuer.start({ algorithms: ['ES256'] });
    origin = await Origin.start(() =>
      JSON.stringify({ keys: issuer?.jwks().keys.map((jwk) => ({ ...jwk, key_ops: keyOps })) }),
    );
    app = await startApp({ JWT_ISSUER: issuer.url, JWT_JWKS_URI: origin.url });
    expect(await status(app, issuer.mint({}, { alg: 'ES256' }))).toBe(expected);
  });
});

it('an RSA key whose DER needs a three-byte length (n of 70,000 bytes) is refused: 401, never 500', async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256'] });
  const n = Buffer.alloc(70_000, 0xab).toString('base64url');
  origin = await Origin.start(() => JSON.stringify({ keys: issuer?.jwks().keys.map((jwk) => ({ ...jwk, n })) }));
  app = await startApp({ JWT_ISSUER: issuer.url, JWT_JWKS_URI: origin.url });
  expect(await status(app, issuer.mint({}, { alg: 'RS256' }))).toBe(401);
});
