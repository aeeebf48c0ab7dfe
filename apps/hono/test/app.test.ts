import { MockIssuer } from '@repo/test-fixtures';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { type AuthEnv, requireAuth, requireScope } from '../src/auth.ts';
import { createVerifier, readConfig } from '../src/jwt/index.ts';

// In-process, through Hono's app.request: the routes, the glue and the RFC 6750 answers.
let issuer: MockIssuer;
let app: ReturnType<typeof createApp>;
const quiet = { log: () => {} };

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
  app = createApp(createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet));
});
afterAll(() => issuer.close());

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

  it('GET /protected with a valid EdDSA token (the default config) returns every verified claim', async () => {
    const token = issuer.mint({ tenant: 'acme', nested: { x: 1 } });
    const res = await get('/protected', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(await res.json()).toEqual({ message: 'Access granted', user: payload });
  });

  it('no token is 401 missing_token with a bare challenge', async () => {
    await expectError(await get('/protected'), 401, 'missing_token', 'Bearer realm="api"');
    await expectError(await get('/protected/admin', 'Basic abc'), 401, 'missing_token', 'Bearer realm="api"');
  });

  it('a bad token is 401 invalid_token with a description, and never echoed', async () => {
    const token = issuer.mint({ iss: 'https://elsewhere.example', scope: 'admin' });
    const res = await get('/protected/admin', `Bearer ${token}`);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(await res.clone().text()).not.toContain(token.split('.')[1]);
    await expectError(res, 401, 'invalid_token', res.headers.get('www-authenticate'));
  });

  it('/protected/admin needs "admin" in a space-separated scope string', async () => {
    const ok = await get('/protected/admin', `Bearer ${issuer.mint({ scope: 'read admin' })}`);
    expect(ok.status).toBe(200);
    for (const scope of [undefined, 'read', 'administrator', 'ADMIN', ['admin']]) {
      const res = await get('/protected/admin', `Bearer ${issuer.mint({ scope })}`);
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

describe('the glue in a route of your own', () => {
  it('c.get("claims") holds the verified claims (frozen) in a handler behind requireAuth', async () => {
    const mine = new Hono<AuthEnv>();
    const verifier = createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet);
    mine.get('/me', requireAuth(verifier), requireScope('read'), (c) =>
      c.json({ sub: c.get('claims').sub, frozen: Object.isFrozen(c.get('claims')) }),
    );
    const token = issuer.mint({ sub: 'someone', scope: 'read' });
    const res = await mine.request('/me', { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ sub: 'someone', frozen: true });
  });

  it('answers refusals itself, in an app without an onError of its own', async () => {
    const mine = new Hono<AuthEnv>();
    const verifier = createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet);
    mine.get('/me', requireAuth(verifier), requireScope('write'), (c) => c.text('reached'));
    await expectError(await mine.request('/me'), 401, 'missing_token', 'Bearer realm="api"');
    const token = issuer.mint({ scope: 'read' });
    const res = await mine.request('/me', { headers: { authorization: `Bearer ${token}` } });
    await expectError(
      res,
      403,
      'insufficient_scope',
      'Bearer realm="api", error="insufficient_scope", scope="write"',
    );
  });

  it('an unexpected error is a 500 server_error that names nothing internal', async () => {
    const broken = createApp(createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet));
    broken.get('/boom', () => {
      throw new TypeError('secret detail');
    });
    const res = await broken.request('/boom');
    const text = await res.clone().text();
    expect(text).not.toContain('secret detail');
    await expectError(res, 500, 'server_error', null);
  });
});

describe('the key set', () => {
  it('a JWKS that cannot be fetched is 503 temporarily_unavailable with Retry-After: 5', async () => {
    const down = await MockIssuer.start({ algorithms: ['EdDSA'] });
    await down.fault('error');
    const cold = createApp(createVerifier(readConfig({ JWT_ISSUER: down.url }), quiet));
    const res = await cold.request('/protected', {
      headers: { authorization: `Bearer ${down.mint()}` },
    });
    expect(res.headers.get('retry-after')).toBe('5');
    await expectError(res, 503, 'temporarily_unavailable', null);
    await down.close();
  });

  it('past JWT_JWKS_MAX_AGE the background refresh is handed to ctx.waitUntil (Workers)', async () => {
    const own = await MockIssuer.start({ algorithms: ['EdDSA'] });
    const aged = createApp(createVerifier(readConfig({ JWT_ISSUER: own.url, JWT_JWKS_MAX_AGE: '0' }), quiet));
    const headers = { authorization: `Bearer ${own.mint()}` };
    expect((await aged.request('/protected', { headers })).status).toBe(200); // the first fetch
    const handed: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => void handed.push(p),
      passThroughOnException() {},
      props: {},
    };
    const res = await aged.request('/protected', { headers }, {}, ctx);
    expect(res.status).toBe(200);
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(own.jwksRequests).toBe(2);
    await own.close();
  });
});
