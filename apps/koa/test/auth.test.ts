import { MockIssuer, now } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createVerifier, requireScope, type Verifier } from '../src/auth.ts';
import { parseConfig } from '../src/config.ts';
import { ApiError } from '../src/errors.ts';
import { createKeyStore } from '../src/keystore.ts';

let issuer: MockIssuer;
let verifier: Verifier;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256', 'PS256', 'ES256', 'ES384'] });
  await issuer.publish('RS256', 'second-rs256');
  const config = parseConfig({
    JWT_ISSUER: issuer.url,
    JWT_AUDIENCE: 'api://one,api://two',
    JWT_ALGORITHMS: 'RS256,PS256,ES256',
  });
  verifier = createVerifier(config, createKeyStore(config.jwksUri));
});
afterAll(() => issuer.close());

const mint = (claims: Record<string, unknown> = {}, options: Parameters<MockIssuer['mint']>[1] = {}) =>
  issuer.mint({ aud: 'api://one', ...claims }, options);

/** The error code verify() rejects with, or 'ok'. */
async function outcome(authorization: string | undefined): Promise<string> {
  try {
    await verifier.verify(authorization);
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
}

describe('bearerToken', () => {
  it('takes the token after "Bearer " in any case, and nothing else', () => {
    expect(bearerToken('bEaReR abc')).toBe('abc');
    for (const value of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearerx abc', 'Token abc']) {
      expect(() => bearerToken(value), String(value)).toThrow(
        expect.objectContaining({ code: 'missing_token' }),
      );
    }
  });
});

describe('verify', () => {
  it('returns every claim of a valid token', async () => {
    const token = mint({ tenant: 'acme' });
    const claims = await verifier.verify(`Bearer ${token}`);
    expect(claims).toMatchObject({ iss: issuer.url, sub: 'user-123', tenant: 'acme', aud: 'api://one' });
  });

  it.each([
    ['PS256', { alg: 'PS256' }],
    ['ES256', { alg: 'ES256' }],
    ['ES256 without kid (one key fits)', { alg: 'ES256', kid: null }],
    [
      'the second RS256 key by kid',
      {
        kid: 'second-rs256',
        get key() {
          return issuer.keys.find((k) => k.kid === 'second-rs256');
        },
      },
    ],
  ])('accepts %s', async (_label, options) => {
    expect(await outcome(`Bearer ${mint({}, options)}`)).toBe('ok');
  });

  it.each<[string, () => string]>([
    ['two spaces', () => `Bearer  ${mint()}`],
    ['a trailing word', () => `Bearer ${mint()} extra`],
    ['a token over 8192 characters', () => `Bearer ${mint({ pad: 'x'.repeat(8200) })}`],
    ['two segments', () => `Bearer ${mint().split('.').slice(0, 2).join('.')}`],
    ['an empty signature', () => `Bearer ${mint().split('.').slice(0, 2).join('.')}.`],
    ['a header that is an array', () => `Bearer ${mint({}, { headerJson: '["RS256"]' })}`],
    ['a payload that is a number', () => `Bearer ${mint({}, { payloadJson: '42' })}`],
    ['alg none', () => `Bearer ${mint({}, { alg: 'none', unsigned: true })}`],
    [
      'HS256 with the public key as secret',
      () =>
        `Bearer ${mint({}, { alg: 'HS256', signWith: issuer.key('RS256').publicKey.export({ format: 'pem', type: 'spki' }) })}`,
    ],
    ['an algorithm not configured (ES384)', () => `Bearer ${mint({}, { alg: 'ES384' })}`],
    ['a numeric kid', () => `Bearer ${mint({}, { kid: null, header: { kid: 7 } })}`],
    ['a crit header', () => `Bearer ${mint({}, { header: { crit: ['x'], x: 1 } })}`],
    ['no exp', () => `Bearer ${mint({ exp: undefined })}`],
    ['a string exp', () => `Bearer ${mint({ exp: String(now() + 60) })}`],
    ['an expired token', () => `Bearer ${mint({ exp: now() - 60 })}`],
    ['a future nbf', () => `Bearer ${mint({ nbf: now() + 60 })}`],
    ['a null nbf', () => `Bearer ${mint({ nbf: null })}`],
    ['another issuer', () => `Bearer ${mint({ iss: `${issuer.url}/` })}`],
    ['another audience', () => `Bearer ${mint({ aud: 'api://three' })}`],
    ['no audience', () => `Bearer ${mint({ aud: undefined })}`],
    ['an unknown kid', () => `Bearer ${mint({}, { kid: 'nobody' })}`],
    ['no kid where two RS256 keys fit', () => `Bearer ${mint({}, { kid: null })}`],
    ['the RS256 key used for PS256', () => `Bearer ${mint({}, { alg: 'PS256', key: issuer.key('RS256') })}`],
    [
      'a tampered payload',
      () => {
        const [h, , s] = mint().split('.');
        return `Bearer ${h}.${Buffer.from(JSON.stringify({ iss: issuer.url, exp: now() + 60, aud: 'api://one', sub: 'admin' })).toString('base64url')}.${s}`;
      },
    ],
  ])('refuses %s as invalid_token', async (_label, authorization) => {
    expect(await outcome(authorization())).toBe('invalid_token');
  });

  it('answers 503 when the key is needed and the JWKS cannot be fetched', async () => {
    const down = await MockIssuer.start({ algorithms: ['RS256'] });
    try {
      await down.fault('error');
      const config = parseConfig({ JWT_ISSUER: down.url });
      const cold = createVerifier(config, createKeyStore(config.jwksUri));
      const token = down.mint();
      await expect(cold.verify(`Bearer ${token}`)).rejects.toMatchObject({
        status: 503,
        code: 'temporarily_unavailable',
        headers: { 'Retry-After': '10' },
      });
      await down.fault(null);
      await expect(cold.verify(`Bearer ${token}`)).resolves.toMatchObject({ iss: down.url });
    } finally {
      await down.close();
    }
  });
});

describe('requireScope', () => {
  it('needs the exact scope in a space-separated string', () => {
    expect(() => requireScope({ scope: 'read admin' }, 'admin')).not.toThrow();
    for (const scope of [undefined, 'administrator', 'ADMIN', ['admin'], 'read:admin']) {
      expect(() => requireScope({ scope }, 'admin'), String(scope)).toThrow(
        expect.objectContaining({ code: 'insufficient_scope', status: 403 }),
      );
    }
  });
});
