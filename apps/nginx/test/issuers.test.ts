// Several issuers, OIDC discovery and the policy's header options (issue #19), against the real
// nginx: each issuer its own key set, chosen by the token's iss; keys found by discovery.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockIssuer } from '@repo/test-fixtures';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { type App, startApp } from './helpers/app.ts';

let running: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of running.reverse()) await thing.close();
  running = [];
});

async function issuerWith(kid: string): Promise<MockIssuer> {
  const issuer = await MockIssuer.start({ algorithms: [], defaultAlg: 'ES256' });
  await issuer.publish('ES256', kid);
  running.push(issuer);
  return issuer;
}

async function app(env: Record<string, string>): Promise<App> {
  const started = await startApp(env);
  running.push({ close: () => started.stop() });
  return started;
}

async function call(target: App, headers: Record<string, string>, path = '/protected') {
  const res = await fetch(`${target.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A site whose answers the test writes, path by path (anything else: 404); counts requests. */
async function site(routes: Record<string, (res: ServerResponse, base: string) => void>) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) return route(res, base);
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  running.push({ close: () => void server.close() });
  return { base, asked };
}
const json = (body: unknown) => (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('several issuers', () => {
  it('each issuer its own keys (same kid), unlisted iss refused with no fetch, one discovery + one JWKS each', async () => {
    const [a, b, stranger] = await Promise.all([issuerWith('shared'), issuerWith('shared'), issuerWith('x')]);
    const nginx = await app({ JWT_ISSUER: `${a.url},${b.url}` });
    const burst = await Promise.all(Array.from({ length: 10 }, () => call(nginx, bearer(a.mint()))));
    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await call(nginx, bearer(b.mint()))).status).toBe(200);
    for (const issuer of [a, b]) {
      expect(issuer.requests.get(`${issuer.path}/.well-known/openid-configuration`)).toBe(1);
      expect(issuer.jwksRequests).toBe(1);
    }
    // Naming one issuer, signed with the other's key (same kid): refused both ways.
    expect((await call(nginx, bearer(a.mint({}, { key: b.key('ES256') })))).status).toBe(401);
    expect((await call(nginx, bearer(b.mint({}, { key: a.key('ES256') })))).status).toBe(401);
    const unlisted = await call(nginx, bearer(stranger.mint()));
    expect(unlisted).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(stranger.requests.size).toBe(0);
  });

  it("one issuer down never costs the other's tokens", async () => {
    const [a, b] = await Promise.all([issuerWith('a'), issuerWith('b')]);
    await b.fault('error');
    const nginx = await app({ JWT_ISSUER: `${a.url},${b.url}` });
    expect((await call(nginx, bearer(b.mint()))).status).toBe(503);
    expect((await call(nginx, bearer(a.mint()))).status).toBe(200);
    expect((await call(nginx, bearer(b.mint({}, { kid: 'other' })))).status).toBe(503); // b's backoff
    expect((await call(nginx, bearer(a.mint({}, { kid: 'new' })))).status).toBe(401); // a's own refetch
  });
});

describe('discovery', () => {
  it('a 404 means the keys are at <issuer>/.well-known/jwks.json; a changed jwks_uri is followed', async () => {
    const keys = await issuerWith('k');
    let jwksPath = '/iss/.well-known/jwks.json';
    let discovery = false;
    const web = await site({
      '/iss/.well-known/openid-configuration': (res, base) =>
        discovery
          ? json({ issuer: `${base}/iss`, jwks_uri: `${base}${jwksPath}` })(res)
          : res.writeHead(404).end(),
      '/iss/.well-known/jwks.json': json(keys.jwks()),
      '/moved': json(keys.jwks()),
    });
    const iss = `${web.base}/iss`;
    const nginx = await app({ JWT_ISSUER: iss, JWT_JWKS_MAX_AGE: '1' });
    expect((await call(nginx, bearer(keys.mint({ iss })))).status).toBe(200);
    expect(web.asked).toEqual(['/iss/.well-known/openid-configuration', '/iss/.well-known/jwks.json']);
    [discovery, jwksPath] = [true, '/moved'];
    await sleep(1100);
    expect((await call(nginx, bearer(keys.mint({ iss, sub: 'again' })))).status).toBe(200);
    await sleep(300);
    expect(web.asked.slice(2)).toEqual(['/iss/.well-known/openid-configuration', '/moved']);
  });

  it.each([
    ['names another issuer', (base: string) => json({ issuer: `${base}/iss/`, jwks_uri: `${base}/keys` })],
    ['has no jwks_uri', (base: string) => json({ issuer: `${base}/iss` })],
    ['redirects', () => (res: ServerResponse) => res.writeHead(302, { location: '/keys' }).end()],
    ['is not JSON', () => (res: ServerResponse) => res.writeHead(200).end('<html>')],
    [
      'names a jwks_uri with a password',
      (base: string) =>
        json({ issuer: `${base}/iss`, jwks_uri: `${base.replace('//', '//u:secret@')}/keys` }),
    ],
  ])('a discovery document that %s is a failed fetch (503 cold, keys never fetched)', async (_, answer) => {
    const keys = await issuerWith('k');
    const web = await site({
      '/iss/.well-known/openid-configuration': (res, base) => answer(base)(res),
      '/keys': json(keys.jwks()),
    });
    const iss = `${web.base}/iss`;
    const nginx = await app({ JWT_ISSUER: iss });
    expect(await call(nginx, bearer(keys.mint({ iss })))).toMatchObject({
      status: 503,
      body: { error: 'temporarily_unavailable' },
    });
    expect(web.asked).toEqual(['/iss/.well-known/openid-configuration']);
    await sleep(200);
    expect(nginx.output()).toMatch(/JWKS fetch from issuer .* failed/);
    expect(nginx.output()).not.toMatch(/secret/);
  });

  it('an http jwks_uri is refused unless the issuer itself is http on a loopback address', async () => {
    const keys = await issuerWith('k');
    const web = await site({
      '/iss/.well-known/openid-configuration': (res, base) =>
        json({ issuer: `${base.replace('127.0.0.1', '0.0.0.0')}/iss`, jwks_uri: `${base}/keys` })(res),
      '/keys': json(keys.jwks()),
    });
    // 0.0.0.0 reaches this machine, but is not a loopback address.
    const iss = `${web.base.replace('127.0.0.1', '0.0.0.0')}/iss`;
    const nginx = await app({ JWT_ISSUER: iss });
    expect((await call(nginx, bearer(keys.mint({ iss })))).status).toBe(503);
    expect(web.asked).toEqual(['/iss/.well-known/openid-configuration']);
  });
});

describe('the header options and the claims', () => {
  it('JWT_HEADER with an empty JWT_TOKEN_PREFIX: the whole value is the token; Authorization is not read', async () => {
    const issuer = await issuerWith('k');
    const nginx = await app({ JWT_ISSUER: issuer.url, JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' });
    const token = issuer.mint();
    expect((await call(nginx, { 'x-gateway-token': token, authorization: 'Basic dTpw' })).status).toBe(200);
    expect(await call(nginx, bearer(token))).toMatchObject({ status: 401, body: { error: 'missing_token' } });
    expect((await call(nginx, { 'x-gateway-token': `Bearer ${token}` })).status).toBe(401);
  });

  it('a custom prefix in any case, then one space', async () => {
    const issuer = await issuerWith('k');
    const nginx = await app({
      JWT_ISSUER: issuer.url,
      JWT_HEADER: 'x-gateway-token',
      JWT_TOKEN_PREFIX: 'Gateway',
    });
    const token = issuer.mint();
    expect((await call(nginx, { 'x-gateway-token': `gATEWAY ${token}` })).status).toBe(200);
    expect((await call(nginx, { 'x-gateway-token': token })).body.error).toBe('missing_token');
  });

  it('exp 1e400 is not a date: 401', async () => {
    const issuer = await issuerWith('k');
    const nginx = await app({ JWT_ISSUER: issuer.url });
    const payloadJson = `{"iss":${JSON.stringify(issuer.url)},"sub":"u","exp":1e400}`;
    expect(await call(nginx, bearer(issuer.mint({}, { payloadJson })))).toMatchObject({
      status: 401,
      body: { error: 'invalid_token' },
    });
  });
});

describe('NGINX_INCLUDE (the bench adds its /baseline so)', () => {
  it('adds the file\'s locations to the server, beside the protected ones; without it, 404', async () => {
    const issuer = await issuerWith('k');
    const dir = mkdtempSync(join(tmpdir(), 'nginx-jwt-include-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // Proxied to the app's own upstream, without auth: what the bench's baseline does.
    writeFileSync(join(dir, 'extra.conf'), `location = /extra {
      proxy_set_header X-JWT-Claims "eyJzdWIiOiJleHRyYSJ9";
      proxy_pass http://jwt_app_upstream/protected;
    }`);
    const extra = await app({ JWT_ISSUER: issuer.url, NGINX_INCLUDE: join(dir, 'extra.conf') });
    expect(await call(extra, {}, '/extra')).toEqual({
      status: 200,
      body: { message: 'Access granted', user: { sub: 'extra' } },
    });
    expect((await call(extra, {})).status).toBe(401);
    expect((await call(await app({ JWT_ISSUER: issuer.url }), {}, '/extra')).status).toBe(404);
  });
});
