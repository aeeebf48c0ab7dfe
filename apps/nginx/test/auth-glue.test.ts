// njs/auth.js with a stand-in for nginx's request object: which cache locations it asks, in
// which order, and what it leaves for @jwt_error. Node's WebCrypto does the verifying.
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auth from '../njs/auth.js';
import expires from '../njs/expires.js';

const ISSUER = 'https://issuer.example/__zuplo/issuer';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function token(kid: string, claims: object = {}) {
  const input = `${b64u(JSON.stringify({ alg: 'ES256', kid }))}.${b64u(
    JSON.stringify({ iss: ISSUER, sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60, ...claims }),
  )}`;
  return `${input}.${b64u(sign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}

interface Reply {
  status: number;
  headersOut: Record<string, string>;
  responseText: string;
}
const keySet = (fetchedAt: number, keys: object[] = [jwk]): Reply => ({
  status: 200,
  headersOut: { 'X-Jwks-Fetched-At': String(fetchedAt) },
  responseText: JSON.stringify({ keys }),
});
const failed: Reply = { status: 502, headersOut: {}, responseText: '' };

/** A request object with just what auth.js uses; `answers` maps "uri?args" to replies. */
function request(authorization: string, answers: Record<string, Reply>, scope = '') {
  const asked: string[] = [];
  const r = {
    headersIn: { Authorization: authorization, 'X-JWT-Required-Scope': scope },
    headersOut: {} as Record<string, string>,
    variables: { jwt_required_scope: scope } as Record<string, string>,
    status: 0,
    body: '',
    log() {},
    async subrequest(uri: string, options: { args: string }) {
      const key = options.args ? `${uri}?${options.args}` : uri;
      asked.push(key);
      return answers[key] ?? failed;
    },
    return(status: number, body?: string) {
      r.status = status;
      r.body = body ?? '';
    },
  };
  return { r, asked };
}

beforeAll(() => {
  Object.assign(globalThis, {
    jwt_config: {
      issuer: ISSUER,
      audiences: null,
      algorithms: ['ES256'],
      clockTolerance: 5,
      jwksMaxAge: 600,
    },
  });
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'jwt_config');
});

describe('verify(): the verifier behind the token cache', () => {
  it('answers 200 with the claims for the upstream, cacheable for at most 60 s', async () => {
    const { r, asked } = request(`Bearer ${token('k1', { exp: Math.floor(Date.now() / 1000) + 3600 })}`, {
      '/_jwt/jwks': keySet(Date.now()),
    });
    await auth.verify(r);
    expect(r.status).toBe(200);
    expect(asked).toEqual(['/_jwt/jwks']);
    expect(JSON.parse(Buffer.from(r.headersOut['X-JWT-Claims'] ?? '', 'base64url').toString())).toMatchObject(
      {
        sub: 'u1',
      },
    );
    expect(r.headersOut['X-JWT-Sub']).toBe('u1');
    expect(r.headersOut['X-Accel-Expires']).toBe('60');
    expect(r.headersOut['X-JWT-Error']).toBeUndefined();
  });

  it('caches a success no longer than the token lives', async () => {
    const exp = Math.floor(Date.now() / 1000) + 20;
    const { r } = request(`Bearer ${token('k1', { exp })}`, { '/_jwt/jwks': keySet(Date.now()) });
    await auth.verify(r);
    expect(r.status).toBe(200);
    expect(Number(r.headersOut['X-Accel-Expires'])).toBeGreaterThanOrEqual(18);
    expect(Number(r.headersOut['X-Accel-Expires'])).toBeLessThanOrEqual(20);
    expect(auth.cacheSeconds(1000.5, 990, 2000)).toBe(9);
    expect(auth.cacheSeconds(5000, 1000, 2000)).toBe(60);
    // Past exp but inside the clock tolerance: accepted now, never stored.
    expect(auth.cacheSeconds(998, 1000, 2000)).toBe(0);
    expect(auth.cacheSeconds(1000.9, 1000, 2000)).toBe(0);
  });

  it('caches a success no longer than the key set that verified it may be used (JWT_JWKS_MAX_AGE)', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    // Fetched 590 s ago with a max age of 600 s: at most 10 s left.
    const { r } = request(`Bearer ${token('k1', { exp })}`, { '/_jwt/jwks': keySet(Date.now() - 590_000) });
    await auth.verify(r);
    expect(r.status).toBe(200);
    expect(Number(r.headersOut['X-Accel-Expires'])).toBeGreaterThanOrEqual(8);
    expect(Number(r.headersOut['X-Accel-Expires'])).toBeLessThanOrEqual(10);
    // Past its max age (served while the background refetch runs): verified, never stored, so no
    // cached answer outlives the refetch that may retire the key.
    const stale = request(`Bearer ${token('k1', { exp })}`, { '/_jwt/jwks': keySet(Date.now() - 601_000) });
    await auth.verify(stale.r);
    expect(stale.r.status).toBe(200);
    expect(stale.r.headersOut['X-Accel-Expires']).toBe('0');
    expect(auth.cacheSeconds(5000, 1000, 1000.5)).toBe(0);
  });

  it('never lets a failure be cached (X-Accel-Expires: 0)', async () => {
    const { r } = request(`Bearer ${token('k1', { iss: 'https://other.example' })}`, {
      '/_jwt/jwks': keySet(Date.now()),
    });
    await auth.verify(r);
    expect(r.status).toBe(401);
    expect(r.headersOut['X-Accel-Expires']).toBe('0');
    expect(r.headersOut['X-JWT-Error']).toBe('invalid_token');
    expect(r.headersOut['X-JWT-Claims']).toBeUndefined();
  });

  it('keys the token cache by a SHA-256 of the header, never the token itself', () => {
    const header = `Bearer ${token('k1')}`;
    const { r } = request(header, {});
    const key = auth.tokenKey(r);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(header).not.toContain(key);
    expect(auth.tokenKey(request(`${header}x`, {}).r)).not.toBe(key);
  });

  it('does not refetch for an unknown kid during the cooldown', async () => {
    const { r, asked } = request(`Bearer ${token('k2')}`, { '/_jwt/jwks': keySet(Date.now() - 29_000) });
    await auth.verify(r);
    expect(r.status).toBe(401);
    expect(r.headersOut['X-JWT-Error']).toBe('invalid_token');
    expect(asked).toEqual(['/_jwt/jwks']);
  });

  it('after the cooldown, refetches once through next:<fetched-at>, then promotes it', async () => {
    const old = Date.now() - 31_000;
    const rotated = { ...jwk, kid: 'k2' };
    const { r, asked } = request(`Bearer ${token('k2')}`, {
      '/_jwt/jwks': keySet(old, []),
      [`/_jwt/jwks/next?after=${old}`]: keySet(Date.now(), [rotated]),
    });
    await auth.verify(r);
    expect(r.status).toBe(200);
    expect(asked).toEqual(['/_jwt/jwks', `/_jwt/jwks/next?after=${old}`, `/_jwt/jwks?promote=${old}`]);
  });

  it('a refetch that fails for a needed key is 503 material, not 401', async () => {
    const old = Date.now() - 31_000;
    const { r } = request(`Bearer ${token('k2')}`, { '/_jwt/jwks': keySet(old) });
    await auth.verify(r);
    expect(r.status).toBe(401);
    expect(r.headersOut['X-JWT-Error']).toBe('temporarily_unavailable');
  });

  it('no key set at all: temporarily_unavailable; a bad token never asks for keys', async () => {
    const cold = request(`Bearer ${token('k1')}`, {});
    await auth.verify(cold.r);
    expect(cold.r.headersOut['X-JWT-Error']).toBe('temporarily_unavailable');
    const bad = request('Bearer not.a.jwt', {});
    await auth.verify(bad.r);
    expect(bad.r.headersOut['X-JWT-Error']).toBe('invalid_token');
    expect(bad.asked).toEqual([]);
  });

  it('403 for a missing scope', async () => {
    const { r } = request(
      `Bearer ${token('k1', { scope: 'read' })}`,
      { '/_jwt/jwks': keySet(Date.now()) },
      'admin',
    );
    await auth.verify(r);
    expect(r.status).toBe(403);
    expect(r.headersOut['X-JWT-Error']).toBe('insufficient_scope');
  });

  it('counts a stamp from the future as cooled down (a clock set back cannot block refetches)', () => {
    expect(auth.cooledDown({ fetchedAt: Date.now() + 60_000 })).toBe(true);
    expect(auth.cooledDown({ fetchedAt: Date.now() - 1000 })).toBe(false);
  });
});

describe('error(): @jwt_error', () => {
  it('answers what verify() left, with the RFC 6750 challenge', () => {
    const { r } = request('', {}, 'admin');
    r.variables.jwt_error = 'temporarily_unavailable';
    auth.error(r);
    expect(r.status).toBe(503);
    expect(r.headersOut['Retry-After']).toBe('5');
    expect(r.headersOut['WWW-Authenticate']).toBeUndefined();
    expect(JSON.parse(r.body).error).toBe('temporarily_unavailable');
  });
});

describe('secondsUntil(): an nginx cache entry gone by a given time', () => {
  // nginx keeps an entry stored at second s with X-Accel-Expires N until second s + N + 1 begins.
  it.each([
    [102.3, 100.3, 1],
    [102.0, 100.85, 1],
    [102.0, 100.9, 0],
    [101.5, 100.1, 0],
    [100.5, 100.95, 0],
    [1060.0, 1000.0, 59],
  ])('until %d, now %d: %d', (until, now, n) => {
    expect(expires.secondsUntil(until, now)).toBe(n);
    if (n > 0) expect(Math.floor(now + 0.1) + n + 1).toBeLessThanOrEqual(until);
  });
});
