// The njs modules are plain ES modules with no nginx object in them: Node imports them as they
// are, and its WebCrypto stands in for njs's (the nginx-specific behaviour, such as njs's ECDSA
// throwing on a bad signature, is covered through nginx in nginx.test.ts and the suite).
import { constants, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import der from '../njs/der.js';
import errors from '../njs/errors.js';
import jwk from '../njs/jwk.js';
import jwt from '../njs/jwt.js';

const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('bearerToken (RFC 6750 §2.1)', () => {
  it.each([
    [undefined, 'missing_token'],
    ['', 'missing_token'],
    ['Basic dXNlcjpwYXNz', 'missing_token'],
    ['Bearerx abc', 'missing_token'],
    ['Bearer', 'missing_token'],
    ['Bearer ', 'missing_token'],
    ['Bearer  abc', 'invalid_token'],
    ['Bearer abc def', 'invalid_token'],
    [`Bearer ${'a'.repeat(8193)}`, 'invalid_token'],
  ])('%j -> %s', (header, expected) => {
    expect(code(() => jwt.bearerToken(header))).toBe(expected);
  });
  it('takes any case of the scheme and a token of exactly 8192 characters', () => {
    expect(jwt.bearerToken('bEaReR abc')).toBe('abc');
    expect(jwt.bearerToken(`Bearer ${'a'.repeat(8192)}`)).toHaveLength(8192);
  });
});

describe('parse (RFC 7515 compact serialization)', () => {
  const header = (h: object) => b64u(JSON.stringify(h));
  const payload = b64u('{"sub":"x"}');
  const algs = ['RS256', 'ES256'];
  it('splits a well-formed token', () => {
    const parsed = jwt.parse(`${header({ alg: 'RS256', kid: 'k' })}.${payload}.c2ln`, algs);
    expect(parsed.header.kid).toBe('k');
    expect(parsed.payloadSegment).toBe(payload);
  });
  it.each([
    ['two segments', `${header({ alg: 'RS256' })}.${payload}`],
    ['empty header', `.${payload}.c2ln`],
    ['header not JSON', `${b64u('nope')}.${payload}.c2ln`],
    ['header an array', `${b64u('["RS256"]')}.${payload}.c2ln`],
    ['payload a string', `${header({ alg: 'RS256' })}.${b64u('"foo"')}.c2ln`],
    ['padding', `${header({ alg: 'RS256' })}=.${payload}.c2ln`],
    ['non-canonical trailing bits', `${header({ alg: 'RS256' })}.${payload}.c2h`],
    ['invalid UTF-8', `${b64u(Buffer.from([0x7b, 0xff, 0x7d]))}.${payload}.c2ln`],
    ['empty signature', `${header({ alg: 'RS256' })}.${payload}.`],
    ['alg none', `${header({ alg: 'none' })}.${payload}.c2ln`],
    ['alg HS256', `${header({ alg: 'HS256' })}.${payload}.c2ln`],
    ['alg not configured', `${header({ alg: 'PS256' })}.${payload}.c2ln`],
    ['crit', `${header({ alg: 'RS256', crit: ['exp'], exp: 1 })}.${payload}.c2ln`],
    ['numeric kid', `${header({ alg: 'RS256', kid: 7 })}.${payload}.c2ln`],
  ])('%s -> invalid_token', (_, token) => {
    expect(code(() => jwt.parse(token, algs))).toBe('invalid_token');
  });
});

describe('checkClaims (RFC 7519 §4.1)', () => {
  const now = 1_800_000_000;
  const config = { issuer: 'https://issuer', clockTolerance: 5, audiences: null as string[] | null };
  const base = { iss: 'https://issuer', exp: now + 60 };
  const check = (claims: object, cfg = config) => code(() => jwt.checkClaims(claims, cfg, now));
  it('accepts a valid payload, and exp or nbf within the tolerance', () => {
    expect(check(base)).toBe('no error');
    expect(check({ ...base, exp: now - 4 })).toBe('no error');
    expect(check({ ...base, nbf: now + 4 })).toBe('no error');
  });
  it.each([
    ['another issuer', { ...base, iss: 'https://issuer/' }],
    ['no exp', { iss: base.iss }],
    ['exp a string', { ...base, exp: String(now + 60) }],
    ['expired past the tolerance', { ...base, exp: now - 5 }],
    ['nbf in the future', { ...base, nbf: now + 6 }],
    ['nbf a string', { ...base, nbf: 'soon' }],
    ['iat a string', { ...base, iat: 'now' }],
  ])('%s -> invalid_token', (_, claims) => {
    expect(check(claims)).toBe('invalid_token');
  });
  it('checks aud only when audiences are configured', () => {
    const withAud = { ...config, audiences: ['api://one', 'api://two'] };
    expect(check({ ...base, aud: ['x', 'api://two'] }, withAud)).toBe('no error');
    expect(check({ ...base, aud: 'api://three' }, withAud)).toBe('invalid_token');
    expect(check(base, withAud)).toBe('invalid_token');
    expect(check({ ...base, aud: 'anything' })).toBe('no error');
  });
});

describe('scope and forwarded claims', () => {
  it('needs a space-separated string holding exactly the scope', () => {
    expect(jwt.hasScope({ scope: 'read admin' }, 'admin')).toBe(true);
    expect(jwt.hasScope({ scope: 'administrator ADMIN' }, 'admin')).toBe(false);
    expect(jwt.hasScope({ scope: ['admin'] }, 'admin')).toBe(false);
  });
  it('forwards only printable ASCII in X-JWT-Sub', () => {
    expect(jwt.headerSafe('user-123')).toBe('user-123');
    expect(jwt.headerSafe('x\r\nX-Admin: yes')).toBe('');
    expect(jwt.headerSafe(42)).toBe('');
  });
});

describe('errors (RFC 6750 §3)', () => {
  it('builds each challenge and escapes quoted strings', () => {
    expect(errors.response(errors.missing()).headers['WWW-Authenticate']).toBe('Bearer realm="api"');
    expect(errors.challenge(errors.invalid('a "b" \\ c'))).toBe(
      'Bearer realm="api", error="invalid_token", error_description="a \\"b\\" \\\\ c"',
    );
    const scope = errors.response(errors.insufficientScope(), 'admin');
    expect(scope.status).toBe(403);
    expect(scope.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    );
  });
  it('answers 503 with Retry-After and no challenge', () => {
    const answer = errors.response(errors.unavailable());
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(answer.headers['WWW-Authenticate']).toBeUndefined();
    expect(JSON.parse(answer.body)).toEqual({
      error: 'temporarily_unavailable',
      message: expect.any(String),
    });
  });
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const asJwk = (key: KeyObject, extra: object) => ({ ...key.export({ format: 'jwk' }), ...extra });
const spkiOf = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

describe('der: SPKI from JWK numbers', () => {
  const n = (key: KeyObject, name: 'n' | 'e' | 'x' | 'y') =>
    Buffer.from(key.export({ format: 'jwk' })[name] ?? '', 'base64url');
  it('writes the same bytes as OpenSSL for RSA, P-256 and P-384', () => {
    expect(der.rsaSpki(n(rsa.publicKey, 'n'), n(rsa.publicKey, 'e')).equals(spkiOf(rsa.publicKey))).toBe(
      true,
    );
    expect(
      der.ecSpki('P-256', n(p256.publicKey, 'x'), n(p256.publicKey, 'y')).equals(spkiOf(p256.publicKey)),
    ).toBe(true);
    expect(
      der.ecSpki('P-384', n(p384.publicKey, 'x'), n(p384.publicKey, 'y')).equals(spkiOf(p384.publicKey)),
    ).toBe(true);
  });
  it('encodes INTEGERs minimally and lengths in long form', () => {
    expect(der.unsigned(Buffer.from([0, 0, 0x80])).toString('hex')).toBe('02020080');
    expect(der.length(300).toString('hex')).toBe('82012c');
  });
});

describe('jwk.select: the key from the set', () => {
  const keys = [
    { kty: 'RSA', kid: 'a', alg: 'RS256', use: 'sig', n: 'x', e: 'AQAB' },
    { kty: 'RSA', kid: 'b', n: 'x', e: 'AQAB' },
    { kty: 'EC', kid: 'c', crv: 'P-256', x: 'x', y: 'y' },
    { kty: 'EC', kid: 'd', crv: 'P-384', use: 'enc', x: 'x', y: 'y' },
  ];
  it('finds by kid, or the only fitting key without one', () => {
    expect(jwk.select(keys, { alg: 'RS256', kid: 'a' }).key?.kid).toBe('a');
    expect(jwk.select(keys, { alg: 'ES256' }).key?.kid).toBe('c');
  });
  it('reports an unknown kid (a refetch may help), and ignores keys not for signatures', () => {
    expect(jwk.select(keys, { alg: 'RS256', kid: 'zzz' })).toEqual({ unknownKid: true });
    expect(jwk.select(keys, { alg: 'ES384', kid: 'd' })).toEqual({ unknownKid: true });
    expect(jwk.select(keys, { alg: 'RS256', kid: '__proto__' })).toEqual({ unknownKid: true });
  });
  it.each([
    ['kid of a key for another alg', { alg: 'RS384', kid: 'a' }],
    ['EC kid with an RSA alg', { alg: 'PS256', kid: 'c' }],
    ['curve mismatch', { alg: 'ES384', kid: 'c' }],
    ['no kid, two fitting keys', { alg: 'RS256' }],
    ['no kid, no fitting key', { alg: 'ES384' }],
  ])('%s -> invalid_token', (_, header) => {
    expect(code(() => jwk.select(keys, header))).toBe('invalid_token');
  });
});

describe('jwk.verify with WebCrypto', () => {
  const data = Buffer.from('header.payload');
  const cases = [
    ['RS256', rsa, sign('sha256', data, rsa.privateKey)],
    [
      'PS384',
      rsa,
      sign('sha384', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }),
    ],
    ['ES256', p256, sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' })],
    ['ES384', p384, sign('sha384', data, { key: p384.privateKey, dsaEncoding: 'ieee-p1363' })],
  ] as const;
  it.each(cases)('%s: verifies, and refuses a tampered input', async (alg, pair, signature) => {
    const key = asJwk(pair.publicKey, { alg });
    expect(await jwk.verify(key, alg, signature, data)).toBe(true);
    expect(await jwk.verify(key, alg, signature, Buffer.from('header.payloaD'))).toBe(false);
  });
  it('refuses a DER-encoded ECDSA signature (JWS uses raw R || S)', async () => {
    const derSig = sign('sha256', data, p256.privateKey);
    expect(await jwk.verify(asJwk(p256.publicKey, {}), 'ES256', derSig, data)).toBe(false);
  });
  it('refuses RSA keys under 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const signature = sign('sha256', data, small.privateKey);
    await expect(jwk.verify(asJwk(small.publicKey, {}), 'RS256', signature, data)).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });
  it('refuses a key whose numbers do not decode', async () => {
    const broken = { ...asJwk(p256.publicKey, {}), x: 'not base64url!' };
    await expect(jwk.verify(broken, 'ES256', Buffer.alloc(64), data)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    expect(createPublicKey({ key: asJwk(p256.publicKey, {}), format: 'jwk' }).asymmetricKeyType).toBe('ec');
  });
});
