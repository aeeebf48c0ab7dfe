import { request as rawRequest } from 'node:http';
import { MockIssuer } from '@repo/test-fixtures';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/jwt/index.ts';

// In-process through Fastify's inject (no socket), except where Node's HTTP parser is the subject.
let issuer: MockIssuer;
let app: FastifyInstance;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA', 'RS256'] });
  app = await createApp(readConfig({ JWT_ISSUER: issuer.url }));
  app.get('/boom', async () => {
    throw new TypeError('secret internal detail');
  });
  app.post('/notes', { onRequest: [app.authenticate, app.requireScope('write')] }, async (request) => ({
    sub: request.claims?.sub,
    frozen: Object.isFrozen(request.claims),
    note: request.body,
  }));
  app.get('/unguarded', { onRequest: app.requireScope('write') }, async () => ({}));
});
afterAll(async () => {
  await app.close();
  await issuer.close();
});

const get = (url: string, token?: string) =>
  app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('fastify app', () => {
  it('answers /health without a token', async () => {
    const r = await get('/health');
    expect([r.statusCode, r.json(), r.headers['content-type']]).toEqual([
      200,
      { status: 'ok' },
      'application/json; charset=utf-8',
    ]);
  });

  it('grants /protected to an EdDSA token with the default configuration, every claim in user', async () => {
    const token = issuer.mint({ tenant: 'acme', nested: { x: 1 } });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    const r = await get('/protected', token);
    expect([r.statusCode, r.json()]).toEqual([200, { message: 'Access granted', user: payload }]);
  });

  it('grants /protected/admin with the admin scope, 403 insufficient_scope without it', async () => {
    expect(
      (await get('/protected/admin', issuer.mint({ scope: 'read admin' }, { alg: 'RS256' }))).statusCode,
    ).toBe(200);
    for (const scope of [undefined, 'read', 'administrator', ['admin']]) {
      const r = await get('/protected/admin', issuer.mint({ scope }));
      expect([r.statusCode, r.json().error, r.headers['www-authenticate']]).toEqual([
        403,
        'insufficient_scope',
        'Bearer realm="api", error="insufficient_scope", scope="admin"',
      ]);
    }
  });

  it('answers 401 with the RFC 6750 challenge: missing_token, then invalid_token never echoing it', async () => {
    const missing = await app.inject({ url: '/protected', headers: { authorization: 'Basic abc' } });
    expect([missing.statusCode, missing.json(), missing.headers['www-authenticate']]).toEqual([
      401,
      { error: 'missing_token', message: 'A bearer token is required.' },
      'Bearer realm="api"',
    ]);
    const token = issuer.mint({ scope: 'admin', iss: 'https://elsewhere.example' });
    const invalid = await get('/protected/admin', token);
    expect([invalid.statusCode, invalid.json().error]).toEqual([401, 'invalid_token']);
    expect(invalid.headers['www-authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(invalid.body).not.toContain(token.split('.')[1]);
  });

  it('ignores a token in the query string', async () => {
    const r = await get(`/protected?access_token=${issuer.mint()}`);
    expect([r.statusCode, r.json().error]).toEqual([401, 'missing_token']);
  });

  it('answers an unexpected error with a 500 server_error that leaks nothing', async () => {
    const r = await get('/boom');
    expect([r.statusCode, r.json()]).toEqual([
      500,
      { error: 'server_error', message: 'Something went wrong on our side.' },
    ]);
    expect(r.body).not.toMatch(/secret|TypeError/);
  });
});

describe("Fastify's own errors: JSON, the right 4xx, nothing quoted", () => {
  it('unknown routes and methods are a JSON 404', async () => {
    for (const [url, method] of [
      ['/nowhere', 'GET'],
      ['/protected', 'DELETE'],
    ] as const) {
      const r = await app.inject({ url, method });
      expect([r.statusCode, r.json()]).toEqual([
        404,
        { error: 'not_found', message: 'There is nothing at this path.' },
      ]);
    }
  });

  it('a URL that does not decode is a 400 that does not echo it', async () => {
    const r = await get('/protected/%E0%A4%A');
    expect([r.statusCode, r.json()]).toEqual([
      400,
      { error: 'bad_request', message: 'The request could not be read.' },
    ]);
  });

  it('bad JSON (behind a valid token) is 400, an unknown content type 415', async () => {
    const headers = { authorization: `Bearer ${issuer.mint({ scope: 'write' })}` };
    const bad = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'bad_request']);
    expect(bad.body).not.toContain('{"a":');
    const odd = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { ...headers, 'content-type': 'text/x-odd' },
      payload: 'x',
    });
    expect([odd.statusCode, odd.json().error]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses before the body is read: a POST without a token is 401, even with bad JSON', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect([r.statusCode, r.json().error]).toEqual([401, 'missing_token']);
  });

  it('a header over Node’s 16 KiB limit is a JSON 431, and the server keeps serving', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const reply = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      const req = rawRequest(
        {
          port,
          host: '127.0.0.1',
          path: '/protected',
          headers: { authorization: `Bearer ${'x'.repeat(20_000)}` },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect([reply.status, reply.type, JSON.parse(reply.body).statusCode]).toEqual([
      431,
      'application/json',
      431,
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});

describe('the plugin in routes of your own', () => {
  it('request.claims holds the verified claims (frozen) behind authenticate and requireScope', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { authorization: `Bearer ${issuer.mint({ sub: 'someone', scope: 'read write' })}` },
      payload: { a: 1 },
    });
    expect([r.statusCode, r.json()]).toEqual([200, { sub: 'someone', frozen: true, note: { a: 1 } }]);
  });

  it('requireScope without authenticate before it is a 500, not a 403', async () => {
    const r = await get('/unguarded', issuer.mint({ scope: 'write' }));
    expect([r.statusCode, r.json().error]).toEqual([500, 'server_error']);
  });
});

describe('the JWKS through Fastify’s logger', () => {
  it('a JWKS that cannot be fetched is 503 with Retry-After 5, and one warn line that holds no token', async () => {
    const down = await MockIssuer.start({ algorithms: ['ES256'], defaultAlg: 'ES256' });
    await down.fault('error');
    const lines: string[] = [];
    const cold = await createApp(readConfig({ JWT_ISSUER: down.url }), {
      logger: { stream: { write: (line: string) => void lines.push(line) } },
    });
    const token = down.mint();
    const r = await cold.inject({ url: '/protected', headers: { authorization: `Bearer ${token}` } });
    expect([r.statusCode, r.json().error, r.headers['retry-after'], r.headers['www-authenticate']]).toEqual([
      503,
      'temporarily_unavailable',
      '5',
      undefined,
    ]);
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logged).toHaveLength(1);
    expect(logged[0]?.level).toBe(40);
    expect(logged[0]?.msg).toMatch(
      /^JWKS fetch from issuer http:\/\/127\.0\.0\.1:\d+\/__zuplo\/issuer failed/,
    );
    expect(lines.join('')).not.toContain(token.split('.')[1]);
    await cold.close();
    await down.close();
  });
});
