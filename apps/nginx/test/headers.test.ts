// What reaches the upstream, seen by an upstream that echoes it: nginx and the Lua files run
// from the rendered configuration (as `pnpm start` renders it), in front of this test's server.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, MockIssuer, startServer } from '@repo/test-fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NGINX } from '../src/nginx.ts';
import { renderConf } from '../src/render.ts';
import { freePort } from './helpers/app.ts';

let PORT = 0;
let GATEWAY_PORT = 0; // the same, with JWT_HEADER=X-Gateway-Token and no prefix
let issuer: MockIssuer;
let upstream: Server;
const nginxes: ChildServer[] = [];
const prefixes: string[] = [];
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

async function startNginx(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-jwt-headers-'));
  prefixes.push(prefix);
  const conf = renderConf(prefix, { port, upstreamPort: (upstream.address() as { port: number }).port, resolvConf: '' });
  const command = [NGINX, '-p', prefix, '-c', conf, '-g', 'daemon off;'];
  const health = `http://127.0.0.1:${port}/health`;
  nginxes.push(await startServer({ command, env: { JWT_ISSUER: issuer.url, ...env }, health, name: 'nginx' }));
  return port;
}

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256'], defaultAlg: 'ES256' });
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  PORT = await startNginx({});
  GATEWAY_PORT = await startNginx({ JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' });
});

afterAll(async () => {
  await Promise.all(nginxes.map((nginx) => nginx.stop()));
  upstream?.close();
  await issuer?.close();
  for (const prefix of prefixes) rmSync(prefix, { recursive: true, force: true });
});

async function send(path: string, headers: Record<string, string>, port = PORT) {
  seen.length = 0;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await res.arrayBuffer();
  return { status: res.status, upstream: seen[0] };
}

it('forwards the verified claims and sub, and none of the client X-JWT-* headers or the token', async () => {
  const token = issuer.mint({ sub: 'user-7', scope: 'read' });
  const { status, upstream: got } = await send('/protected', {
    authorization: `Bearer ${token}`,
    'x-jwt-claims': 'e30',
    'x-jwt-sub': 'admin',
    'x-jwt-scope': 'admin',
    'X-Jwt-Anything': 'x',
  });
  expect(status).toBe(200);
  expect(got?.headers['x-jwt-sub']).toBe('user-7');
  expect(JSON.parse(Buffer.from(String(got?.headers['x-jwt-claims']), 'base64url').toString())).toMatchObject({
    sub: 'user-7',
    scope: 'read',
  });
  expect(Object.keys(got?.headers ?? {}).filter((name) => name.startsWith('x-jwt-')).sort()).toEqual([
    'x-jwt-claims',
    'x-jwt-sub',
  ]);
  expect(got?.headers.authorization).toBeUndefined();
});

it('leaves X-JWT-Sub out when sub is not printable ASCII', async () => {
  const { status, upstream: got } = await send('/protected', {
    authorization: `Bearer ${issuer.mint({ sub: 'x\r\nX-JWT-Claims: e30' })}`,
  });
  expect(status).toBe(200);
  expect(got?.headers['x-jwt-sub']).toBeUndefined();
});

it('gives the upstream the fixed path of the location (and the query), never the raw URI', async () => {
  const token = issuer.mint({ scope: 'read' });
  const { status, upstream: got } = await send('/protected/admin%2F..%2F..%2Fprotected?a=1', {
    authorization: `Bearer ${token}`,
  });
  expect(status).toBe(200);
  expect(got?.url).toBe('/protected?a=1');
  const admin = await send('/protected/./admin', { authorization: `Bearer ${token}` });
  expect(admin.status).toBe(403);
  expect(admin.upstream).toBeUndefined();
});

it("with JWT_HEADER set to another header, that header goes and Authorization reaches the upstream as sent", async () => {
  const { status, upstream: got } = await send(
    '/protected',
    { 'x-gateway-token': issuer.mint({ sub: 'user-8' }), authorization: 'Bearer the-end-users-token' },
    GATEWAY_PORT,
  );
  expect(status).toBe(200);
  expect(got?.headers['x-jwt-sub']).toBe('user-8');
  expect(got?.headers.authorization).toBe('Bearer the-end-users-token');
  expect(got?.headers['x-gateway-token']).toBeUndefined();
});
