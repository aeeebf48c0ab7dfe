import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createVerifier } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { KeyStore } from '../src/keystore.ts';
import { requireAuth } from '../src/middleware.ts';
import { JwksServer, makeKey, type TestKey } from './support/jwks-server.ts';

// In-process, through Hono's app.request: the routes, the middleware and the RFC 6750 answers.
let jwks: JwksServer;
let key: TestKey;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  key = await makeKey('EdDSA', 'ed-1');
  jwks = await JwksServer.start([key]);
  const config = loadConfig({ JWT_ISSUER: jwks.issuer, JWT_ALGORITHMS: 'EdDSA' });
  app = createApp(
    createVerifier(
      config,
      new KeyStore({ uri: config.jwksUri, algorithms: config.algorithms, log: () => {} }),
    ),
  );
});
afterAll(() => jwks.close());

const get = (path: string, authorization?: string) =>
  app.request(path, { headers: authorization === undefined ? {} : { authorization } });

async function expectError(res: Response, status: number, code: string, challenge: string | null) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('www-authenticate')).toBe(challenge);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'message']);
  expect(body.error).toBe(code);
}

describe('routes', () => {
  it('GET /health is 200 {"status":"ok"} without a token', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /protected with a valid token returns every verified claim', async () => {
    const token = await jwks.sign(key, { tenant: 'acme', nested: { x: 1 } });
    const res = await get('/protected', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(await res.json()).toEqual({ message: 'Access granted', user: payload });
  });

  it('no token is 401 missing_token with a bare challenge', async () => {
    await expectError(await get('/protected'), 401, 'missing_token', 'Bearer realm="api"');
    await expectError(await get('/protected/admin'), 401, 'missing_token', 'Bearer realm="api"');
  });

  it('a bad token is 401 invalid_token with a description, and never echoed', async () => {
    const token = await jwks.sign(key, { iss: 'https://elsewhere.example', scope: 'admin' });
    const res = await get('/protected/admin', `Bearer ${token}`);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(await res.clone().text()).not.toContain(token.split('.')[1]);
    await expectError(res, 401, 'invalid_token', res.headers.get('www-authenticate'));
  });

  it('/protected/admin needs "admin" in a space-separated scope string', async () => {
    const ok = await get('/protected/admin', `Bearer ${await jwks.sign(key, { scope: 'read admin' })}`);
    expect(ok.status).toBe(200);
    for (const scope of [undefined, 'read', 'administrator', 'ADMIN', ['admin']]) {
      const res = await get('/protected/admin', `Bearer ${await jwks.sign(key, { scope })}`);
      await expectError(
        res,
        403,
        'insufficient_scope',
        'Bearer realm="api", error="insufficient_scope", scope="admin"',
      );
    }
  });

  it('unknown routes are 404 JSON', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('the middleware on its own', () => {
  it('puts the claims on c.get("claims") and turns refusals into HTTPException responses', async () => {
    const { Hono } = await import('hono');
    const custom = new Hono();
    const verify = async (header: string | undefined) => {
      if (header !== 'Bearer good') throw (await import('../src/errors.ts')).AuthError.unavailable();
      return { sub: 'someone' };
    };
    custom.get('/me', requireAuth(verify), (c) => c.text(String(c.get('claims').sub)));
    expect(await (await custom.request('/me', { headers: { authorization: 'Bearer good' } })).text()).toBe(
      'someone',
    );
    const res = await custom.request('/me');
    await expectError(res, 503, 'temporarily_unavailable', null);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
