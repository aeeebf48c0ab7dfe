import { KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, hasScope, MAX_TOKEN_LENGTH, type Verify } from '../src/auth.ts';
import { type Alg, loadConfig } from '../src/config.ts';
import { AuthError } from '../src/errors.ts';
import { KeyStore } from '../src/keystore.ts';
import { JwksServer, makeKey, type TestKey, unsigned } from './support/jwks-server.ts';

const ALL: Alg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
let jwks: JwksServer;
let keys: Record<Alg, TestKey>;
let second: TestKey;
let verify: Verify;

/** The error code `verify` throws for `header` (or 'ok'). */
async function outcome(header: string | undefined): Promise<string> {
  try {
    await verify(header);
    return 'ok';
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
}
const bearer = (token: string) => `Bearer ${token}`;

beforeAll(async () => {
  keys = Object.fromEntries(
    await Promise.all(ALL.map(async (a) => [a, await makeKey(a, `k-${a}`)])),
  ) as typeof keys;
  second = await makeKey('RS256', 'k-RS256-second');
  jwks = await JwksServer.start([...Object.values(keys), second]);
});
afterAll(() => jwks.close());
beforeEach(() => {
  jwks.mode = 'ok';
  jwks.requests = 0;
  const env = { JWT_ISSUER: jwks.issuer, JWT_ALGORITHMS: ALL.join(','), JWT_AUDIENCE: 'api://a, api://b' };
  const config = loadConfig(env);
  verify = createVerifier(
    config,
    new KeyStore({ uri: config.jwksUri, algorithms: config.algorithms, log: () => {} }),
  );
});

describe('the Authorization header (RFC 6750 §2.1)', () => {
  it.each([undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearerx abc.def.ghi', 'Token abc'])(
    '%j is missing_token',
    async (header) => expect(await outcome(header)).toBe('missing_token'),
  );
  it('takes the scheme case-insensitively', async () => {
    const token = await jwks.sign(keys.RS256, { aud: 'api://a' });
    for (const scheme of ['bearer', 'BEARER', 'bEaReR'])
      expect(await outcome(`${scheme} ${token}`)).toBe('ok');
  });
  it('refuses two spaces and trailing words as invalid_token', async () => {
    const token = await jwks.sign(keys.RS256, { aud: 'api://a' });
    expect(await outcome(`Bearer  ${token}`)).toBe('invalid_token');
    expect(await outcome(`Bearer ${token} extra`)).toBe('invalid_token');
  });
});

describe('structure, before any key is fetched', () => {
  it.each([
    ['too long', 'a'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['two segments', 'abc.def'],
    ['padding', `${unsigned({ alg: 'RS256' }, { exp: 1 })}=`],
    ['non-canonical base64url', unsigned({ alg: 'RS256' }, { exp: 1 }, 'AB')],
    ['header not JSON', unsigned('not json', {})],
    ['header an array', unsigned([1], {})],
    ['payload a string', unsigned({ alg: 'RS256' }, '"x"')],
    ['alg none', unsigned({ alg: 'none' }, {})],
    ['alg HS256', unsigned({ alg: 'HS256' }, {})],
    ['alg missing', unsigned({ kid: 'k-RS256' }, {})],
    ['crit', unsigned({ alg: 'RS256', kid: 'k-RS256', crit: ['exp'], exp: 1 }, {})],
    ['numeric kid', unsigned({ alg: 'RS256', kid: 7 }, {})],
  ])('%s is invalid_token', async (_what, token) => {
    expect(await outcome(bearer(token))).toBe('invalid_token');
    expect(jwks.requests).toBe(0);
  });
});

describe('keys', () => {
  it.each(ALL)('verifies %s', async (alg) => {
    const claims = await verify(bearer(await jwks.sign(keys[alg], { aud: 'api://b', tenant: 'acme' })));
    expect(claims).toMatchObject({ sub: 'user-1', tenant: 'acme', aud: 'api://b' });
  });
  it('takes a token without kid when exactly one key fits its alg', async () => {
    expect(await outcome(bearer(await jwks.sign(keys.ES256, { aud: 'api://a' }, { kid: undefined })))).toBe(
      'ok',
    );
  });
  it('refuses a token without kid when two keys fit (two RS256 keys)', async () => {
    expect(await outcome(bearer(await jwks.sign(keys.RS256, { aud: 'api://a' }, { kid: undefined })))).toBe(
      'invalid_token',
    );
  });
  it('refuses a known kid whose key is for another alg, without a refetch', async () => {
    // RS384 in the header, signed RS384 with the RS256 key's private half, under its kid.
    const exp = Math.floor(Date.now() / 1000) + 60;
    const head = unsigned({ alg: 'RS384', kid: 'k-RS256' }, { iss: jwks.issuer, aud: 'api://a', exp }, '');
    const signature = sign('sha384', Buffer.from(head.slice(0, -1)), KeyObject.from(keys.RS256.privateKey));
    const token = `${head}${signature.toString('base64url')}`;
    expect(await outcome(bearer(token))).toBe('invalid_token');
    expect(await outcome(bearer(token))).toBe('invalid_token');
    expect(jwks.requests).toBe(1);
  });
  it('refuses a signature by a key that is not in the JWKS', async () => {
    const foreign = await makeKey('RS256', 'k-RS256');
    expect(await outcome(bearer(await jwks.sign(foreign, { aud: 'api://a' })))).toBe('invalid_token');
  });
  it('answers 503 temporarily_unavailable when the key is needed and the JWKS is down', async () => {
    jwks.mode = 'error';
    const token = await jwks.sign(keys.RS256, { aud: 'api://a' });
    const error = await Promise.resolve()
      .then(() => verify(bearer(token)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 503, code: 'temporarily_unavailable' });
    expect((error as AuthError).headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('claims (RFC 7519 §4.1)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['wrong iss', () => ({ iss: 'https://elsewhere.example' })],
    ['iss with a trailing slash', () => ({ iss: `${jwks.issuer}/` })],
    ['expired', () => ({ exp: now() - 60 })],
    ['exp missing', () => ({ exp: undefined })],
    ['exp a string', () => ({ exp: String(now() + 60) })],
    ['nbf in the future', () => ({ nbf: now() + 60 })],
    ['aud not configured', () => ({ aud: 'api://c' })],
    ['aud missing', () => ({ aud: undefined })],
    ['aud an array without ours', () => ({ aud: ['api://c', 'x'] })],
    ['iss missing', () => ({ iss: undefined })],
    ['iat a string', () => ({ iat: String(now()) })],
    ['nbf a string', () => ({ nbf: String(now()) })],
  ])('%s is invalid_token', async (_what, claims) => {
    const token = await jwks.sign(keys.ES256, { aud: 'api://a', ...claims() });
    expect(await outcome(bearer(token))).toBe('invalid_token');
  });
  it('accepts exp and nbf within the default 5 s tolerance, and aud as an array', async () => {
    const token = await jwks.sign(keys.ES256, { exp: now() - 2, nbf: now() + 2, aud: ['x', 'api://b'] });
    expect(await outcome(bearer(token))).toBe('ok');
  });
  it('refuses an exp that JSON turns into Infinity', async () => {
    const token = await jwks.sign(keys.ES256, { aud: 'api://a' });
    const [h, , s] = token.split('.');
    const payload = Buffer.from(`{"iss":"${jwks.issuer}","aud":"api://a","exp":1e999}`).toString('base64url');
    expect(await outcome(bearer(`${h}.${payload}.${s}`))).toBe('invalid_token');
  });
});

describe('the verified-token cache', () => {
  const fresh = () => {
    const config = loadConfig({
      JWT_ISSUER: jwks.issuer,
      JWT_ALGORITHMS: 'ES256,RS256',
      JWT_AUDIENCE: 'api://a',
    });
    const store = new KeyStore({ uri: config.jwksUri, algorithms: config.algorithms, log: () => {} });
    return { store, verify: createVerifier(config, store) };
  };
  it('answers a repeated token with the same frozen claims without touching the key store', async () => {
    const { store, verify: cachedVerify } = fresh();
    const token = await jwks.sign(keys.ES256, { aud: 'api://a', scope: 'read' });
    const first = await cachedVerify(bearer(token));
    const cached = vi.spyOn(store, 'cached');
    const resolve = vi.spyOn(store, 'resolve');
    const again = cachedVerify(bearer(token));
    expect(again).toBe(first); // no promise: the claims themselves
    expect(Object.isFrozen(again)).toBe(true);
    expect(cached).not.toHaveBeenCalled();
    expect(resolve).not.toHaveBeenCalled();
    // The Bearer parse still runs first: a cached token under another scheme is still refused.
    expect(() => cachedVerify(`Basic ${token}`)).toThrow(expect.objectContaining({ code: 'missing_token' }));
  });
  it('never caches a failure: the same token is checked again', async () => {
    const { store, verify: cachedVerify } = fresh();
    const token = await jwks.sign(keys.RS256, { aud: 'api://a' });
    jwks.mode = 'error';
    const down = await Promise.resolve()
      .then(() => cachedVerify(bearer(token)))
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'temporarily_unavailable' });
    jwks.mode = 'ok';
    const resolve = vi.spyOn(store, 'resolve');
    expect(await cachedVerify(bearer(token))).toMatchObject({ aud: 'api://a' });
    expect(resolve).toHaveBeenCalledTimes(1);
    const wrongAud = await jwks.sign(keys.RS256, { aud: 'api://c' });
    const cached = vi.spyOn(store, 'cached');
    for (let i = 0; i < 2; i++) {
      const error = await Promise.resolve()
        .then(() => cachedVerify(bearer(wrongAud)))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_token' });
    }
    expect(cached).toHaveBeenCalledTimes(2);
  });
});

describe('hasScope (RFC 6749 §3.3)', () => {
  it.each([
    ['read admin', true],
    ['admin', true],
    ['administrator', false],
    ['ADMIN', false],
    [['admin'], false],
    [undefined, false],
  ])('%j -> %s', (scope, expected) => expect(hasScope({ scope }, 'admin')).toBe(expected));
});
