// The h3 glue in-process: the route handlers and the error handler, wired as Nitro wires them
// (a preemptive router, the error handler as onError). The built servers are covered by the
// start-up and conformance tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockIssuer } from '@repo/test-fixtures';
import { createApp, createRouter, toNodeListener } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleError } from '../server/error';
import health from '../server/routes/health.get';
import protectedRoute from '../server/routes/protected.get';
import admin from '../server/routes/protected/admin.get';

let issuer: MockIssuer;
let server: Server;
let base: string;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
  // Read by utils/verifier.ts on the first protected request, as the plugin does at start-up.
  process.env.JWT_ISSUER = issuer.url;
  const router = createRouter({ preemptive: true })
    .get('/health', health)
    .get('/protected', protectedRoute)
    .get('/protected/admin', admin);
  const app = createApp({ onError: handleError }).use(router);
  server = createServer(toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await issuer.close();
});

async function get(path: string, token?: string) {
  const res = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, statusText: res.statusText, headers: res.headers, body };
}

describe('routes', () => {
  it('answers /health without a token and without fetching keys', async () => {
    const reply = await get('/health');
    expect([reply.status, reply.body]).toEqual([200, { status: 'ok' }]);
    expect(issuer.jwksRequests).toBe(0);
  });

  it('puts the verified claims on event.context.auth, answered as user', async () => {
    const reply = await get('/protected', issuer.mint({ tenant: 'acme' }));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      message: 'Access granted',
      user: { tenant: 'acme', sub: 'user-123', iss: issuer.url },
    });
  });

  it('answers auth errors with the AuthError status, headers and exactly {error, message}', async () => {
    const missing = await get('/protected');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: 'missing_token', message: expect.any(String) });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);

    const invalid = await get('/protected/admin', `${issuer.mint({ scope: 'admin' })}x`);
    expect(invalid.status).toBe(401);
    expect(Object.keys(invalid.body).sort()).toEqual(['error', 'message']);
    expect(invalid.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="/,
    );

    const forbidden = await get('/protected/admin', issuer.mint({ scope: 'read' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('insufficient_scope');
    expect(forbidden.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    );
  });

  it('grants /protected/admin with the admin scope', async () => {
    const reply = await get('/protected/admin', issuer.mint({ scope: 'read admin' }));
    expect([reply.status, (reply.body.user as Record<string, unknown>).scope]).toEqual([200, 'read admin']);
  });

  it('answers unknown routes and methods as JSON errors, not Nitro/h3 shapes', async () => {
    const missing = await get('/nope?access_token=secret-looking');
    expect([missing.status, missing.body.error]).toEqual([404, 'not_found']);
    // h3's own reason phrase would repeat the URL, query string and all.
    expect(missing.statusText).toBe('Not Found');
    expect(Object.keys(missing.body).sort()).toEqual(['error', 'message']);
    const post = await fetch(`${base}/health`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(await post.json()).toEqual({ error: 'method_not_allowed', message: expect.any(String) });
  });
});
