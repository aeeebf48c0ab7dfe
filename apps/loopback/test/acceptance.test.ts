import { type Client, createRestAppClient, givenHttpServerConfig } from '@loopback/testlab';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtApiApplication } from '../src/application';
import { loadConfig } from '../src/config';

/** LoopBack-style acceptance tests: the real application in-process, driven through supertest. */
let issuer: MockIssuer;
let app: JwtApiApplication;
let client: Client;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256'] });
  const jwt = loadConfig({ JWT_ISSUER: issuer.url, PORT: '0' });
  app = new JwtApiApplication({
    jwt,
    rest: givenHttpServerConfig({ host: '127.0.0.1', port: 0 }),
    shutdown: { signals: [] },
  });
  await app.start();
  client = createRestAppClient(app);
});
afterAll(async () => {
  await app.stop();
  await issuer.close();
});

const challenge = (error: string) => new RegExp(`^Bearer realm="api", error="${error}"`);

describe('JwtApiApplication', () => {
  it('GET /health answers {"status":"ok"}', async () => {
    const res = await client
      .get('/health')
      .expect(200)
      .expect('Content-Type', /^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /protected with a valid token answers the verified claims', async () => {
    const token = issuer.mint({ tenant: 'acme' });
    const res = await client.get('/protected').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({
      message: 'Access granted',
      user: JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()),
    });
  });

  it('GET /protected without a token: 401 missing_token, bare challenge, contract body', async () => {
    const res = await client
      .get('/protected')
      .expect(401)
      .expect('Content-Type', /^application\/json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toEqual({ error: 'missing_token', message: expect.any(String) });
  });

  it('GET /protected with a bad token: 401 invalid_token with error_description', async () => {
    const res = await client.get('/protected').set('Authorization', 'Bearer abc.def.ghi').expect(401);
    expect(res.headers['www-authenticate']).toMatch(challenge('invalid_token'));
    expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    expect(res.body.error).toBe('invalid_token');
  });

  it('GET /protected/admin with the admin scope: 200', async () => {
    await client
      .get('/protected/admin')
      .set('Authorization', `Bearer ${issuer.mint({ scope: 'read admin' })}`)
      .expect(200);
  });

  it.each([undefined, 'read', 'ADMIN administrator', ['admin']])(
    'GET /protected/admin with scope %j: 403 insufficient_scope',
    async (scope) => {
      const res = await client
        .get('/protected/admin')
        .set('Authorization', `Bearer ${issuer.mint({ scope })}`)
        .expect(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", scope="admin"',
      );
      expect(res.body).toEqual({ error: 'insufficient_scope', message: expect.any(String) });
    },
  );

  it('GET /protected/admin with an invalid token: 401, not 403', async () => {
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

  it('fetched the JWKS once for all of the above (one keystore per process)', () => {
    expect(issuer.jwksRequests).toBe(1);
  });
});

describe('JwtApiApplication during a JWKS outage', () => {
  it('answers 503 temporarily_unavailable with Retry-After and no challenge', async () => {
    const down = await MockIssuer.start({ algorithms: ['RS256'] });
    await down.fault('error');
    const jwt = loadConfig({ JWT_ISSUER: down.url });
    const outage = new JwtApiApplication({
      jwt,
      rest: givenHttpServerConfig({ host: '127.0.0.1', port: 0 }),
      shutdown: { signals: [] },
    });
    await outage.start();
    try {
      const res = await createRestAppClient(outage)
        .get('/protected')
        .set('Authorization', `Bearer ${down.mint()}`)
        .expect(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).toEqual({ error: 'temporarily_unavailable', message: expect.any(String) });
    } finally {
      await outage.stop();
      await down.close();
    }
  });
});
