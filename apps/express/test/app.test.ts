import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockIssuer } from '@repo/test-fixtures';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { answerErrors, requireAuth, requireScope } from '../src/auth.ts';
import { createVerifier, readConfig, type Verifier } from '../src/jwt/index.ts';

let issuer: MockIssuer;
let down: MockIssuer;
const servers: Server[] = [];
let base: string;
let downBase: string;
let buggyBase: string;
const quiet = { log: () => {} };

async function serve(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA', 'RS256'] });
  down = await MockIssuer.start({ algorithms: ['ES256'], defaultAlg: 'ES256' });
  await down.fault('error'); // its JWKS answers 500
  const buggy: Verifier = {
    header: 'authorization',
    verify: () => Promise.reject(new TypeError('secret internal detail')),
  };
  base = await serve(createApp(createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet)));
  downBase = await serve(createApp(createVerifier(readConfig({ JWT_ISSUER: down.url }), quiet)));
  buggyBase = await serve(createApp(buggy));
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await Promise.all([issuer.close(), down.close()]);
});

async function call(url: string, token?: string, init: RequestInit = {}) {
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers };
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe('express app', () => {
  it('answers /health without a token', async () => {
    const r = await call(`${base}/health`);
    expect([r.status, r.body, r.headers.get('content-type')]).toEqual([
      200,
      { status: 'ok' },
      'application/json; charset=utf-8',
    ]);
  });

  it('grants /protected to an EdDSA token with the default configuration, every claim in user', async () => {
    const token = issuer.mint({ tenant: 'acme', nested: { x: 1 } });
    const r = await call(`${base}/protected`, token);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect([r.status, r.body]).toEqual([200, { message: 'Access granted', user: payload }]);
  });

  it('grants /protected/admin with the admin scope, 403 insufficient_scope without it', async () => {
    const ok = await call(`${base}/protected/admin`, issuer.mint({ scope: 'read admin' }, { alg: 'RS256' }));
    expect(ok.status).toBe(200);
    for (const scope of [undefined, 'read', 'administrator', ['admin']]) {
      const r = await call(`${base}/protected/admin`, issuer.mint({ scope }));
      expect([r.status, r.body.error, r.headers.get('www-authenticate')]).toEqual([
        403,
        'insufficient_scope',
        'Bearer realm="api", error="insufficient_scope", scope="admin"',
      ]);
    }
  });

  it('answers 401 with the RFC 6750 challenge: missing_token, then invalid_token never echoing it', async () => {
    const missing = await call(`${base}/protected`, undefined, { headers: { authorization: 'Basic abc' } });
    expect([missing.status, missing.body, missing.headers.get('www-authenticate')]).toEqual([
      401,
      { error: 'missing_token', message: 'A bearer token is required.' },
      'Bearer realm="api"',
    ]);
    const token = issuer.mint({ scope: 'admin', iss: 'https://elsewhere.example' });
    const invalid = await call(`${base}/protected/admin`, token);
    expect([invalid.status, invalid.body.error]).toEqual([401, 'invalid_token']);
    expect(invalid.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(invalid.headers.get('content-type')).toMatch(/^application\/json/);
    expect(invalid.text).not.toContain(token.split('.')[1]);
  });

  it('ignores a token in the query string', async () => {
    const r = await call(`${base}/protected?access_token=${issuer.mint()}`);
    expect([r.status, r.body.error]).toEqual([401, 'missing_token']);
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

  it('answers unknown routes and methods with a JSON 404', async () => {
    for (const [path, method] of [
      ['/nowhere', 'GET'],
      ['/protected', 'POST'],
    ]) {
      const r = await call(`${base}${path}`, undefined, { method });
      expect([r.status, r.body.error, r.headers.get('content-type')]).toEqual([
        404,
        'not_found',
        'application/json; charset=utf-8',
      ]);
    }
  });
});

describe('the middleware in an app of your own', () => {
  let mine: string;
  beforeAll(async () => {
    const app = express();
    const auth = requireAuth(createVerifier(readConfig({ JWT_ISSUER: issuer.url }), quiet));
    app.post('/notes', express.json(), auth, requireScope('write'), (req, res) => {
      res.json({ sub: req.auth?.sub, frozen: Object.isFrozen(req.auth), note: req.body });
    });
    app.get('/unguarded', requireScope('write'), (_req, res) => void res.json({}));
    app.use(answerErrors);
    mine = await serve(app);
  });
  const post = (body: string, token?: string) =>
    call(`${mine}/notes`, token, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('req.auth holds the verified claims (frozen) behind requireAuth and requireScope', async () => {
    const r = await post('{"a":1}', issuer.mint({ sub: 'someone', scope: 'read write' }));
    expect([r.status, r.body]).toEqual([200, { sub: 'someone', frozen: true, note: { a: 1 } }]);
  });

  it('answers refusals with the scope it was given', async () => {
    const r = await post('{}', issuer.mint({ scope: 'read' }));
    expect([r.status, r.headers.get('www-authenticate')]).toEqual([
      403,
      'Bearer realm="api", error="insufficient_scope", scope="write"',
    ]);
  });

  it("keeps Express's own client errors 4xx (bad JSON is 400), in JSON, without their message", async () => {
    const r = await post('{"a":', issuer.mint({ scope: 'write' }));
    expect([r.status, r.body]).toEqual([
      400,
      { error: 'bad_request', message: 'The request could not be read.' },
    ]);
  });

  it('requireScope without requireAuth before it is a 500, not a 403', async () => {
    const r = await call(`${mine}/unguarded`, issuer.mint({ scope: 'write' }));
    expect([r.status, r.body.error]).toEqual([500, 'server_error']);
  });
});
