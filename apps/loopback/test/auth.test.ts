import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, JwtVerifier, MAX_TOKEN_LENGTH } from '../src/auth';
import { AuthError } from '../src/errors';
import { jwksRsaSource, KeyStore } from '../src/jwks';

let issuer: MockIssuer;
let verifier: JwtVerifier;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256', 'PS256', 'ES256', 'ES384'] });
  const keys = new KeyStore(jwksRsaSource(issuer.jwksUri));
  verifier = new JwtVerifier(
    {
      issuer: issuer.url,
      audiences: ['api://one'],
      algorithms: ['RS256', 'PS256', 'ES256'],
      clockTolerance: 5,
    },
    keys,
  );
});
afterAll(() => issuer.close());

const mint = (claims: Record<string, unknown> = {}, options: Parameters<MockIssuer['mint']>[1] = {}) =>
  issuer.mint({ aud: 'api://one', ...claims }, options);

/** The AuthError code that `authorization` gets, or 'ok'. */
const outcome = (authorization: string | undefined) =>
  verifier.verify(authorization).then(
    () => 'ok',
    (error: unknown) => (error instanceof AuthError ? error.code : `unexpected ${String(error)}`),
  );

describe('bearerToken', () => {
  it.each([undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearerx abc', 'Token abc'])(
    '%j is missing_token',
    (header) => {
      expect(() => bearerToken(header)).toThrow(
        expect.objectContaining({ code: 'missing_token', status: 401 }),
      );
    },
  );
  it('takes the scheme case-insensitively and everything after one space as the token', () => {
    expect(bearerToken('bEaReR abc')).toBe('abc');
    expect(bearerToken('Bearer  abc')).toBe(' abc');
  });
});

describe('JwtVerifier', () => {
  it('returns every verified claim', async () => {
    const claims = await verifier.verify(`Bearer ${mint({ tenant: 'acme', nested: { x: 1 } })}`);
    expect(claims).toMatchObject({ iss: issuer.url, sub: 'user-123', tenant: 'acme', nested: { x: 1 } });
  });

  it.each(['PS256', 'ES256'] as const)('verifies %s', async (alg) => {
    expect(await outcome(`Bearer ${mint({}, { alg })}`)).toBe('ok');
  });

  it.each([
    ['two spaces', (t: string) => `Bearer  ${t}`],
    ['trailing words', (t: string) => `Bearer ${t} extra`],
    ['two segments', (t: string) => `Bearer ${t.split('.').slice(0, 2).join('.')}`],
    ['padding', (t: string) => `Bearer ${t}=`],
    ['too long', () => `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`],
  ])('%s is invalid_token', async (_what, header) => {
    expect(await outcome(header(mint()))).toBe('invalid_token');
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ['no exp', { exp: undefined }],
    ['exp a string', { exp: '9999999999' }],
    ['nbf in the future', { nbf: Math.floor(Date.now() / 1000) + 120 }],
    ['nbf a string', { nbf: '0' }],
    ['another issuer', { iss: 'https://elsewhere.example' }],
    ['another audience', { aud: 'api://other' }],
    ['no audience', { aud: undefined }],
  ])('%s is invalid_token', async (_what, claims) => {
    expect(await outcome(`Bearer ${mint(claims)}`)).toBe('invalid_token');
  });

  it.each([
    ['alg none', { alg: 'none' }, {}],
    ['alg not allowed (ES384)', { alg: 'ES384' }, {}],
    ['crit header', {}, { header: { crit: ['exp'] } }],
    ['kid not a string', {}, { kid: 42 as unknown as string }],
    ['unknown kid', {}, { kid: 'nobody' }],
  ])('%s is invalid_token', async (_what, options, extra) => {
    expect(await outcome(`Bearer ${mint({}, { ...options, ...extra })}`)).toBe('invalid_token');
  });

  it('refuses an HS256 token signed with the public key as the secret', async () => {
    const secret = issuer.key('RS256').publicKey.export({ format: 'pem', type: 'spki' });
    expect(await outcome(`Bearer ${mint({}, { alg: 'HS256', signWith: secret })}`)).toBe('invalid_token');
  });

  it('refuses a token signed by a key that is not in the JWKS, under a known kid', async () => {
    const foreign = await issuer.foreignKey('RS256');
    expect(await outcome(`Bearer ${mint({}, { key: foreign, kid: issuer.key('RS256').kid })}`)).toBe(
      'invalid_token',
    );
  });

  it('never puts the token or a library message in the error', async () => {
    const token = mint({ aud: 'api://other' });
    const error = (await verifier.verify(`Bearer ${token}`).catch((e: unknown) => e)) as AuthError;
    const text = `${error.message} ${JSON.stringify(error.headers)}`;
    expect(text).not.toContain(token.split('.')[1]);
    expect(text).not.toMatch(/jwt audience invalid|expected/);
    expect(error.headers['WWW-Authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
  });
});
