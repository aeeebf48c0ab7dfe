import { type Client, createRestAppClient, givenHttpServerConfig } from '@loopback/testlab';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JwtApiApplication } from '../src/application.js';
import { ALGORITHMS, readConfig } from '../src/jwt/index.js';
import { JWT_VERIFIER } from '../src/services/jwt.strategy.js';

/** LoopBack-style acceptance tests: the real application in-process, driven through supertest. */
async function startApp(env: Record<string, string>): Promise<JwtApiApplication> {
  const app = new JwtApiApplication({
    jwt: readConfig(env),
    rest: givenHttpServerConfig({ host: '127.0.0.1', port: 0 }),
  });
  await app.start();
  return app;
}

const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

let issuer: MockIssuer;
let app: JwtApiApplication;
let client: Client;

beforeAll(async () => {
  issuer = await MockIssuer.start();
  app = await startApp({ JWT_ISSUER: issuer.url });
  client = createRestAppClient(app);
});
afterAll(async () => {
  await app.stop();
  await issuer.close();
});

describe('JwtApiApplication', () => {
  it('GET /health answers {"status":"ok"} without a token', async () => {
    const res = await client
      .get('/health')
      .expect(200)
      .expect('Content-Type', /^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it.each(ALGORITHMS)(
    'GET /protected with a %s token (default config) answers every verified claim',
    async (alg) => {
      const token = issuer.mint({ tenant: 'acme' }, { alg });
      const res = await client.get('/protected').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body).toEqual({ message: 'Access granted', user: payload(token) });
    },
  );

  it.each(['/openapi.json', '/openapi.yaml', '/explorer', '/explorer/'])(
    'GET %s: 404, only the contract routes answer (no spec, no redirect to an outside explorer)',
    async (path) => {
      const res = await client.get(path).expect(404);
      expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
    },
  );

  it('GET /protected without a token: 401 missing_token, a bare challenge, the contract body', async () => {
    const res = await client
      .get('/protected')
      .expect(401)
      .expect('Content-Type', /^application\/json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toEqual({ error: 'missing_token', message: expect.any(String) });
  });

  it('GET /protected with a bad token: 401 invalid_token with error_description', async () => {
    const res = await client.get('/protected').set('Authorization', 'Bearer abc.def.ghi').expect(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="/,
    );
    expect(res.body).toEqual({ error: 'invalid_token', message: expect.any(String) });
  });

  it('GET /protected/admin with the admin scope: 200', async () => {
    const token = issuer.mint({ scope: 'read admin' });
    const res = await client.get('/protected/admin').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.user.scope).toBe('read admin');
  });

  it.each([undefined, 'read', 'ADMIN administrator'])(
    'GET /protected/admin with scope %j: 403',
    async (scope) => {
      const token = issuer.mint({ scope });
      const res = await client.get('/protected/admin').set('Authorization', `Bearer ${token}`).expect(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", scope="admin"',
      );
      expect(res.body).toEqual({ error: 'insufficient_scope', message: expect.any(String) });
    },
  );

  it('GET /protected/admin with an expired admin token: 401, not 403', async () => {
    const token = issuer.mint({ scope: 'admin', exp: 1 });
    const res = await client.get('/protected/admin').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('an unknown route answers 404 JSON without echoing the path', async () => {
    const res = await client
      .get('/no/such/route-secret')
      .expect(404)
      .expect('Content-Type', /^application\/json/);
    expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
    expect(res.text).not.toContain('route-secret');
  });

  it('fetched the JWKS once for all of the above: one verifier per process', () => {
    expect(issuer.jwksRequests).toBe(1);
  });
});

describe('JwtApiApplication, failures', () => {
  it('a JWKS outage is 503 temporarily_unavailable, Retry-After: 5, no challenge', async () => {
    const down = await MockIssuer.start({ algorithms: ['EdDSA'] });
    await down.fault('error');
    const outage = await startApp({ JWT_ISSUER: down.url });
    try {
      const token = down.mint();
      const res = await createRestAppClient(outage)
        .get('/protected')
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).toEqual({ error: 'temporarily_unavailable', message: expect.any(String) });
    } finally {
      await outage.stop();
      await down.close();
    }
  });

  it('an unexpected error is 500 server_error and reveals nothing', async () => {
    const broken = new JwtApiApplication({
      jwt: readConfig({ JWT_ISSUER: issuer.url }),
      rest: givenHttpServerConfig({ host: '127.0.0.1', port: 0 }),
    });
    broken
      .bind(JWT_VERIFIER)
      .to({ header: 'authorization', verify: () => Promise.reject(new TypeError('secret internals')) });
    await broken.start();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await createRestAppClient(broken)
        .get('/protected')
        .set('Authorization', 'Bearer x')
        .expect(500);
      expect(res.body).toEqual({ error: 'server_error', message: expect.any(String) });
      expect(res.text).not.toContain('secret');
      expect(log).toHaveBeenCalledWith('GET /protected failed:', expect.any(TypeError));
    } finally {
      log.mockRestore();
      await broken.stop();
    }
  });
});
