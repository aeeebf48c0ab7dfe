import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, extractToken, hasScope, type Verifier } from '../server/utils/auth';
import { KeyStore } from '../server/utils/keystore';
import { outcome, testConfig } from './support';

let issuer: MockIssuer;
let verifier: Verifier;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  issuer = await MockIssuer.start();
  await issuer.publish('RS256', 'second-rs256');
  verifier = createVerifier(
    testConfig(issuer.url, issuer.jwksUri, { audiences: ['api://one', 'api://two'] }),
  );
});
afterAll(() => issuer.close());

// verify() may throw synchronously (before any await) or reject: outcome() sees both.
const check = (header: string | undefined) => outcome(Promise.resolve().then(() => verifier.verify(header)));
const bearer = (claims: Record<string, unknown> = {}, options: Parameters<MockIssuer['mint']>[1] = {}) =>
  `Bearer ${issuer.mint({ aud: 'api://one', ...claims }, options)}`;

describe('extractToken (RFC 6750 §2.1)', () => {
  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearerx abc', 'Token abc'])(
    '%j is missing_token',
    (header) =>
      expect(() => extractToken(header)).toThrow(expect.objectContaining({ code: 'missing_token' })),
  );
  it.each(['Bearer  abc', 'Bearer abc extra', `Bearer ${'a'.repeat(8193)}`, 'Bearer a"b'])(
    '%j is invalid_token',
    (header) =>
      expect(() => extractToken(header)).toThrow(expect.objectContaining({ code: 'invalid_token' })),
  );
  it('accepts the scheme in any case', () => {
    expect(extractToken('bEaReR abc.def.ghi')).toBe('abc.def.ghi');
  });
});

describe('verify', () => {
  it('returns every claim of a valid token, for each algorithm', async () => {
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const) {
      const claims = await verifier.verify(bearer({ tenant: 'acme' }, { alg }));
      expect(claims).toMatchObject({ iss: issuer.url, sub: 'user-123', tenant: 'acme' });
    }
  });

  it.each([
    ['a wrong issuer', { iss: 'https://elsewhere.example' }],
    ['no exp', { exp: undefined }],
    ['a string exp', { exp: String(now() + 60) }],
    ['an expired exp', { exp: now() - 60 }],
    ['a future nbf', { nbf: now() + 60 }],
    ['a wrong audience', { aud: 'api://three' }],
    ['no audience', { aud: undefined }],
    ['a string iat', { iat: 'yesterday' }],
    ['a string nbf', { nbf: String(now()) }],
    ['an audience array without ours', { aud: ['api://three', 'x'] }],
  ])('refuses %s', async (_, claims) => {
    expect(await check(bearer(claims))).toBe('invalid_token');
  });

  it('allows the clock tolerance on exp and nbf, and an audience array', async () => {
    expect(await check(bearer({ exp: now() - 2, nbf: now() + 2 }))).toBe('ok');
    expect(await check(bearer({ aud: ['api://zero', 'api://two'] }))).toBe('ok');
  });

  it.each([
    ['alg none', { alg: 'none', unsigned: true }],
    ['HS256 signed with the public key', { alg: 'HS256', signWith: 'secret' }],
    ['an algorithm not configured', { alg: 'RS512' }],
    ['a crit header', { header: { crit: ['exp'], exp: 1 } }],
    ['a numeric kid', { kid: 7 as unknown as string }],
    ['no kid when two RS256 keys fit', { kid: null }],
    ['an unknown kid', { kid: 'nobody' }],
    ['a header that is not JSON', { headerJson: 'not json' }],
    ['a payload that is an array', { payloadJson: '[1]' }],
  ] as const)('refuses %s', async (_, options) => {
    expect(await check(bearer({}, options as Parameters<MockIssuer['mint']>[1]))).toBe('invalid_token');
  });

  it('refuses a signature made with a key that is not in the JWKS', async () => {
    const foreign = await issuer.foreignKey('ES256');
    expect(await check(bearer({}, { alg: 'ES256', key: foreign, kid: issuer.key('ES256').kid }))).toBe(
      'invalid_token',
    );
  });

  it('refuses a token with a kid but signed for another algorithm family', async () => {
    expect(await check(bearer({}, { alg: 'PS256', key: issuer.key('RS256') }))).toBe('invalid_token');
  });
});

describe('the verified-token cache', () => {
  const fresh = () => {
    const config = testConfig(issuer.url, issuer.jwksUri, { audiences: ['api://one'] });
    const keys = new KeyStore(config.jwksUri);
    return { keys, verifier: createVerifier(config, keys) };
  };
  const settle = (run: () => unknown) => outcome(Promise.resolve().then(run));

  it('answers a repeated token with the same frozen claims without touching the key store', async () => {
    const { keys, verifier: cached } = fresh();
    const header = bearer({ scope: 'read' }, { alg: 'ES256' });
    const first = await cached.verify(header);
    const lookup = vi.spyOn(keys, 'cached');
    const keyFor = vi.spyOn(keys, 'keyFor');
    const again = cached.verify(header);
    expect(again).toBe(first); // no promise: the claims themselves
    expect(Object.isFrozen(again)).toBe(true);
    expect(lookup).not.toHaveBeenCalled();
    expect(keyFor).not.toHaveBeenCalled();
    // The Bearer parse still runs first: the cached token under another scheme is refused.
    expect(await settle(() => cached.verify(header.replace('Bearer', 'Basic')))).toBe('missing_token');
  });

  it('never caches a failure: the same token is checked again', async () => {
    const { keys, verifier: cached } = fresh();
    const header = bearer({}, { alg: 'ES256' });
    await issuer.fault('error');
    expect(await settle(() => cached.verify(header))).toBe('temporarily_unavailable');
    await issuer.fault(null);
    expect(await settle(() => cached.verify(header))).toBe('ok');
    const wrongAud = bearer({ aud: 'api://three' }, { alg: 'ES256' });
    const lookup = vi.spyOn(keys, 'cached');
    expect(await settle(() => cached.verify(wrongAud))).toBe('invalid_token');
    expect(await settle(() => cached.verify(wrongAud))).toBe('invalid_token');
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});

describe('hasScope (RFC 6749 §3.3)', () => {
  it('needs an exact item of a space-separated string', () => {
    expect(hasScope({ scope: 'read admin' }, 'admin')).toBe(true);
    expect(hasScope({ scope: 'administrator ADMIN' }, 'admin')).toBe(false);
    expect(hasScope({ scope: ['admin'] }, 'admin')).toBe(false);
    expect(hasScope({}, 'admin')).toBe(false);
  });
});
