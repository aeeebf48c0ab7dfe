import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Claims, Verifier } from '../src/auth.ts';
import { invalidToken, missingToken, temporarilyUnavailable } from '../src/errors.ts';

/** A verifier scripted by the Authorization value, so only the Koa glue is under test. */
const verifier: Verifier = {
  async verify(authorization): Promise<Claims> {
    if (authorization === undefined) throw missingToken();
    if (authorization === 'Bearer admin') return { sub: 'a', scope: 'read admin' };
    if (authorization === 'Bearer user') return { sub: 'u', scope: 'read' };
    if (authorization === 'Bearer down') throw temporarilyUnavailable(10);
    if (authorization === 'Bearer bug') throw new TypeError('secret internal detail');
    throw invalidToken('The token signature is invalid.');
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(createApp(verifier).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function call(path: string, authorization?: string, method = 'GET') {
  const res = await fetch(base + path, { method, headers: authorization ? { authorization } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe('app', () => {
  it('answers /health', async () => {
    const r = await call('/health');
    expect([r.status, r.body]).toEqual([200, { status: 'ok' }]);
  });

  it('grants /protected and /protected/admin with the claims as user', async () => {
    expect((await call('/protected', 'Bearer user')).body).toEqual({
      message: 'Access granted',
      user: { sub: 'u', scope: 'read' },
    });
    expect((await call('/protected/admin', 'Bearer admin')).status).toBe(200);
  });

  it('keeps WWW-Authenticate on errors (Koa drops headers of errors that escape)', async () => {
    const missing = await call('/protected');
    expect([missing.status, missing.body.error, missing.headers.get('www-authenticate')]).toEqual([
      401,
      'missing_token',
      'Bearer realm="api"',
    ]);
    const invalid = await call('/protected/admin', 'Bearer forged');
    expect([invalid.status, invalid.body.error]).toEqual([401, 'invalid_token']);
    expect(invalid.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token"/);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers 403 insufficient_scope on /protected/admin without the scope', async () => {
    const r = await call('/protected/admin', 'Bearer user');
    expect([r.status, r.body.error, r.headers.get('www-authenticate')]).toEqual([
      403,
      'insufficient_scope',
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    ]);
  });

  it('answers 503 with Retry-After and no challenge', async () => {
    const r = await call('/protected', 'Bearer down');
    expect([r.status, r.body.error, r.headers.get('retry-after'), r.headers.get('www-authenticate')]).toEqual(
      [503, 'temporarily_unavailable', '10', null],
    );
  });

  it('answers an unexpected error with a 500 that leaks nothing', async () => {
    const r = await call('/protected', 'Bearer bug');
    expect([r.status, r.body.error]).toEqual([500, 'internal_error']);
    expect(r.text).not.toMatch(/secret internal detail|TypeError/);
  });

  it('answers unknown routes and methods in JSON', async () => {
    const missing = await call('/nowhere');
    expect([missing.status, missing.body.error]).toEqual([404, 'not_found']);
    const post = await call('/protected', undefined, 'POST');
    expect([post.status, post.body.error, post.headers.get('allow')]).toEqual([
      405,
      'method_not_allowed',
      'HEAD, GET',
    ]);
    const options = await call('/protected', undefined, 'OPTIONS');
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'HEAD, GET']);
  });
});
