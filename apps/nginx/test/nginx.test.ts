// What the conformance suite does not look at: nginx's own limits and error pages, what reaches
// the upstream and the JWKS origin, logs, and signal handling.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from './helpers/app.ts';
import { TestIssuer } from './helpers/issuer.ts';

let issuer: TestIssuer;
let app: App;
/** A JWKS origin that records what nginx sends it, serving the mock issuer's keys. */
let origin: Server;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  issuer = await TestIssuer.start();
  origin = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const { port } = origin.address() as { port: number };
  app = await startApp({
    JWT_ISSUER: issuer.url,
    JWT_JWKS_URI: `http://127.0.0.1:${port}/keys`,
    JWT_ALGORITHMS: 'RS256,ES256',
  });
});

afterAll(async () => {
  await app?.stop();
  origin?.close();
  await issuer?.close();
});

/** Child process ids (Linux /proc). */
const children = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('close', () => resolve(text));
  });
}

const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
  const res = await fetch(app.url + path, { method, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
};

describe('nginx in front of the upstream', () => {
  it('lets a 8.3 KB Authorization header reach njs (401 too long), and answers 60 KiB headers 431 JSON', async () => {
    const long = await get('/protected', { authorization: `Bearer ${'a'.repeat(8300)}` });
    expect(long.status).toBe(401);
    expect(long.headers.get('www-authenticate')).toContain('too long');
    const huge = await get('/protected', { authorization: `Bearer ${'a'.repeat(60 * 1024)}` });
    expect(huge.status).toBe(431);
    expect(huge.json.error).toBe('invalid_request');
  });

  it('replaces the X-JWT-* headers a client sends with the verified ones', async () => {
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', scope: 'admin' })).toString('base64url');
    const token = issuer.mint({ sub: 'user-9' });
    const reply = await get('/protected/admin', {
      authorization: `Bearer ${token}`,
      'x-jwt-claims': forged,
      'x-jwt-sub': 'admin',
    });
    expect(reply.status).toBe(403);
    expect(reply.json.error).toBe('insufficient_scope');
    const ok = await get('/protected', { authorization: `Bearer ${token}`, 'x-jwt-claims': forged });
    expect((ok.json.user as { sub: string }).sub).toBe('user-9');
  });

  it('keeps a sub with CR LF out of the forwarded header lines', async () => {
    const sub = 'x\r\nX-JWT-Claims: e30';
    const reply = await get('/protected', { authorization: `Bearer ${issuer.mint({ sub })}` });
    expect(reply.status).toBe(200);
    expect((reply.json.user as { sub: string }).sub).toBe(sub);
  });

  it('sends the JWKS origin none of the client headers (no token, no cookie)', async () => {
    await get('/protected', { authorization: `Bearer ${issuer.mint()}`, cookie: 'session=secret' });
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
    }
  });

  it('refuses a signature with non-canonical base64url in njs too', async () => {
    const token = issuer.mint({}, { alg: 'ES256' });
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 bytes encode to 86 characters: the last one carries 2 unused bits; set them.
    const bent = token.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    expect((await get('/protected', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get('/protected', { authorization: `Bearer ${bent}` })).status).toBe(401);
  });

  it('answers nginx-level errors with JSON: 404, 405, 413, 400', async () => {
    expect((await get('/nowhere')).json.error).toBe('not_found');
    const big = await fetch(`${app.url}/protected`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'invalid_request' });
    // fetch() refuses to send TRACE or a broken header line: a raw socket does.
    const trace = await raw('TRACE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(trace).toMatch(/^HTTP\/1\.1 405/);
    expect(trace).toContain('"error":"method_not_allowed"');
    const broken = await raw('GET / HTTP/1.1\r\nHost\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400/);
    expect(broken).toContain('"error":"invalid_request"');
  });

  it('never writes a token to its output, even one sent in the query string', async () => {
    const token = issuer.mint();
    expect((await get(`/protected?access_token=${token}`)).status).toBe(401);
    expect((await get('/protected', { authorization: `Bearer ${token}x` })).status).toBe(401);
    await sleep(200);
    expect(app.output()).not.toContain(token.split('.')[1]);
  });
});

describe('the start script', () => {
  it('reloads on SIGHUP (templates rendered again, njs re-read) and keeps serving', async () => {
    const own = await startApp({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'ES256' });
    try {
      const [master] = children(own.child.pid as number);
      const before = children(master as number);
      own.child.kill('SIGHUP');
      await sleep(1500);
      expect(own.child.exitCode).toBeNull();
      // A reload starts new worker processes.
      expect(children(master as number).filter((pid) => !before.includes(pid))).not.toHaveLength(0);
      const res = await fetch(`${own.url}/protected`, {
        headers: { authorization: `Bearer ${issuer.mint({}, { alg: 'ES256' })}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('on SIGTERM lets a request in flight finish (nginx stops gracefully), then exits 0', async () => {
    const slow = await TestIssuer.start();
    // The first request waits on the JWKS fetch: it is in flight when SIGTERM arrives.
    slow.delayMs = 1500;
    const own = await startApp({ JWT_ISSUER: slow.url });
    try {
      const inFlight = fetch(`${own.url}/protected`, {
        headers: { authorization: `Bearer ${slow.mint()}` },
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
      await sleep(500);
      // To the whole process group, as a supervisor or a test harness does.
      process.kill(-(own.child.pid as number), 'SIGTERM');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).message).toBe('Access granted');
      const code = await new Promise((resolve) =>
        own.child.exitCode !== null
          ? resolve(own.child.exitCode)
          : own.child.once('exit', (c, s) => resolve(c ?? s)),
      );
      expect(code).toBe(0);
      await expect(fetch(`${own.url}/health`)).rejects.toThrow();
      expect(own.output()).toContain('SIGTERM: stopping gracefully');
    } finally {
      await own.stop();
      await slow.close();
    }
  });

  it('refuses EdDSA at start-up with one line saying why and what to do', async () => {
    await expect(startApp({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'ES256,EdDSA' })).rejects.toThrow(
      /JWT_ALGORITHMS lists EdDSA.*no Ed25519.*`algorithm` option to RS256 or ES256/,
    );
  });
});
