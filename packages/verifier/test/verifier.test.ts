import { generateSigningKey, MockIssuer, type SigningKey } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS, type Config, readConfig } from '../src/config.ts';
import { AuthError } from '../src/errors.ts';
import { createVerifier, type Verifier } from '../src/verifier.ts';

let issuer: MockIssuer;
const keys = {} as Record<(typeof ALGORITHMS)[number], SigningKey>;
let verifier: Verifier;
let config: Config;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ALGORITHMS });
  for (const alg of ALGORITHMS) keys[alg] = issuer.key(alg);
  config = readConfig({ JWT_ISSUER: issuer.url, JWT_AUDIENCE: 'api://one,api://two' });
  verifier = createVerifier(config, { log: () => {} });
});
afterAll(() => issuer.close());

/** Publishes a new ES256 key with these JWK fields changed (a key a verifier must skip, say). */
async function publish(jwk: object): Promise<SigningKey> {
  const key = await generateSigningKey('ES256');
  return issuer.add({ ...key, jwk: { ...key.jwk, ...jwk } });
}

/** Signs any header and payload text with the ES256 key, so only what is under test can be wrong. */
const signRaw = (header: unknown, payload: unknown) => {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return issuer.mint({}, { key: keys.ES256, headerJson: text(header), payloadJson: text(payload) });
};

