import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../src/config.ts';
import type { AuthError } from '../src/errors.ts';
import { createVerifier } from '../src/verifier.ts';

const ISSUER = 'https://idp.example/realms/main';
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`;
let jwk: JWK;
let token: string;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  token = await new SignJWT({ iss: ISSUER })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setExpirationTime('5m')
    .sign(privateKey);
});

// A Response is answered once; a function for every request.
type Answer = Response | (() => Response);
/** A verifier whose fetches are answered from `answers` by URL (404 otherwise), and what it asked. */
function setup(answers: Record<string, Answer>, env: Record<string, string> = {}) {
  const asked: string[] = [];
  const signals: AbortSignal[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    asked.push(String(input));
    if (init?.signal) signals.push(init.signal);
    const answer = answers[String(input)];
    return typeof answer === 'function' ? answer() : (answer ?? new Response('', { status: 404 }));
  }) as typeof globalThis.fetch;
  const logged: string[] = [];
  const verifier = createVerifier(readConfig({ JWT_ISSUER: ISSUER, ...env }), {
    fetch,
    log: (line) => logged.push(line),
  });
  const outcome = () =>
    verifier.verify(`Bearer ${token}`).then(
      () => 'ok',
      (error: AuthError) => error.code,
    );
  return { asked, signals, logged, outcome };
}

const keys = () => Response.json({ keys: [jwk] });
const document = (fields: Record<string, unknown>) => Response.json({ issuer: ISSUER, ...fields });

describe('discovery (OpenID Connect Discovery 1.0)', () => {
  it('follows jwks_uri wherever it points; a cold burst costs one discovery and one JWKS request', async () => {
    const { asked, signals, outcome } = setup({
      [DISCOVERY]: document({ jwks_uri: 'https://keys.example/certs' }),
      'https://keys.example/certs': keys,
    });
    expect(await Promise.all(Array.from({ length: 20 }, outcome))).toEqual(Array(20).fill('ok'));
    expect(asked).toEqual([DISCOVERY, 'https://keys.example/certs']);
    // One 5 s bound covers both requests: a slow discovery leaves less time for the keys.
    expect(signals[0]).toBe(signals[1]);
  });

  it('a 404 means an issuer without discovery: keys at <issuer>/.well-known/jwks.json', async () => {
    const { asked, outcome } = setup({ [`${ISSUER}/.well-known/jwks.json`]: keys });
    expect(await outcome()).toBe('ok');
    expect(asked).toEqual([DISCOVERY, `${ISSUER}/.well-known/jwks.json`]);
  });

  it('JWT_JWKS_URI, when set, is used as it is: no discovery', async () => {
    const { asked, outcome } = setup(
      { 'https://keys.example/certs': keys },
      { JWT_JWKS_URI: 'https://keys.example/certs' },
    );
    expect(await outcome()).toBe('ok');
    expect(asked).toEqual(['https://keys.example/certs']);
  });

  it.each([
    [
      'names another issuer (§4.3)',
      document({ issuer: `${ISSUER}/`, jwks_uri: 'https://keys.example/certs' }),
    ],
    ['has an http jwks_uri', document({ jwks_uri: 'http://keys.example/certs' })],
    ['has no jwks_uri', document({})],
    ['has a jwks_uri with credentials', document({ jwks_uri: 'https://u:p@keys.example/certs' })],
    [
      'redirects (never followed)',
      new Response('', { status: 302, headers: { location: 'https://keys.example/certs' } }),
    ],
    ['is not JSON', new Response('<html>')],
    [
      'is over 512 KiB',
      Response.json({ issuer: ISSUER, jwks_uri: 'https://keys.example/certs', pad: 'x'.repeat(600_000) }),
    ],
    ['answers 500', new Response('', { status: 500 })],
  ])('a discovery document that %s is a failed fetch: 503 while no key is cached', async (_, answer) => {
    const { asked, logged, outcome } = setup({ [DISCOVERY]: answer, 'https://keys.example/certs': keys });
    expect(await outcome()).toBe('temporarily_unavailable');
    expect(asked).toEqual([DISCOVERY]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toMatch(/u:p@/);
  });

  it('http jwks_uri is allowed for an http issuer on this machine (local work)', async () => {
    const local = 'http://127.0.0.1:3000/__zuplo/issuer';
    const asked: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      asked.push(String(input));
      if (String(input) === `${local}/.well-known/openid-configuration`)
        return Response.json({ issuer: local, jwks_uri: 'http://127.0.0.1:3000/keys' });
      return Response.json({ keys: [] });
    }) as typeof globalThis.fetch;
    const v = createVerifier(readConfig({ JWT_ISSUER: local }), { fetch, log: () => {} });
    const other = await new SignJWT({ iss: local })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign((await generateKeyPair('ES256')).privateKey);
    expect(await v.verify(`Bearer ${other}`).catch((e: AuthError) => e.code)).toBe('invalid_token');
    expect(asked).toEqual([`${local}/.well-known/openid-configuration`, 'http://127.0.0.1:3000/keys']);
  });

  it('is refreshed with the key set: a changed jwks_uri is followed', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      let uri = 'https://keys.example/one';
      const { asked, outcome } = setup(
        {
          [DISCOVERY]: () => Response.json({ issuer: ISSUER, jwks_uri: uri }),
          'https://keys.example/one': keys,
          'https://keys.example/two': keys,
        },
        { JWT_JWKS_MAX_AGE: '1' },
      );
      expect(await outcome()).toBe('ok');
      uri = 'https://keys.example/two';
      vi.advanceTimersByTime(1000);
      expect(await outcome()).toBe('ok'); // from the cache; the refresh runs in the background
      await vi.waitFor(() => expect(asked).toHaveLength(4));
      expect(asked.slice(2)).toEqual([DISCOVERY, 'https://keys.example/two']);
    } finally {
      vi.useRealTimers();
    }
  });
});
