import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS, DISCOVERY_REDIRECT_PATH, MockIssuer, notFound } from '../src/index.ts';

let issuer: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start();
});
afterAll(() => issuer.close());

describe('the mock issuer', () => {
  it('publishes one key per algorithm with kid, alg and use', async () => {
    const jwks = (await (await fetch(issuer.jwksUri)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual([...ALGORITHMS].sort());
    for (const key of jwks.keys) {
      expect(key.use).toBe('sig');
      expect(key.kid).toMatch(/\S/);
      expect(key).not.toHaveProperty('d');
    }
  });

  it('serves an OpenID configuration pointing at the JWKS', async () => {
    const config = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({ issuer: issuer.url, jwks_uri: issuer.jwksUri });
  });

  it('says what a test sets in its discovery document, fails it on demand, and counts its requests', async () => {
    const get = (url: string) => fetch(url, { redirect: 'manual' });
    issuer.discovery = { jwks_uri: issuer.altJwksUri };
    const before = issuer.discoveryRequests;
    expect(await (await get(issuer.discoveryUri)).json()).toMatchObject({
      issuer: issuer.url,
      jwks_uri: issuer.altJwksUri,
    });
    await issuer.discoveryFaults.set(notFound);
    expect((await get(issuer.discoveryUri)).status).toBe(404);
    await issuer.discoveryFaults.set('redirect');
    const moved = await get(issuer.discoveryUri);
    expect([moved.status, moved.headers.get('location')]).toEqual([302, DISCOVERY_REDIRECT_PATH]);
    expect(issuer.discoveryRedirectRequests).toBe(0);
    expect((await get(issuer.origin + DISCOVERY_REDIRECT_PATH)).status).toBe(200);
    expect([issuer.discoveryRequests - before, issuer.discoveryRedirectRequests]).toEqual([3, 1]);
    expect((await get(issuer.jwksUri)).status).toBe(200); // the JWKS is not concerned
    await issuer.discoveryFaults.set(null);
    issuer.discovery = {};
  });

  it('names another host in its URLs when told, listening on 127.0.0.1 all the same', async () => {
    const other = await MockIssuer.start({ algorithms: ['RS256'], hostname: '0.0.0.0' });
    try {
      expect(other.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/__zuplo\/issuer$/);
      expect(other.mint({}, { alg: 'RS256' })).toMatch(/\./);
      const before = other.totalRequests;
      expect((await fetch(other.jwksUri.replace('0.0.0.0', '127.0.0.1'))).status).toBe(200);
      expect(other.totalRequests - before).toBe(1);
    } finally {
      await other.close();
    }
  });

  it.each(ALGORITHMS)('mints %s tokens that jose verifies against its JWKS', async (alg) => {
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
    const token = issuer.mint({ scope: 'admin' }, { alg });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: issuer.url,
      algorithms: [alg],
    });
    expect(protectedHeader).toMatchObject({ alg, kid: issuer.key(alg).kid });
    expect(payload).toMatchObject({ iss: issuer.url, sub: 'user-123', scope: 'admin' });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
  });

  it('mints what the gateway mints by default: EdDSA, typ JWT, kid; iss, sub, iat, a short exp', async () => {
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
    const token = issuer.mint({ aud: 'https://api.example.com', scope: 'read admin' });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: issuer.url,
      audience: 'https://api.example.com',
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: issuer.key('EdDSA').kid });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'scope', 'sub']);
    expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(300);
    expect(issuer.url).toMatch(/\/__zuplo\/issuer$/);
  });

  it('signs with another algorithm when told, per token or per issuer', async () => {
    expect(
      JSON.parse(Buffer.from(issuer.mint({}, { alg: 'RS256' }).split('.')[0] ?? '', 'base64url').toString())
        .alg,
    ).toBe('RS256');
    const rs = await MockIssuer.start({ algorithms: ['RS256', 'EdDSA'], defaultAlg: 'RS256' });
    try {
      expect(JSON.parse(Buffer.from(rs.mint().split('.')[0] ?? '', 'base64url').toString()).alg).toBe(
        'RS256',
      );
    } finally {
      await rs.close();
    }
  });

  it('mints tokens jose rejects when signed by a foreign key', async () => {
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
    const token = issuer.mint(
      {},
      { alg: 'ES256', key: await issuer.foreignKey('ES256'), kid: issuer.key('ES256').kid },
    );
    await expect(jwtVerify(token, jwks)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('leaves the signature empty when asked', () => {
    expect(issuer.mint({}, { unsigned: true })).toMatch(/^[\w-]+\.[\w-]+\.$/);
  });
});