/** The AuthError a header value is refused with. */
async function refusal(authorization: string | undefined, v = verifier): Promise<AuthError> {
  const error = await v.verify(authorization).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

async function expectInvalid(token: string, description: string | RegExp, v = verifier): Promise<void> {
  const error = await refusal(`Bearer ${token}`, v);
  expect([error.status, error.code]).toEqual([401, 'invalid_token']);
  expect(error.body.message).toMatch(description);
  expect(error.headers['www-authenticate']).toMatch(
    /^Bearer realm="api", error="invalid_token", error_description="/,
  );
}

const aud = 'api://two';

describe('verify: valid tokens', () => {
  it.each(ALGORITHMS)('verifies %s with the default configuration (all nine algorithms)', async (alg) => {
    const token = issuer.mint({ aud, sub: `sub-${alg}` }, { key: keys[alg] });
    expect(config.algorithms).toContain(alg);
    expect(await verifier.verify(`Bearer ${token}`)).toMatchObject({ sub: `sub-${alg}`, iss: issuer.url });
  });

  it('accepts the scheme in any case, and an aud array holding one audience', async () => {
    const token = issuer.mint({ aud: ['other', 'api://one'] }, { key: keys.ES256 });
    expect((await verifier.verify(`bEaReR ${token}`)).aud).toEqual(['other', 'api://one']);
  });

  it('returns deeply frozen claims; a token is cached from its second verification on', async () => {
    const token = issuer.mint({ aud, nested: { roles: ['a'] } }, { key: keys.EdDSA });
    const first = await verifier.verify(`Bearer ${token}`);
    expect(Object.isFrozen(first) && Object.isFrozen(first.nested)).toBe(true);
    expect(Object.isFrozen((first.nested as { roles: string[] }).roles)).toBe(true);
    // A first sighting is not kept (src/doorkeeper.ts): verified again, then kept.
    const second = await verifier.verify(`Bearer ${token}`);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(await verifier.verify(`Bearer ${token}`)).toBe(second);
  });

  it('accepts a token without kid when exactly one key fits its alg', async () => {
    expect(
      await verifier.verify(`Bearer ${issuer.mint({ aud }, { key: keys.PS384, kid: null })}`),
    ).toBeTruthy();
  });
});

describe('verify: every refusal carries its code, status and our own sentence', () => {
  it('missing_token without a Bearer token', async () => {
    for (const value of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ']) {
      const error = await refusal(value);
      expect([error.status, error.code, error.headers['www-authenticate']]).toEqual([
        401,
        'missing_token',
        'Bearer realm="api"',
      ]);
    }
  });

  it('claims: expired, not yet valid, wrong issuer, wrong audience, no exp, exp not a number', async () => {
    const now = Math.floor(Date.now() / 1000);
    const k = keys.ES256;
    await expectInvalid(issuer.mint({ aud, exp: now - 60 }, { key: k }), 'The token has expired.');
    await expectInvalid(issuer.mint({ aud, nbf: now + 60 }, { key: k }), 'The token is not valid yet.');
    await expectInvalid(
      issuer.mint({ aud, iss: `${issuer.url}/` }, { key: k }),
      'The token issuer is not accepted.',
    );
    await expectInvalid(
      issuer.mint({ aud, iss: undefined }, { key: k }),
      'The token issuer is not accepted.',
    );
    await expectInvalid(
      issuer.mint({ aud: 'api://three' }, { key: k }),
      'The token audience is not accepted.',
    );
    await expectInvalid(issuer.mint({}, { key: k }), 'The token audience is not accepted.');
    await expectInvalid(issuer.mint({ aud, exp: undefined }, { key: k }), 'The token has no valid expiry.');
    await expectInvalid(
      issuer.mint({ aud, exp: String(now + 60) }, { key: k }),
      'The token has no valid expiry.',
    );
    // Not a number: neither "not valid yet" (nbf) nor a sentence of no claim (iat).
    await expectInvalid(
      issuer.mint({ aud, nbf: String(now - 60) }, { key: k }),
      'The token nbf is not a valid date.',
    );
    await expectInvalid(issuer.mint({ aud, iat: 'today' }, { key: k }), 'The token iat is not a valid date.');
  });

  it('the clock tolerance (5 s by default) applies to exp and nbf', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      await verifier.verify(`Bearer ${issuer.mint({ aud, exp: now - 2 }, { key: keys.ES256 })}`),
    ).toBeTruthy();
    expect(
      await verifier.verify(`Bearer ${issuer.mint({ aud, nbf: now + 2 }, { key: keys.ES256 })}`),
    ).toBeTruthy();
    await expectInvalid(issuer.mint({ aud, exp: now - 20 }, { key: keys.ES256 }), 'The token has expired.');
  });

  it('signature: tampered payload, swapped signature, stripped signature', async () => {
    const token = issuer.mint({ aud, scope: 'read' }, { key: keys.RS256 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const raised = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'admin' }),
    );
    await expectInvalid(`${h}.${raised.toString('base64url')}.${s}`, 'The token signature is invalid.');
    const other = issuer.mint({ aud, sub: 'x' }, { key: keys.RS256 }).split('.')[2];
    await expectInvalid(`${h}.${p}.${other}`, 'The token signature is invalid.');
    await expectInvalid(`${h}.${p}.`, 'The token is not a compact JWS.');
  });

  it('algorithm: not on the allow-list, none, HS256', async () => {
    const rsOnly = createVerifier(readConfig({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'RS256' }), {
      log: () => {},
    });
    await expectInvalid(issuer.mint({}, { key: keys.ES256 }), 'The token algorithm is not accepted.', rsOnly);
    const [, p] = issuer.mint({}, { key: keys.ES256 }).split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.c2ln`;
    await expectInvalid(none, 'The token algorithm is not accepted.');
    const hs = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${p}.c2ln`;
    await expectInvalid(hs, 'The token algorithm is not accepted.');
  });

  it('key selection: wrong alg for the kid, PSS with a PKCS#1 key, another curve, two keys and no kid', async () => {
    const rs = keys.RS256;
    await expectInvalid(
      issuer.mint({ aud }, { key: keys.RS384, kid: rs.kid }),
      'No key of the issuer fits the token.',
    );
    await expectInvalid(
      issuer.mint({ aud }, { key: keys.PS256, kid: rs.kid }),
      'No key of the issuer fits the token.',
    );
    const es384 = issuer.mint({ aud }, { key: keys.ES384, kid: keys.ES256.kid });
    await expectInvalid(es384, 'No key of the issuer fits the token.');
    const second = await publish({ kid: undefined });
    const twoKeys = createVerifier(config, { log: () => {} });
    const token = issuer.mint({ aud }, { key: second, kid: null });
    await expectInvalid(token, 'Several keys of the issuer fit the token; it needs a kid.', twoKeys);
    issuer.retire(second.kid);
  });

  it('key selection: a key for encryption, or whose key_ops lack verify, is never used', async () => {
    const enc = await publish({ use: 'enc' });
    const signOnly = await publish({ key_ops: ['sign'] });
    const ok = await publish({ key_ops: ['verify'] });
    const v = createVerifier(config, { log: () => {} });
    await expectInvalid(issuer.mint({ aud }, { key: enc }), 'No key of the issuer fits the token.', v);
    await expectInvalid(issuer.mint({ aud }, { key: signOnly }), 'No key of the issuer fits the token.', v);
    expect(await v.verify(`Bearer ${issuer.mint({ aud }, { key: ok })}`)).toBeTruthy();
    for (const k of [enc, signOnly, ok]) issuer.retire(k.kid);
  });

  it('crit: an unknown extension, an empty list, a string (RFC 7515 §4.1.11)', async () => {
    const k = keys.ES256;
    const payload = { iss: issuer.url, aud, exp: Math.floor(Date.now() / 1000) + 60 };
    const head = { alg: 'ES256', kid: k.kid };
    await expectInvalid(
      signRaw({ ...head, crit: ['x-ext'], 'x-ext': 1 }, payload),
      'The token uses an algorithm or a critical extension that is not supported.',
    );
    await expectInvalid(signRaw({ ...head, crit: [] }, payload), 'The token is malformed.');
    await expectInvalid(signRaw({ ...head, crit: 'x-ext', 'x-ext': 1 }, payload), 'The token is malformed.');
    expect(await verifier.verify(`Bearer ${signRaw(head, payload)}`)).toMatchObject({ aud });
  });

  it('exp, nbf and iat must be finite: JSON 1e400 is Infinity, a token that would never expire', async () => {
    const k = keys.ES256;
    const head = { alg: 'ES256', kid: k.kid };
    const base = `"iss":${JSON.stringify(issuer.url)},"aud":"${aud}"`;
    const exp = Math.floor(Date.now() / 1000) + 60;
    await expectInvalid(signRaw(head, `{${base},"exp":1e400}`), 'The token exp is not a valid date.');
    await expectInvalid(
      signRaw(head, `{${base},"exp":${exp},"nbf":-1e400}`),
      'The token nbf is not a valid date.',
    );
    await expectInvalid(
      signRaw(head, `{${base},"exp":${exp},"iat":1e400}`),
      'The token iat is not a valid date.',
    );
    expect(await verifier.verify(`Bearer ${signRaw(head, `{${base},"exp":${exp}}`)}`)).toMatchObject({
      aud,
    });
  });

  it('structure: header or payload not a JSON object', async () => {
    const k = keys.ES256;
    const head = { alg: 'ES256', kid: k.kid };
    await expectInvalid(signRaw(head, '[1]'), 'The token is malformed.');
    await expectInvalid(signRaw(head, 'null'), 'The token is malformed.');
    await expectInvalid(signRaw('["ES256"]', { aud }), 'The token is malformed.');
  });

  it('jwk, jku and x5c in the header are never used', async () => {
    const attacker = await generateSigningKey('ES256');
    const header = { jwk: attacker.jwk, jku: issuer.attackerUrl, x5u: issuer.attackerUrl };
    const before = issuer.jwksRequests;
    await expectInvalid(issuer.mint({ aud }, { key: attacker, kid: keys.ES256.kid, header }), /signature/);
    expect([issuer.jwksRequests, issuer.attackerRequests]).toEqual([before, 0]);
  });

  it('does not cache failures: a refused token is refused again', async () => {
    const token = issuer.mint({ aud: 'api://other' }, { key: keys.ES256 });
    await expectInvalid(token, 'The token audience is not accepted.');
    await expectInvalid(token, 'The token audience is not accepted.');
  });
});
