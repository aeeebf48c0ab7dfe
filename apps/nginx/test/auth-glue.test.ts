// njs/auth.js with a stand-in for nginx's request object: which cache locations it asks, in
// which order, and what it leaves for @jwt_error. Node's WebCrypto does the verifying.
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import auth from '../njs/auth.js';

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
    headersIn: { Authorization: authorization },
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
    jwt_config: { issuer: ISSUER, audiences: null, algorithms: ['ES256'], clockTolerance: 5 },
  });
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'jwt_config');
});

describe('verify(): the auth_request handler', () => {
  it('answers 204 and hands the claims to the upstream headers', async () => {
    const { r, asked } = request(`Bearer ${token('k1')}`, { '/_jwt/jwks': keySet(Date.now()) });
    await auth.verify(r);
    expect(r.status).toBe(204);
    expect(asked).toEqual(['/_jwt/jwks']);
    expect(JSON.parse(Buffer.from(r.variables.jwt_claims ?? '', 'base64url').toString())).toMatchObject({
      sub: 'u1',
    });
    expect(r.variables.jwt_sub).toBe('u1');
  });

  it('does not refetch for an unknown kid during the cooldown', async () => {
    const { r, asked } = request(`Bearer ${token('k2')}`, { '/_jwt/jwks': keySet(Date.now() - 29_000) });
    await auth.verify(r);
    expect(r.status).toBe(401);
    expect(r.variables.jwt_error).toBe('invalid_token');
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
    expect(r.status).toBe(204);
    expect(asked).toEqual(['/_jwt/jwks', `/_jwt/jwks/next?after=${old}`, `/_jwt/jwks?promote=${old}`]);
  });

  it('a refetch that fails for a needed key is 503 material, not 401', async () => {
    const old = Date.now() - 31_000;
    const { r } = request(`Bearer ${token('k2')}`, { '/_jwt/jwks': keySet(old) });
    await auth.verify(r);
    expect(r.status).toBe(401);
    expect(r.variables.jwt_error).toBe('temporarily_unavailable');
  });

  it('no key set at all: temporarily_unavailable; a bad token never asks for keys', async () => {
    const cold = request(`Bearer ${token('k1')}`, {});
    await auth.verify(cold.r);
    expect(cold.r.variables.jwt_error).toBe('temporarily_unavailable');
    const bad = request('Bearer not.a.jwt', {});
    await auth.verify(bad.r);
    expect(bad.r.variables.jwt_error).toBe('invalid_token');
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
    expect(r.variables.jwt_error).toBe('insufficient_scope');
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
    expect(r.headersOut['Retry-After']).toMatch(/^\d+$/);
    expect(r.headersOut['WWW-Authenticate']).toBeUndefined();
    expect(JSON.parse(r.body).error).toBe('temporarily_unavailable');
  });
});
