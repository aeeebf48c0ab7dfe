import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.ts';
import type { AuthError } from '../src/errors.ts';
import { createVerifier, type Verifier } from '../src/verifier.ts';

// Two environments of one gateway (production and a preview), each its own issuer with its own
// keys, served by a fetch stand-in so the test sees every URL the verifier asks for.
const PROD = 'https://my-api-main-1a2b3c.zuplo.app/__zuplo/issuer';
const PREVIEW = 'https://my-api-preview-4d5e6f.zuplo.app/__zuplo/issuer';

interface Env {
  key: CryptoKey;
  jwk: JWK;
  /** The answer to the JWKS request: 200 with the keys unless set. */
  down?: boolean;
}
const envs = new Map<string, Env>();
let requests: string[] = [];

async function environment(issuer: string, kid: string): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  envs.set(issuer, { key: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } });
}

const fakeFetch = (async (input: string | URL | Request) => {
  const url = String(input);
  requests.push(url);
  for (const [issuer, env] of envs) {
    if (url === `${issuer}/.well-known/openid-configuration`)
      return Response.json({ issuer, jwks_uri: `${issuer}/keys` });
    if (url === `${issuer}/keys`)
      return env.down ? new Response('', { status: 503 }) : Response.json({ keys: [env.jwk] });
  }
  return new Response('', { status: 404 });
}) as typeof fetch;

function mint(iss: string, signer: string, claims: Record<string, unknown> = {}): Promise<string> {
  const env = envs.get(signer) as Env;
  return new SignJWT({ iss, sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: env.jwk.kid })
    .setExpirationTime('5m')
    .sign(env.key);
}

const outcome = (v: Verifier, token: string) =>
  v.verify(`Bearer ${token}`).then(
    (claims) => `ok ${claims.iss}`,
    (error: AuthError) => `${error.status} ${error.body.message}`,
  );

function start(env: Record<string, string> = {}): Verifier {
  requests = [];
  return createVerifier(readConfig({ JWT_ISSUER: `${PROD},${PREVIEW}`, ...env }), {
    fetch: fakeFetch,
    log: () => {},
  });
}

beforeAll(async () => {
  // Both sets hold a key with the same kid: only the issuer the token names may pick the key.
  await environment(PROD, 'gateway-key');
  await environment(PREVIEW, 'gateway-key');
  await environment('https://stranger.zuplo.app/__zuplo/issuer', 'gateway-key');
});

describe('several issuers', () => {
  it("verifies each issuer's tokens with that issuer's keys, found by discovery", async () => {
    const v = start();
    expect(await outcome(v, await mint(PROD, PROD))).toBe(`ok ${PROD}`);
    expect(await outcome(v, await mint(PREVIEW, PREVIEW))).toBe(`ok ${PREVIEW}`);
    expect(requests.sort()).toEqual(
      [PROD, PREVIEW].flatMap((i) => [`${i}/.well-known/openid-configuration`, `${i}/keys`]).sort(),
    );
  });

  it("refuses a token naming one issuer but signed with the other's key, both ways, same kid", async () => {
    const v = start();
    expect(await outcome(v, await mint(PROD, PREVIEW))).toBe('401 The token signature is invalid.');
    expect(await outcome(v, await mint(PREVIEW, PROD))).toBe('401 The token signature is invalid.');
  });

  it('refuses an unlisted issuer (a pattern would have let it in) without any fetch', async () => {
    const v = start();
    const stranger = 'https://stranger.zuplo.app/__zuplo/issuer';
    expect(await outcome(v, await mint(stranger, stranger))).toBe('401 The token issuer is not accepted.');
    expect(await outcome(v, await mint(`${PROD}/`, PROD))).toBe('401 The token issuer is not accepted.');
    expect(requests).toEqual([]);
  });

  it("one issuer down costs nothing to the other's tokens", async () => {
    (envs.get(PREVIEW) as Env).down = true;
    try {
      const v = start();
      expect(await outcome(v, await mint(PREVIEW, PREVIEW))).toMatch(/^503 /);
      expect(await outcome(v, await mint(PROD, PROD))).toBe(`ok ${PROD}`);
      // The preview's backoff does not hold production back either.
      expect(await outcome(v, await mint(PROD, PROD, { sub: 'again' }))).toBe(`ok ${PROD}`);
    } finally {
      (envs.get(PREVIEW) as Env).down = false;
    }
  });
});

describe('the token header (the policy’s headerName and tokenPrefix)', () => {
  it('reads the configured header name, lower-case, with a prefix in any case', async () => {
    const v = createVerifier(
      readConfig({ JWT_ISSUER: PROD, JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: 'Token' }),
      {
        fetch: fakeFetch,
        log: () => {},
      },
    );
    expect(v.header).toBe('x-gateway-token');
    const token = await mint(PROD, PROD);
    expect((await v.verify(`tOkEn ${token}`)).iss).toBe(PROD);
    expect(await v.verify(`Bearer ${token}`).catch((e: AuthError) => e.code)).toBe('missing_token');
  });

  it('takes the whole value as the token when the prefix is empty', async () => {
    const v = createVerifier(
      readConfig({ JWT_ISSUER: PROD, JWT_HEADER: 'x-gateway-token', JWT_TOKEN_PREFIX: '' }),
      {
        fetch: fakeFetch,
        log: () => {},
      },
    );
    const token = await mint(PROD, PROD);
    expect((await v.verify(token)).iss).toBe(PROD);
    expect(await v.verify(`Bearer ${token}`).catch((e: AuthError) => e.code)).toBe('invalid_token');
    expect(await v.verify('').catch((e: AuthError) => e.code)).toBe('missing_token');
  });

  it('defaults to Authorization: Bearer', () => {
    expect(start().header).toBe('authorization');
  });
});
