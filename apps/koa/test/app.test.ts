import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createVerifier, readConfig, type Verifier } from '../src/jwt/index.ts';

let issuer: MockIssuer;
let down: MockIssuer;
const servers: Server[] = [];
let base: string;
let downBase: string;
let buggyBase: string;

async function serve(verifier: Verifier): Promise<string> {
  const server = createServer(createApp(verifier).callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA', 'RS256'] });
  down = await MockIssuer.start({ algorithms: ['ES256'] });
  await down.fault('error'); // its JWKS answers 500
  const quiet = { log: () => {} };
  base = await serve(createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet));
  downBase = await serve(createVerifier(readConfig({ JWT_ISSUER: down.url }), quiet));
  buggyBase = await serve({
    header: 'authorization',
    verify: () => Promise.reject(new TypeError('secret internal detail')),
  });
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await Promise.all([issuer.close(), down.close()]);
});

async function call(url: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe('koa app', () => {
  it('answers /health without a token', async () => {
    const r = await call(`${base}/health`);
    expect([r.status, r.body, r.headers.get('content-type')]).toEqual([
      200,
      { status: 'ok' },
      'application/json; charset=utf-8',
    ]);
  });

  it('grants /protected to an EdDSA token with the default configuration, every claim in user', async () => {
    const token = issuer.mint({ tenant: 'acme' });
    const r = await call(`${base}/protected`, token);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect([r.status, r.body]).toEqual([200, { message: 'Access granted', user: payload }]);
  });

  it('grants /protected/admin with the admin scope, 403 insufficient_scope without it', async () => {
    expect(
      (await call(`${base}/protected/admin`, issuer.mint({ scope: 'read admin' }, { alg: 'RS256' }))).status,
    ).toBe(200);
    const r = await call(`${base}/protected/admin`, issuer.mint({ scope: 'read' }));
    expect([r.status, r.body.error, r.headers.get('www-authenticate')]).toEqual([
      403,
      'insufficient_scope',
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    ]);
  });

  it('keeps WWW-Authenticate on 401s (Koa drops the headers of errors left to it)', async () => {
    const missing = await call(`${base}/protected`);
    expect([missing.status, missing.body.error, missing.headers.get('www-authenticate')]).toEqual([
      401,
      'missing_token',
      'Bearer realm="api"',
    ]);
    const token = issuer.mint({ scope: 'admin', iss: 'https://elsewhere.example' });
    const invalid = await call(`${base}/protected/admin`, token);
    expect([invalid.status, invalid.body.error]).toEqual([401, 'invalid_token']);
    expect(invalid.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="/,
    );
    expect(invalid.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('ignores a token in the query string', async () => {
    const token = issuer.mint();
    expect((await call(`${base}/protected?access_token=${token}`)).body.error).toBe('missing_token');
  });

  it('answers 503 with Retry-After 5 and no challenge when the JWKS cannot be fetched', async () => {
    const r = await call(`${downBase}/protected`, down.mint());
    expect([r.status, r.body.error, r.headers.get('retry-after'), r.headers.get('www-authenticate')]).toEqual(
      [503, 'temporarily_unavailable', '5', null],
    );
  });

  it('answers an unexpected error with a 500 server_error that leaks nothing', async () => {
    const r = await call(`${buggyBase}/protected`, 'x.y.z');
    expect([r.status, r.body]).toEqual([
      500,
      { error: 'server_error', message: 'Something went wrong on our side.' },
    ]);
    expect(r.text).not.toMatch(/secret|TypeError/);
  });

  it('answers unknown routes and methods in JSON', async () => {
    const missing = await call(`${base}/nowhere`);
    expect([missing.status, missing.body.error]).toEqual([404, 'not_found']);
    const post = await call(`${base}/protected`, undefined, { method: 'POST' });
    expect([post.status, post.body.error, post.headers.get('allow')]).toEqual([
      405,
      'method_not_allowed',
      'HEAD, GET',
    ]);
  });
});
