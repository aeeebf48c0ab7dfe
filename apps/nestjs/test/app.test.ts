/**
 * The Nest application in-process (Nest's testing module, a real HTTP listener on 127.0.0.1),
 * against the mock issuer: routes, RFC 6750 answers, the 503 outage, the 500 that leaks nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.ts';
import { VERIFIER } from '../src/auth/auth.module.ts';
import { readConfig, type Verifier } from '../src/jwt/index.ts';

const apps: INestApplication[] = [];
let issuer: MockIssuer;
let down: MockIssuer;
let base: string;
let downBase: string;
let buggyBase: string;

async function serve(jwtIssuer: string, verifier?: Verifier): Promise<string> {
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(readConfig({ JWT_ISSUER: jwtIssuer }))],
  });
  if (verifier) builder = builder.overrideProvider(VERIFIER).useValue(verifier);
  const app = (await builder.compile()).createNestApplication({ bodyParser: false, logger: false });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

beforeAll(async () => {
  issuer = await MockIssuer.start();
  down = await MockIssuer.start({ algorithms: ['ES256'] });
  await down.fault('error'); // its JWKS answers 500
  base = await serve(issuer.url);
  downBase = await serve(down.url);
  buggyBase = await serve(issuer.url, {
    header: 'authorization',
    verify: () => Promise.reject(new TypeError('secret internal detail')),
  });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await Promise.all([issuer.close(), down.close()]);
});

async function call(url: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe('nestjs app', () => {
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
    const admin = issuer.mint({ scope: 'read admin' }, { alg: 'RS256' });
    expect((await call(`${base}/protected/admin`, admin)).status).toBe(200);
    const r = await call(`${base}/protected/admin`, issuer.mint({ scope: 'read' }));
    expect([r.status, r.body.error, r.headers.get('www-authenticate')]).toEqual([
      403,
      'insufficient_scope',
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    ]);
  });

  it('answers 401 with WWW-Authenticate and the contract body from the guard', async () => {
    const missing = await call(`${base}/protected`);
    expect([missing.status, missing.body, missing.headers.get('www-authenticate')]).toEqual([
      401,
      { error: 'missing_token', message: 'A bearer token is required.' },
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
    expect((await call(`${base}/protected?access_token=${issuer.mint()}`)).body.error).toBe('missing_token');
  });

  it('answers 503 with Retry-After 5 and no challenge when the JWKS cannot be fetched', async () => {
    const r = await call(`${downBase}/protected`, down.mint({}, { alg: 'ES256' }));
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

  it("answers unknown routes and methods in the contract's JSON, without echoing the path", async () => {
    const missing = await call(`${base}/nowhere-secret`);
    expect([missing.status, missing.body]).toEqual([
      404,
      { error: 'not_found', message: 'Nothing to answer here.' },
    ]);
    const post = await call(`${base}/protected`, undefined, { method: 'POST', body: '{"bad' });
    expect([post.status, post.body.error]).toEqual([404, 'not_found']);
    const bad = await call(`${base}/protected%zz`);
    expect([bad.status, bad.text]).toEqual([404, JSON.stringify(missing.body)]);
  });
});
